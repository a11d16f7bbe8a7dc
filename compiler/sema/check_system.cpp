// The system's names and types: what a task, receiver or consumer runs on, what a receiver or
// consumer reads, the type a channel or topic carries, send_message and publish_message.
// Settings, counts and cores are the plan's (plan/).
#include <cctype>

#include "sema/checker.h"

namespace pt {

// `workers` or `pipeline.workers`: a declaration of this module or of an imported one.
const Decl* Checker::lookup_system_decl(const std::vector<std::string>& name, SourceRange where) {
  if (name.empty()) return nullptr;  // a syntax error, already reported
  if (name.size() == 1) return lookup_decl(name[0], where, true);
  std::vector<std::string> module_part(name.begin(), name.end() - 1);
  const ModuleScope* ms = lookup_module(join_name(module_part));
  if (ms == nullptr) {
    sink_.report(diag::UnknownModule(where, join_name(module_part)));
    last_lookup_ambiguous_ = true;  // reported: the caller says nothing more
    return nullptr;
  }
  auto it = ms->own.find(name.back());
  return it == ms->own.end() ? nullptr : it->second;
}

void Checker::check_system_signature(Decl& d) {
  d.type = types_.void_type();
  if (d.kind == DeclKind::kChannel) {
    const Type* t = resolve_type(*d.carried);
    if (!t->is_error() && !t->is(Type::Kind::kSchema)) {
      sink_.report(diag::TypeMismatch(d.carried->range, "a schema", type_name(t))
                       .note("a channel carries messages of one schema"));
    }
    return;
  }
  if (d.kind == DeclKind::kTopic) {
    const Type* t = resolve_type(*d.carried);
    if (!t->is_error() && !t->is(Type::Kind::kSchema)) {
      sink_.report(diag::TopicNotSchema(d.carried->range, type_name(t))
                       .note("declare a schema (`schema Event { field id: i64 }`) and write "
                             "`carries Event`"));
    }
    return;
  }
  if (d.kind == DeclKind::kConsumer) {
    check_consumer_signature(d);
    return;
  }
  if (d.kind != DeclKind::kTask && d.kind != DeclKind::kReceiver) return;
  resolve_runs_on(d);
  if (d.kind != DeclKind::kReceiver) return;
  last_lookup_ambiguous_ = false;
  const Decl* c = lookup_system_decl(d.reads, d.reads_range);
  if (c != nullptr && c->kind == DeclKind::kChannel) {
    d.channel = c;
  } else if (!last_lookup_ambiguous_ && !d.reads.empty()) {
    sink_.report(diag::NotAChannel(d.reads_range, join_name(d.reads)));
  }
  check_signature(d);  // the on_message parameter
  d.type = types_.void_type();
}

// `runs_on P` of a task, receiver, consumer or service: P must be a partition (PT6004).
void Checker::resolve_runs_on(Decl& d) {
  last_lookup_ambiguous_ = false;
  const Decl* p = lookup_system_decl(d.runs_on, d.runs_on_range);
  if (p != nullptr && p->kind == DeclKind::kPartition) {
    d.partition = p;
  } else if (!last_lookup_ambiguous_ && !d.runs_on.empty()) {
    sink_.report(diag::NotAPartition(d.runs_on_range, join_name(d.runs_on)));
  }
}

void Checker::check_consumer_signature(Decl& d) {
  resolve_runs_on(d);
  last_lookup_ambiguous_ = false;
  const Decl* t = lookup_system_decl(d.reads, d.reads_range);
  if (t != nullptr && t->kind == DeclKind::kTopic) {
    d.topic = t;
  } else if (!last_lookup_ambiguous_ && !d.reads.empty()) {
    Diagnostic diag = diag::NotATopic(d.reads_range, join_name(d.reads));
    if (t != nullptr && t->kind == DeclKind::kChannel) {
      diag.note(t->name_range, "it is a channel: a channel_receiver reads channels");
    }
    suggest_topic(diag, join_name(d.reads), d.reads_range);
    sink_.report(std::move(diag));
  }
  check_signature(d);  // the on_message parameter
  d.type = types_.void_type();
  if (!d.has_handler) {
    std::string type = "Event";
    if (d.topic != nullptr && d.topic->carried && d.topic->carried->resolved != nullptr &&
        !d.topic->carried->resolved->is_error()) {
      type = type_name(d.topic->carried->resolved);
    }
    std::string param = type;
    param[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(param[0])));
    sink_.report(diag::ConsumerWithoutHandler(d.name_range, d.name)
                     .note("add `on_message(" + param + ": " + type +
                           ") { ... }`: it runs once for every message of the topic"));
  }
}

void Checker::check_receiver(Decl& d) {
  begin_body(d);
  for (StmtPtr& s : d.state) {
    Binding& b = *s->binding;
    if ((b.kind != BindingKind::kMut && b.kind != BindingKind::kImmutable) || !s->value) {
      sink_.report(diag::BadReceiverState(b.range, b.name));
    }
    check_stmt(*s);
  }
  // The parameter's type against the topic's (a consumer).
  if (!d.params.empty() && d.topic != nullptr) {
    const Type* want = d.topic->carried ? d.topic->carried->resolved : nullptr;
    const Type* got = d.params[0].binding->type;
    if (want != nullptr && got != nullptr && !either_error(want, got) && want != got) {
      sink_.report(
          diag::TopicTypeMismatch(d.params[0].type.range, d.topic->name, type_name(want),
                                  type_name(got))
              .note(d.topic->carried->range, "the type the topic carries")
              .note("a consumer of '" + d.topic->name + "' receives exactly " + type_name(want))
              .fix("receive " + type_name(want), d.params[0].type.range, type_name(want)));
    }
  }
  // The parameter's type against the channel's.
  if (!d.params.empty() && d.channel != nullptr) {
    const Type* want = d.channel->carried ? d.channel->carried->resolved : nullptr;
    const Type* got = d.params[0].binding->type;
    if (want != nullptr && got != nullptr && !either_error(want, got) && want != got) {
      sink_.report(diag::ChannelTypeMismatch(d.params[0].type.range, d.channel->name,
                                             type_name(want), type_name(got))
                       .note(d.channel->carried->range, "the type the channel carries")
                       .fix("receive " + type_name(want), d.params[0].type.range, type_name(want)));
    }
  }
  FlowState after_state = flow_;
  push_scope();
  declare_params(d);
  check_block(d.body);
  pop_scope();
  flow_ = after_state;
  if (d.has_closed) check_block(d.closed_body);
  pop_scope();
  finish_bindings();
  function_ = nullptr;
}

// The declaration a channel or topic argument names (`name` or `alias.name`), or null; any
// other expression is checked as one. `shown` is the name as written, for diagnostics.
const Decl* Checker::system_decl_argument(Expr& arg, std::string& shown) {
  last_lookup_ambiguous_ = false;
  shown = arg.text;
  if (arg.kind == ExprKind::kName && lookup_binding(arg.text) == nullptr) {
    return lookup_decl(arg.text, arg.range, true);
  }
  if (arg.kind == ExprKind::kField && arg.children[0]->kind == ExprKind::kName &&
      lookup_binding(arg.children[0]->text) == nullptr &&
      scope_->aliases.count(arg.children[0]->text)) {
    shown = arg.children[0]->text + "." + arg.text;
    return lookup_system_decl({arg.children[0]->text, arg.text}, arg.range);
  }
  check_expr(arg);
  return nullptr;
}

// The channel named by the first argument of send_message, or null (reported).
const Decl* Checker::channel_argument(Expr& arg) {
  std::string shown;
  const Decl* d = system_decl_argument(arg, shown);
  if (d != nullptr && d->kind == DeclKind::kChannel) {
    arg.decl = d;
    arg.type = types_.void_type();
    return d;
  }
  if (!last_lookup_ambiguous_) sink_.report(diag::NotAChannel(arg.range, shown));
  return nullptr;
}

// Adds to a PT7011 the topic whose name is closest to `name` (a typo), or how to declare one.
void Checker::suggest_topic(Diagnostic& diag, const std::string& name, SourceRange where) {
  std::vector<std::string> topics;
  for (auto& [n, decl] : scope_->own) {
    if (decl->kind == DeclKind::kTopic) topics.push_back(n);
  }
  for (auto& [imp, s] : scope_->imports) {
    for (auto& [n, decl] : s->own) {
      if (decl->kind == DeclKind::kTopic) topics.push_back(join_name(imp->name) + "." + n);
    }
  }
  std::string guess = closest(name, topics);
  if (!guess.empty()) {
    diag.fix("did you mean '" + guess + "'?", where, guess);
  } else if (topics.empty()) {
    diag.note("declare one: `slytherin_topic NAME carries SCHEMA { partitions: N }`");
  }
}

// The topic named by the first argument of publish_message, or null (reported).
const Decl* Checker::topic_argument(Expr& arg) {
  std::string shown;
  const Decl* d = system_decl_argument(arg, shown);
  if (d != nullptr && d->kind == DeclKind::kTopic) {
    arg.decl = d;
    arg.type = types_.void_type();
    return d;
  }
  if (!last_lookup_ambiguous_) {
    Diagnostic diag = diag::NotATopic(arg.range, shown);
    if (d != nullptr && d->kind == DeclKind::kChannel) {
      diag.note(d->name_range, "it is a channel: send on it with send_message");
    }
    suggest_topic(diag, shown, arg.range);
    sink_.report(std::move(diag));
  }
  return nullptr;
}

// publish_message(topic, value): appends the value to the topic's log, from any code.
const Type* Checker::check_publish(Expr& e) {
  Expr& target = *e.children[1];
  Expr& value = *e.children[2];
  const Decl* topic = topic_argument(target);
  const Type* want = topic != nullptr && topic->carried ? topic->carried->resolved : nullptr;
  const Type* got = check_expr(value, want);
  if (want != nullptr && !either_error(want, got) && !assignable(want, got)) {
    sink_.report(diag::TopicTypeMismatch(value.range, topic->name, type_name(want), type_name(got))
                     .note(topic->carried->range, "the type the topic carries"));
  }
  return types_.void_type();
}

const Type* Checker::check_send(Expr& e, Builtin b) {
  std::string name(builtin_info(b).name);
  Expr& target = *e.children[1];
  Expr& message = *e.children[2];
  const Decl* channel = channel_argument(target);
  const Type* want = channel != nullptr && channel->carried ? channel->carried->resolved : nullptr;
  const Type* got = check_expr(message, want);
  if (want != nullptr && !either_error(want, got) && !assignable(want, got)) {
    sink_.report(
        diag::ChannelTypeMismatch(message.range, channel->name, type_name(want), type_name(got))
            .note(channel->carried->range, "the type the channel carries"));
  }
  bool in_route = function_ != nullptr && function_->kind == DeclKind::kRoute;
  if (in_route && b == Builtin::kSendMessage) {
    // A route's core serves many connections: it must not wait for room.
    sink_.report(diag::SendInRoute(e.children[0]->range)
                     .fix("use try_send_message", e.children[0]->range, "try_send_message"));
  } else if (function_ == nullptr ||
             (function_->kind != DeclKind::kTask && function_->kind != DeclKind::kReceiver &&
              function_->kind != DeclKind::kConsumer && !in_route)) {
    sink_.report(diag::SendOutsideTask(e.range, name));
  } else if (channel != nullptr) {
    function_->sends.push_back({channel, e.range, b == Builtin::kSendMessage});
  }
  return b == Builtin::kSendMessage ? types_.void_type() : types_.boolean();
}

}  // namespace pt
