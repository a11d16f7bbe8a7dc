// Parse tree -> AST for the system declarations: partitions, channels, partition tasks,
// channel receivers, Slytherin's topics and consumers, and Basilisk's services (their parts are
// in build_service.cpp). Part of AstBuilder (build_ast.h).
#include "syntax/build_ast.h"

namespace pt {

std::vector<Setting> AstBuilder::build_settings(P::SettingsContext* ctx) {
  std::vector<Setting> out;
  if (ctx == nullptr) return out;
  for (auto* s : ctx->setting()) {
    if (s->IDENT() == nullptr) continue;  // a syntax error, already reported
    Setting setting;
    setting.name = s->IDENT()->getText();
    setting.range = token_range(s->IDENT()->getSymbol());
    if (s->expression()) setting.value = build_expr(s->expression());
    out.push_back(std::move(setting));
  }
  return out;
}

std::unique_ptr<Decl> AstBuilder::build_system_decl(P::DeclarationContext* ctx) {
  if (auto* p = ctx->partitionDecl()) {
    auto d = make_decl(DeclKind::kPartition, p, p->IDENT());
    d->settings = build_settings(p->settings());
    return d;
  }
  if (auto* c = ctx->channelDecl()) {
    auto d = make_decl(DeclKind::kChannel, c, c->IDENT());
    d->carried = std::make_unique<TypeRef>(build_type(c->typeRef()));
    d->settings = build_settings(c->settings());
    return d;
  }
  if (auto* t = ctx->taskDecl()) {
    auto d = make_decl(DeclKind::kTask, t, t->IDENT());
    d->runs_on = qualified_parts(t->qualifiedName());
    d->runs_on_range = range(t->qualifiedName());
    d->body = build_block(t->block());
    return d;
  }
  if (auto* t = ctx->topicDecl()) {
    auto d = make_decl(DeclKind::kTopic, t, t->IDENT());
    d->carried = std::make_unique<TypeRef>(build_type(t->typeRef()));
    for (auto* s : t->topicSetting()) d->settings.push_back(build_topic_setting(s));
    return d;
  }
  if (auto* c = ctx->consumerDecl()) return build_consumer(c);
  if (auto* s = ctx->serviceDecl()) return build_service(s);
  if (auto* r = ctx->routeDecl()) {
    // Only a service holds routes: this one is reported and left out of the module.
    auto route = build_route(r);
    sink_.report(diag::RouteOutsideService(route->name_range)
                     .note("move it into the body of a basilisk_service"));
    return nullptr;
  }
  if (auto* r = ctx->receiverDecl()) {
    auto d = make_decl(DeclKind::kReceiver, r, r->IDENT());
    d->runs_on = qualified_parts(r->qualifiedName(0));
    d->runs_on_range = range(r->qualifiedName(0));
    d->reads = qualified_parts(r->qualifiedName(1));
    d->reads_range = range(r->qualifiedName(1));
    for (auto* let : r->letStmt()) {
      if (let->bindingKind != nullptr) d->state.push_back(build_let(let));
    }
    // Error recovery can leave out any part of the handler: each is checked before use.
    if (auto* m = r->onMessage()) {
      if (m->ON_MESSAGE() != nullptr) d->handler_range = token_range(m->ON_MESSAGE()->getSymbol());
      if (m->param() != nullptr) {
        std::vector<P::ParamContext*> one{m->param()};
        d->params = build_params(one, BindingKind::kParam);
      }
      d->body = build_block(m->block());
    }
    if (auto* c = r->onChannelClosed()) {
      d->has_closed = true;
      d->closed_body = build_block(c->block());
    }
    return d;
  }
  return nullptr;
}

// One topic setting: a plain value, words before a value, or a word with named arguments.
Setting AstBuilder::build_topic_setting(P::TopicSettingContext* ctx) {
  Setting setting;
  if (ctx->IDENT() == nullptr) return setting;  // a syntax error, already reported
  setting.name = ctx->IDENT()->getText();
  setting.range = token_range(ctx->IDENT()->getSymbol());
  auto* value = ctx->topicValue();
  if (value == nullptr) return setting;
  setting.value_range = range(value);
  if (auto* plain = dynamic_cast<P::PlainValueContext*>(value)) {
    if (plain->expression()) setting.value = build_expr(plain->expression());
  } else if (auto* phrase = dynamic_cast<P::PhraseValueContext*>(value)) {
    for (auto* word : phrase->IDENT()) {
      setting.words.push_back(word->getText());
      setting.word_ranges.push_back(token_range(word->getSymbol()));
    }
    if (phrase->expression()) setting.value = build_expr(phrase->expression());
  } else if (auto* call = dynamic_cast<P::NamedArgsValueContext*>(value)) {
    setting.has_args = true;
    if (call->IDENT() != nullptr) {
      setting.words.push_back(call->IDENT()->getText());
      setting.word_ranges.push_back(token_range(call->IDENT()->getSymbol()));
    }
    for (auto* a : call->namedArg()) {
      if (a->IDENT() == nullptr) continue;
      Setting arg;
      arg.name = a->IDENT()->getText();
      arg.range = token_range(a->IDENT()->getSymbol());
      arg.value_range = range(a->expression());
      if (a->expression()) arg.value = build_expr(a->expression());
      setting.args.push_back(std::move(arg));
    }
  }
  return setting;
}

// `slytherin_consumer NAME runs_on P reads T group "G" members N { state on_message }`. The
// words `group` and `members` are names in the grammar (so that programs keep them as names);
// a misspelt one is a syntax error here.
std::unique_ptr<Decl> AstBuilder::build_consumer(P::ConsumerDeclContext* c) {
  auto d = make_decl(DeclKind::kConsumer, c, c->IDENT(0));
  d->runs_on = qualified_parts(c->qualifiedName(0));
  d->runs_on_range = range(c->qualifiedName(0));
  d->reads = qualified_parts(c->qualifiedName(1));
  d->reads_range = range(c->qualifiedName(1));
  auto word = [&](antlr4::Token* t, const char* want, const char* form) {
    if (t == nullptr || t->getText() == want) return;
    SourceRange r = token_range(t);
    sink_.report(diag::SyntaxError(r, "expected `" + std::string(want) + "` here, found name '" +
                                          t->getText() + "' " + form)
                     .fix(std::string("write `") + want + "`", r, want));
  };
  word(c->groupWord, "group",
       "(a consumer reads its topic as a group: `reads order_events group \"billing\"`)");
  if (auto* g = c->STRING()) {
    std::string text = g->getText();
    d->group = text.size() >= 2 ? text.substr(1, text.size() - 2) : "";
    d->group_range = token_range(g->getSymbol());
  }
  if (c->membersWord != nullptr) {
    word(c->membersWord, "members", "(`group \"billing\" members 2` runs two members)");
    d->has_members = true;
    if (auto* n = c->INT()) {
      d->members_range = token_range(n->getSymbol());
      auto e = int_literal(n->getSymbol(), d->members_range, false);
      d->group_members = e->int_value;
    }
  }
  for (auto* let : c->letStmt()) {
    if (let->bindingKind != nullptr) d->state.push_back(build_let(let));
  }
  if (auto* m = c->onMessage()) {
    d->has_handler = true;
    if (m->ON_MESSAGE() != nullptr) d->handler_range = token_range(m->ON_MESSAGE()->getSymbol());
    if (m->param() != nullptr) {
      std::vector<P::ParamContext*> one{m->param()};
      d->params = build_params(one, BindingKind::kParam);
    }
    d->body = build_block(m->block());
  }
  return d;
}

}  // namespace pt
