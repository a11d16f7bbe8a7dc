// The emitter's private state, shared by the files of emit/. Not included outside emit/.
#pragma once

#include <string>

#include "emit/emit.h"
#include "emit/writer.h"

namespace pt {

// C++ spellings of the program's names and types.
std::string cpp_ident(const std::string& name);  // mangles C++ keywords and reserved names
std::string module_namespace(const Module& m);   // `shop::orders`
std::string module_file_stem(const Module& m);   // `shop_orders`
std::string cpp_string_literal(std::string_view text);
// A `///` doc comment as C++ `//` lines.
void emit_doc(CodeWriter& w, const std::string& doc);

class ModuleEmitter {
 public:
  ModuleEmitter(const Program& program, const SystemPlan& plan, const Module& module,
                const EmitOptions& options)
      : program_(program), plan_(plan), module_(module), options_(options) {}

  std::string header();
  std::string source();

  // Spelling of a type as seen from this module.
  std::string type(const Type* t) const;
  // Spelling of a declaration (schema, enum, function) as seen from this module.
  std::string decl_name(const Decl* d) const;

 private:
  // emit_decls.cpp
  void emit_enum_decl(CodeWriter& w, const Decl& d);
  void emit_schema_decl(CodeWriter& w, const Decl& d);
  void emit_enum_impl(CodeWriter& w, const Decl& d);
  void emit_schema_impl(CodeWriter& w, const Decl& d);
  void emit_validate(CodeWriter& w, const Decl& d);
  void emit_schema_binary(CodeWriter& w, const Decl& d);
  void emit_field_checks(CodeWriter& w, const FieldDecl& f, const std::string& value);
  void emit_nested_checks(CodeWriter& w, const Type* t, const std::string& value,
                          const std::string& path);
  std::string signature(const Decl& d) const;
  std::string param_type(const Type* t) const;

  // emit_system.cpp: channels, tasks and receivers of this module
  void emit_system_header(CodeWriter& w);
  void emit_system_source(CodeWriter& w);
  void emit_channel(CodeWriter& w, const Decl& d);
  void emit_task(CodeWriter& w, const Decl& d);
  void emit_receiver(CodeWriter& w, const Decl& d);
  void emit_send(CodeWriter& w, const Expr& call);  // send_message as a statement
  std::string try_send(const Expr& call);           // try_send_message as an expression
  std::string channel_ref(const Decl& channel) const;
  std::string sender_ref(const Decl& channel) const;
  void emit_location(CodeWriter& w, const Stmt& s);
  void emit_senders_finished(CodeWriter& w, const Decl& d);
  // The state of a channel_receiver or slytherin_consumer class: members with their starting
  // values, so a fresh object is the handler's (re)start. Closes the class and its namespace.
  void emit_handler_state_and_close(CodeWriter& w, const Decl& d);

  // emit_slytherin.cpp: topics, consumers and publish_message
  void emit_topic_header(CodeWriter& w, const Decl& d);
  void emit_topic(CodeWriter& w, const Decl& d);
  void emit_consumer(CodeWriter& w, const Decl& d);
  std::string publish(const Expr& call);  // publish_message as a call of publish_<topic>
  std::string topic_function(const Decl& topic, const std::string& prefix,
                             const std::string& suffix) const;

  // emit_basilisk.cpp: services, their state, routes and answers
  void emit_service_header(CodeWriter& w, const Decl& d);
  void emit_service(CodeWriter& w, const Decl& d);
  void emit_route(CodeWriter& w, const Decl& route, std::size_t index);
  void emit_param_read(CodeWriter& w, const Type* t, const std::string& text,
                       const std::string& target, const std::string& what, const std::string& name);
  void emit_answer(CodeWriter& w, const Expr& call);  // return_ok(...) and the others
  std::string enum_parser(const Decl& e) const;       // parse_<module>_<Enum>

  // emit_body.cpp
  void emit_function(CodeWriter& w, const Decl& d);
  void emit_block(CodeWriter& w, const Block& b);
  void emit_stmt(CodeWriter& w, const Stmt& s);
  void emit_let(CodeWriter& w, const Stmt& s);
  void emit_set(CodeWriter& w, const Stmt& s);
  void emit_if(CodeWriter& w, const Stmt& s);
  void emit_match(CodeWriter& w, const Stmt& s);
  void emit_for_each(CodeWriter& w, const Stmt& s);
  void emit_unsafe_cpp(CodeWriter& w, const Stmt& s);
  void emit_mutating_call(CodeWriter& w, const Expr& call);
  std::string expr(const Expr& e);
  std::string call(const Expr& e);
  std::string builtin(const Expr& e);
  std::string binary(const Expr& e);
  std::string place(const Expr& e);  // an lvalue for writing (plain and cow bindings)
  std::string binding_ref(const Binding& b) const;
  // Whether an expression is a place rooted at a binding (safe to bind by reference).
  static bool is_binding_place(const Expr& e);
  std::string fresh(const std::string& base);

  const Program& program_;
  const SystemPlan& plan_;
  const Module& module_;
  const EmitOptions& options_;
  std::string file_stem_;
  int fresh_counter_ = 0;
  int unsafe_cpp_counter_ = 0;
  // The task, receiver, consumer or route whose body is being emitted: statements record their
  // .pt location, and in a task (a coroutine) loops yield and `return` finishes the task's
  // channels.
  const Decl* system_owner_ = nullptr;
};

// emit_system.cpp
std::string system_partition_name(const Decl& partition);  // parsel_system::shop::workers
std::string emit_system_header(const Program& program, const SystemPlan& plan,
                               const EmitOptions& options);
std::string emit_system_main(const Program& program, const SystemPlan& plan,
                             const EmitOptions& options);
// emit_slytherin_main.cpp: what main.cpp and system.h add for a program with topics.
void emit_slytherin_system_header(CodeWriter& w, const SystemPlan& plan);
void emit_slytherin_helpers(CodeWriter& w, const SystemPlan& plan, const EmitOptions& options);
void emit_slytherin_start(CodeWriter& w, const SystemPlan& plan, const EmitOptions& options);
void emit_slytherin_unwake(CodeWriter& w, const SystemPlan& plan);
void emit_slytherin_stop(CodeWriter& w, const SystemPlan& plan);

// emit_basilisk_main.cpp: what main.cpp adds for a program with services (its helpers go in
// parsel_system's anonymous namespace, after setting() and refuse()).
void emit_basilisk_helpers(CodeWriter& w, const SystemPlan& plan);
void emit_basilisk_start(CodeWriter& w, const SystemPlan& plan, const EmitOptions& options);
// Whether the program gets a main.cpp: a `program` block, or a service to serve.
bool has_main(const Program& program, const SystemPlan& plan);

// emit_cmake.cpp
// Runs the `program` block, turning an escaped C++ exception into the runtime's panic.
void emit_run_entry(CodeWriter& w, const Program& program);
std::string emit_main(const Program& program, const EmitOptions& options);
std::string emit_cmake(const Program& program, bool main, const EmitOptions& options);

}  // namespace pt
