// C++ for the system: channels (rings of hallows/chan), partition tasks (coroutines of
// hallows/sched), channel receivers (polled by their partition's scheduler), and the main.cpp
// that declares the partitions and starts everything (hallows/core).
#include <fmt/format.h>

#include <algorithm>

#include "emit/emitter.h"

namespace pt {

namespace {

const char* ring_type(ChannelKind k) {
  switch (k) {
    case ChannelKind::kSpsc:
      return "hallows::chan::SpscRing";
    case ChannelKind::kMpsc:
      return "hallows::chan::MpscRing";
    case ChannelKind::kBroadcast:
      return "hallows::chan::BroadcastRing";
    case ChannelKind::kSharedMemory:
      return "hallows::chan::ShmSpscRing";
  }
  return "";
}

std::string where(const std::vector<std::string>& paths, const SourceRange& r) {
  return fmt::format("{{{}, {}, {}}}", cpp_string_literal(paths.at(r.file)), r.line, r.column);
}

// `cores: 1, scheduler: messaging`: the settings as written, for comments.
std::string settings_text(const PartitionPlan& p) {
  return fmt::format("cores: {}, scheduler: {}, priority: {}, on_failure: {}", p.cores,
                     spelling(p.scheduler), p.realtime ? "realtime" : "normal",
                     p.restart ? "restart" : "stop_program");
}

bool is_system_decl(const Decl& d) {
  return d.kind == DeclKind::kChannel || d.kind == DeclKind::kTask ||
         d.kind == DeclKind::kReceiver || d.kind == DeclKind::kTopic ||
         d.kind == DeclKind::kConsumer || d.kind == DeclKind::kService;
}

}  // namespace

std::string system_partition_name(const Decl& partition) {
  return "parsel_system::" + module_namespace(*partition.module) + "::" + cpp_ident(partition.name);
}

std::string ModuleEmitter::channel_ref(const Decl& channel) const {
  return decl_name(&channel) + "()";
}

// What the current task or receiver sends through: the ring, or its own lane of an mpsc ring.
// A service has one lane per core of its partition: each core's worker takes its own.
std::string ModuleEmitter::sender_ref(const Decl& channel) const {
  const ChannelPlan* c = plan_.channel(&channel);
  if (c == nullptr || c->kind != ChannelKind::kMpsc) return channel_ref(channel);
  const Decl* sender = system_owner_;
  if (sender != nullptr && sender->kind == DeclKind::kRoute) sender = sender->service;
  int first = c->first_lane(sender);
  if (sender != nullptr && sender->kind == DeclKind::kService) {
    return fmt::format("{}.producer({} + core_lane())", channel_ref(channel), first);
  }
  return fmt::format("{}.producer({})", channel_ref(channel), first);
}

void ModuleEmitter::emit_location(CodeWriter& w, const Stmt& s) {
  if (system_owner_ == nullptr) return;
  w.line(fmt::format("HALLOWS_AT({}, {}, {});",
                     cpp_string_literal(options_.display_paths.at(s.range.file)), s.range.line,
                     s.range.column));
}

// Tells each channel this task or receiver sends on that it has finished sending.
void ModuleEmitter::emit_handler_state_and_close(CodeWriter& w, const Decl& d) {
  if (!d.state.empty()) {
    w.line();
    w.line(" private:");
    w.indent();
    // The state's starting values, in order: a fresh object is the handler's (re)start.
    for (const StmtPtr& s : d.state) {
      std::string init = s->value ? " = " + expr(*s->value) : "{}";
      w.line(type(s->binding->type) + " " + cpp_ident(s->binding->name) + init + ";");
    }
    w.dedent();
  }
  w.line("};");
  w.line("}  // namespace receivers");
  w.line();
}

void ModuleEmitter::emit_senders_finished(CodeWriter& w, const Decl& d) {
  std::vector<const Decl*> done;
  for (const Decl::Send& s : d.sends) {
    if (std::find(done.begin(), done.end(), s.channel) != done.end()) continue;
    done.push_back(s.channel);
    w.line(decl_name(s.channel) + "_sender_finished();");
  }
}

void ModuleEmitter::emit_send(CodeWriter& w, const Expr& call) {
  const Decl& channel = *call.children[1]->decl;
  std::string message = fresh("message");
  w.line("{");
  w.indent();
  w.line(type(call.children[2]->type) + " " + message + " = " + expr(*call.children[2]) + ";");
  if (system_owner_ != nullptr && system_owner_->kind == DeclKind::kTask) {
    // Waiting for room suspends the task, so the partition's other work goes on meanwhile.
    w.line("co_await hallows::sched::wait_until([&] { return " + sender_ref(channel) +
           ".try_push(std::move(" + message + ")); });");
  } else {
    // A receiver's handler runs to completion: a full channel holds it (backpressure).
    w.line(sender_ref(channel) + ".push(std::move(" + message + "));");
  }
  w.line(decl_name(&channel) + "_wake();");
  w.dedent();
  w.line("}");
}

std::string ModuleEmitter::try_send(const Expr& call) {
  const Decl& channel = *call.children[1]->decl;
  // Fresh names: the message expression may itself use a binding called `message`.
  std::string message = fresh("message");
  std::string sent = fresh("sent");
  return "[&] { " + type(call.children[2]->type) + " " + message + " = " + expr(*call.children[2]) +
         "; bool " + sent + " = " + sender_ref(channel) + ".try_push(std::move(" + message +
         ")); if (" + sent + ") " + decl_name(&channel) + "_wake(); return " + sent + "; }()";
}

void ModuleEmitter::emit_system_header(CodeWriter& w) {
  bool any = false;
  for (const auto& d : module_.decls) any = any || is_system_decl(*d);
  if (!any) return;
  w.line();
  w.line("// ---- the system: channels, partition tasks, receivers, topics, consumers ----");
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kChannel) {
      const ChannelPlan* c = plan_.channel(d.get());
      if (c == nullptr) continue;
      emit_doc(w, d->doc);
      w.line(fmt::format("{}<{}>& {}();", ring_type(c->kind), type(d->carried->resolved),
                         cpp_ident(d->name)));
      w.line("void " + cpp_ident(d->name) + "_wake();");
      w.line("void " + cpp_ident(d->name) + "_sender_finished();");
    } else if (d->kind == DeclKind::kTask) {
      emit_doc(w, d->doc);
      w.line("hallows::sched::Task " + cpp_ident(d->name) + "();");
    } else if (d->kind == DeclKind::kReceiver) {
      emit_doc(w, d->doc);
      w.line("hallows::core::Receiver " + cpp_ident(d->name) + "();");
    } else if (d->kind == DeclKind::kTopic) {
      emit_topic_header(w, *d);
    } else if (d->kind == DeclKind::kConsumer) {
      emit_doc(w, d->doc);
      w.line("hallows::core::Receiver " + cpp_ident(d->name) + "(int member);");
    } else if (d->kind == DeclKind::kService) {
      emit_service_header(w, *d);
    }
  }
}

void ModuleEmitter::emit_system_source(CodeWriter& w) {
  for (const auto& d : module_.decls) {
    if (d->kind == DeclKind::kChannel) emit_channel(w, *d);
    if (d->kind == DeclKind::kTask) emit_task(w, *d);
    if (d->kind == DeclKind::kReceiver) emit_receiver(w, *d);
    if (d->kind == DeclKind::kTopic) emit_topic(w, *d);
    if (d->kind == DeclKind::kConsumer) emit_consumer(w, *d);
    if (d->kind == DeclKind::kService) emit_service(w, *d);
  }
}

void ModuleEmitter::emit_channel(CodeWriter& w, const Decl& d) {
  const ChannelPlan* c = plan_.channel(&d);
  if (c == nullptr) return;
  std::string name = cpp_ident(d.name);
  std::string ring = fmt::format("{}<{}>", ring_type(c->kind), type(d.carried->resolved));
  w.line(fmt::format("// channel {} carries {} {{ kind: {}, capacity: {} }}", d.name,
                     type_name(d.carried->resolved), spelling(c->kind), c->capacity));
  w.line(ring + "& " + name + "() {");
  w.indent();
  if (c->kind == ChannelKind::kSharedMemory) {
    // Named after the program, the channel and the process, so that two runs never share one.
    w.line(
        fmt::format("static {} ring = {}::create(\"/parsel-{}-{}-\" + std::to_string(::getpid()), "
                    "{});",
                    ring, ring, options_.project_name, d.name, c->capacity));
  } else if (c->kind == ChannelKind::kMpsc) {
    // One lane of `capacity` messages per sender: each sender writes its own lane.
    w.line(fmt::format("static {} ring({}, {});", ring, c->capacity, std::max(1, c->lanes)));
  } else {
    w.line(fmt::format("static {} ring({});", ring, c->capacity));
  }
  w.line("return ring;");
  w.dedent();
  w.line("}");
  w.line();
  w.line("// Wakes the partitions of the channel's receivers.");
  w.line("void " + name + "_wake() {");
  w.indent();
  std::vector<const Decl*> woken;
  for (const Decl* r : c->receivers) {
    if (r->partition == nullptr ||
        std::find(woken.begin(), woken.end(), r->partition) != woken.end()) {
      continue;
    }
    woken.push_back(r->partition);
    w.line(system_partition_name(*r->partition) + "->notify();");
  }
  w.dedent();
  w.line("}");
  w.line();
  w.line(fmt::format("// {} sender(s); the last one to finish closes the channel.",
                     c->senders.size()));
  w.line("void " + name + "_sender_finished() {");
  w.indent();
  w.line(fmt::format("static std::atomic<int> open_senders{{{}}};", c->senders.size()));
  w.line("if (open_senders.fetch_sub(1) == 1) {");
  w.indent();
  w.line(name + "().close();");
  w.line(name + "_wake();");
  w.dedent();
  w.line("}");
  w.dedent();
  w.line("}");
  w.line();
}

void ModuleEmitter::emit_task(CodeWriter& w, const Decl& d) {
  fresh_counter_ = 0;
  system_owner_ = &d;
  w.line("// partition_task " + d.name + " runs_on " + join_name(d.runs_on));
  w.line("hallows::sched::Task " + cpp_ident(d.name) + "() {");
  w.indent();
  emit_block(w, d.body);
  emit_senders_finished(w, d);
  w.line("co_return;");
  w.dedent();
  w.line("}");
  w.line();
  system_owner_ = nullptr;
}

void ModuleEmitter::emit_receiver(CodeWriter& w, const Decl& d) {
  const ChannelPlan* c = d.channel ? plan_.channel(d.channel) : nullptr;
  if (c == nullptr || d.params.empty()) return;
  fresh_counter_ = 0;
  system_owner_ = &d;
  std::string name = cpp_ident(d.name);
  const Binding& param = *d.params[0].binding;
  std::string message_type = type(param.type);
  w.line("// channel_receiver " + d.name + " runs_on " + join_name(d.runs_on) + " reads " +
         join_name(d.reads));
  w.line("namespace receivers {");
  w.line("class " + name + " {");
  w.line(" public:");
  w.indent();
  w.line("void on_message(const " + message_type + "& " + cpp_ident(param.name) + ") {");
  w.indent();
  emit_block(w, d.body);
  w.dedent();
  w.line("}");
  w.line("void on_channel_closed() {");
  w.indent();
  emit_block(w, d.closed_body);
  emit_senders_finished(w, d);
  w.dedent();
  w.line("}");
  w.dedent();
  emit_handler_state_and_close(w, d);
  bool broadcast = c->kind == ChannelKind::kBroadcast;
  w.line("hallows::core::Receiver " + name + "() {");
  w.indent();
  w.line("auto state = std::make_shared<receivers::" + name + ">();");
  if (broadcast) {
    w.line("auto source = std::make_shared<" + std::string(ring_type(c->kind)) + "<" +
           message_type + ">::Reader>(" + channel_ref(*d.channel) + ".add_reader());");
  } else {
    w.line("auto* source = &" + channel_ref(*d.channel) + ";");
  }
  w.line("hallows::core::Receiver receiver;");
  w.line("receiver.name = " + cpp_string_literal(d.name) + ";");
  w.line("receiver.where = " + where(options_.display_paths, d.name_range) + ";");
  w.line("// Handles up to `max` messages; a message whose handler fails is consumed.");
  w.line("receiver.poll = [state, source](std::size_t max) {");
  w.indent();
  w.line("std::size_t handled = 0;");
  w.line("for (; handled < max; ++handled) {");
  w.indent();
  w.line("const " + message_type + "* message = source->try_peek();");
  w.line("if (message == nullptr) break;");
  w.line("try {");
  w.line("  state->on_message(*message);");
  w.line("} catch (...) {");
  w.line("  source->release();");
  w.line("  throw;");
  w.line("}");
  w.line("source->release();");
  w.dedent();
  w.line("}");
  w.line("return handled;");
  w.dedent();
  w.line("};");
  w.line("receiver.done = [source] { return source->closed_and_drained(); };");
  w.line("receiver.on_closed = [state] { state->on_channel_closed(); };");
  w.line("receiver.reset = [state] { *state = receivers::" + name + "(); };");
  w.line("return receiver;");
  w.dedent();
  w.line("}");
  w.line();
  system_owner_ = nullptr;
}

std::string emit_system_header(const Program& program, const SystemPlan& plan,
                               const EmitOptions& options) {
  (void)program;
  CodeWriter w;
  w.line("// Generated by parsel " + options.parsel_version + ": the partitions of " +
         options.project_name + ", set by main.cpp before anything runs.");
  w.line("// Do not edit: change the .pt files and run `parsel build` again.");
  w.line("#pragma once");
  w.line();
  w.line("#include <unistd.h>");
  w.line();
  w.line("#include <atomic>");
  w.line("#include <memory>");
  w.line("#include <string>");
  w.line();
  w.line("#include <hallows/chan/broadcast_ring.h>");
  w.line("#include <hallows/chan/mpsc_ring.h>");
  w.line("#include <hallows/chan/shm_ring.h>");
  w.line("#include <hallows/chan/spsc_ring.h>");
  w.line("#include <hallows/core/program.h>");
  emit_slytherin_system_header(w, plan);
  for (const PartitionPlan& p : plan.partitions) {
    w.line();
    w.line("namespace parsel_system::" + module_namespace(*p.decl->module) + " {");
    w.line("// partition " + p.decl->name + " { " + settings_text(p) + " }");
    w.line("extern hallows::core::Partition* " + cpp_ident(p.decl->name) + ";");
    w.line("}");
  }
  return w.text();
}

std::string emit_system_main(const Program& program, const SystemPlan& plan,
                             const EmitOptions& options) {
  CodeWriter w;
  const auto& paths = options.display_paths;
  w.line("// Generated by parsel " + options.parsel_version + ": the entry point of " +
         options.project_name + ", which declares its partitions and starts them.");
  w.line("// Do not edit: change the .pt files and run `parsel build` again.");
  bool topics = !plan.topics.empty();
  bool services = !plan.services.empty();
  bool helpers = topics || services;  // report lines, settings, refusals
  w.line("#include <chrono>");
  if (helpers) w.line("#include <cstdio>");
  if (helpers) w.line("#include <cstdlib>");
  w.line("#include <exception>");
  if (helpers) w.line("#include <memory>");
  if (topics) w.line("#include <shared_mutex>");
  if (services) w.line("#include <vector>");
  w.line();
  if (topics) w.line("#include <hallows/log/broker.h>");
  if (services) w.line("#include <hallows/http/service.h>");
  w.line("#include \"system.h\"");
  for (const auto& m : program.modules) {
    bool needed = program.entry != nullptr && m.get() == program.entry->module;
    for (const auto& d : m->decls) needed = needed || is_system_decl(*d);
    if (needed) w.line("#include \"" + module_file_stem(*m) + ".h\"");
  }
  w.line();
  for (const PartitionPlan& p : plan.partitions) {
    w.line("hallows::core::Partition* " + system_partition_name(*p.decl) + " = nullptr;");
  }
  emit_slytherin_helpers(w, plan, options);
  w.line();
  w.line("int main() {");
  w.indent();
  w.line("hallows::core::ProgramSpec spec;");
  w.line("spec.name = " + cpp_string_literal(options.project_name) + ";");
  w.line(std::string("spec.allow_oversubscription = ") +
         (options.allow_oversubscription ? "true" : "false") + ";");
  if (helpers) {
    w.line("// A program hosting topics or services serves them until SIGINT or SIGTERM.");
    w.line("spec.serve_until_stopped = true;");
  }
  emit_slytherin_start(w, plan, options);
  if (topics) {
    w.line();
    w.line("int status = 0;");
    w.line("{");
    w.indent();
  }
  if (services) {
    w.line("// Declared before the program, so that they outlive its partitions' workers.");
    w.line("std::vector<std::unique_ptr<hallows::http::Service>> services;");
  }
  w.line("hallows::core::Program program(spec);");
  static const char* kScheduler[] = {"backend_api", "messaging", "database", "ui"};
  for (const PartitionPlan& p : plan.partitions) {
    const Decl& d = *p.decl;
    w.line();
    w.line("// partition " + d.name + " { " + settings_text(p) + " }");
    w.line("{");
    w.indent();
    w.line("hallows::core::PartitionSpec partition;");
    w.line("partition.name = " + cpp_string_literal(d.name) + ";");
    w.line(fmt::format("partition.cores = {};", p.cores));
    w.line(fmt::format("partition.scheduler = hallows::core::SchedulerKind::{};",
                       kScheduler[static_cast<int>(p.scheduler)]));
    w.line(fmt::format("partition.priority = hallows::core::Priority::{};",
                       p.realtime ? "realtime" : "normal"));
    w.line(fmt::format("partition.on_failure = hallows::core::OnFailure::{};",
                       p.restart ? "restart" : "stop_program"));
    w.line(fmt::format("partition.stall_bound = std::chrono::nanoseconds({});", p.stall_bound_ns));
    w.line("partition.declared_at = " + where(paths, d.name_range) + ";");
    w.line(system_partition_name(d) + " = &program.add_partition(partition);");
    w.dedent();
    w.line("}");
  }
  w.line();
  for (const PartitionPlan& p : plan.partitions) {
    for (const Decl* r : p.runs) {
      std::string fn = module_namespace(*r->module) + "::" + cpp_ident(r->name);
      if (r->kind == DeclKind::kTask) {
        w.line(system_partition_name(*p.decl) + "->spawn(" + cpp_string_literal(r->name) + ", " +
               where(paths, r->name_range) + ", " + fn + ");");
      } else if (r->kind == DeclKind::kConsumer) {
        for (std::int64_t m = 0; m < r->group_members; ++m) {
          w.line(system_partition_name(*p.decl) + "->add_receiver(" + fn +
                 fmt::format("({}));", m));
        }
      } else {
        w.line(system_partition_name(*p.decl) + "->add_receiver(" + fn + "());");
      }
    }
  }
  for (const ChannelPlan& c : plan.channels) {
    if (!c.senders.empty()) continue;
    w.line("// Nothing sends on " + c.decl->name + ": it is closed from the start.");
    w.line(module_namespace(*c.decl->module) + "::" + cpp_ident(c.decl->name) + "().close();");
  }
  if (program.entry != nullptr) {
    w.line();
    emit_run_entry(w, program);
    if (!plan.services.empty()) w.line();
  }
  emit_basilisk_start(w, plan, options);
  w.line(std::string(topics ? "" : "int ") + "status = program.run();");
  for (const ChannelPlan& c : plan.channels) {
    if (c.kind != ChannelKind::kSharedMemory) continue;
    w.line(module_namespace(*c.decl->module) + "::" + cpp_ident(c.decl->name) + "().unlink();");
  }
  if (topics) {
    emit_slytherin_unwake(w, plan);
    w.dedent();
    w.line("}  // the partitions are gone: their consumers have committed");
    emit_slytherin_stop(w, plan);
  }
  w.line("return status;");
  w.dedent();
  w.line("}");
  return w.text();
}

}  // namespace pt
