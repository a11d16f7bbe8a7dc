// The checker's private state, shared by the files of sema/. Not included outside sema/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sema/builtins.h"
#include "sema/check.h"

namespace pt {

// What a name means at the top level of a module.
struct ModuleScope {
  const Module* module = nullptr;
  std::map<std::string, Decl*> own;        // this module's declarations
  std::map<std::string, Import*> aliases;  // `strings` for `import std.strings`
  std::vector<std::pair<Import*, const ModuleScope*>> imports;
};

// Definite assignment: the bindings declared without a value and not yet assigned.
struct FlowState {
  bool dead = false;  // after return/break/continue
  std::set<const Binding*> unassigned;
  void merge(const FlowState& other);  // a path joins another
};

class Checker {
 public:
  Checker(Program& program, DiagnosticSink& sink)
      : program_(program), sink_(sink), types_(program.types) {}

  bool run(const CheckOptions& options);

 private:
  // resolve.cpp
  bool order_modules();
  void collect_declarations(Module& m);
  void resolve_imports(Module& m);
  const Type* resolve_type(TypeRef& ref);
  // Null when nothing or more than one import declares `name`; the second case sets
  // last_lookup_ambiguous_ (and reports it when `report`), so callers do not report it again.
  const Decl* lookup_decl(const std::string& name, SourceRange where, bool report);
  const ModuleScope* lookup_module(const std::string& alias);
  void check_schema(Decl& d);
  void check_validator(const Decl& schema, FieldDecl& field, Validator& v);
  void check_recursion(const Decl& schema);
  void check_signature(Decl& d);
  void report_unused_imports(Module& m);

  // check_stmt.cpp
  void check_body(Decl& d);
  void begin_body(Decl& d);        // fresh per-body state and the outermost scope
  void declare_params(Decl& d);    // the parameters, in the current scope
  bool check_block(Block& block);  // returns true when the block always jumps away
  bool abbreviated_duration(Block& block, std::size_t i);  // `5 s`: PT1001; skip `s`
  bool check_stmt(Stmt& s);
  void check_let(Stmt& s);
  void check_set(Stmt& s);
  bool check_if(Stmt& s);
  bool check_match(Stmt& s);
  void check_for_each(Stmt& s);
  void check_unsafe_cpp(Stmt& s);
  void declare(Binding& b);
  void push_scope();
  void pop_scope();
  void finish_bindings();

  // check_system.cpp: tasks, receivers, channels, and sending
  void check_system_signature(Decl& d);
  void check_receiver(Decl& d);
  const Decl* lookup_system_decl(const std::vector<std::string>& name, SourceRange where);
  void resolve_runs_on(Decl& d);
  const Decl* system_decl_argument(Expr& arg, std::string& shown);
  const Decl* channel_argument(Expr& arg);
  const Type* check_send(Expr& e, Builtin b);
  void check_consumer_signature(Decl& d);
  const Decl* topic_argument(Expr& arg);
  void suggest_topic(Diagnostic& diag, const std::string& name, SourceRange where);
  const Type* check_publish(Expr& e);

  // check_service.cpp: Basilisk's services, routes and answer statements
  void check_service_signature(Decl& d);
  void check_route_signature(Decl& route);
  void check_service(Decl& d);
  const Type* check_answer(Expr& e, Builtin b);
  void report_request_body(Expr& e);

  // check_expr.cpp
  const Type* check_expr(Expr& e, const Type* expected = nullptr);
  const Type* check_expect(Expr& e, const Type* expected, const char* what);
  const Type* check_name(Expr& e);
  const Type* check_field(Expr& e);
  const Type* check_call(Expr& e, const Type* expected);
  const Type* check_builtin(Expr& e, Builtin b, const Type* expected);
  const Type* check_binary(Expr& e);
  const Type* check_unary(Expr& e);
  const Type* check_schema_literal(Expr& e);
  const Type* check_list_literal(Expr& e, const Type* expected);
  const Type* check_map_literal(Expr& e, const Type* expected);
  const Type* check_element(Expr& value, const Type* settled, const char* rule);
  const Type* check_string(Expr& e);
  Binding* lookup_binding(const std::string& name);
  // The binding at the root of a place (`a.b[0].c` -> a), or null.
  Binding* root_binding(Expr& place);
  void require_mutable(Expr& place, SourceRange where);
  bool check_args_count(Expr& e, const std::string& name, std::size_t min, std::size_t max);
  void mark_read(Binding& b, SourceRange where);
  std::string closest_name(const std::string& name);

  Program& program_;
  DiagnosticSink& sink_;
  TypeContext& types_;
  std::map<std::string, ModuleScope> scopes_;
  std::map<std::string, Module*> modules_by_name_;

  // Per module and per function.
  ModuleScope* scope_ = nullptr;
  Decl* function_ = nullptr;
  std::vector<std::vector<Binding*>> locals_;  // nested block scopes
  std::vector<Binding*> all_locals_;           // every binding of the current function
  std::vector<const Stmt*> let_of_;            // unused-binding fixes: parallel to all_locals_
  FlowState flow_;
  int loop_depth_ = 0;
  std::vector<bool> loop_broken_;  // per enclosing loop: whether a `break` leaves it
  // Bindings walked by an enclosing for_each or match: they cannot change until it ends.
  std::vector<std::pair<const Binding*, const char*>> walked_;
  bool last_lookup_ambiguous_ = false;
};

}  // namespace pt
