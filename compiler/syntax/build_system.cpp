// Parse tree -> AST for the system declarations: partitions, channels, partition tasks and
// channel receivers. Part of AstBuilder (build_ast.h).
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

}  // namespace pt
