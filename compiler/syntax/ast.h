// The project's own syntax tree. Built from the ANTLR parse tree by syntax/, which is the only
// folder that sees ANTLR; annotated in place by sema/ (the `type` and `target` slots).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "diag/source.h"

namespace pt {

struct Type;  // sema/types.h
struct Decl;
struct Binding;

struct TypeRef {
  enum class Kind : std::uint8_t { kNamed, kList, kMap, kOptional };
  Kind kind = Kind::kNamed;
  std::vector<std::string> name;  // kNamed: `i64`, `Order` or `shop.Order`
  std::vector<TypeRef> args;      // element type(s)
  SourceRange range;
  const Type* resolved = nullptr;  // sema
};

enum class ExprKind : std::uint8_t {
#define PT_EXPR(NAME) NAME,
#include "syntax/expr_kinds.def"
#undef PT_EXPR
};

enum class BinaryOp : std::uint8_t {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kRem,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr
};
enum class UnaryOp : std::uint8_t { kNeg, kNot };

const char* spelling(BinaryOp op);
const char* spelling(UnaryOp op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// One expression node. Which members are used depends on `kind` (see expr_kinds.def).
struct Expr {
  ExprKind kind;
  SourceRange range;
  std::string text;            // Name, Field: the identifier; StringLit: literal pieces joined
  std::int64_t int_value = 0;  // IntLit; DurationLit in nanoseconds; BoolLit 0/1
  double float_value = 0;      // FloatLit
  BinaryOp binary_op = BinaryOp::kAdd;
  UnaryOp unary_op = UnaryOp::kNeg;
  std::vector<ExprPtr> children;   // operands, callee + arguments, list elements, field values
  std::vector<std::string> names;  // SchemaLit: field names, parallel to children
  std::vector<SourceRange> name_ranges;
  // StringLit: the text pieces between holes; holes are `children`. pieces.size() ==
  // children.size() + 1.
  std::vector<std::string> pieces;

  // Filled by sema.
  const Type* type = nullptr;
  const Decl* decl = nullptr;        // Name/Field/Call/SchemaLit: the declaration referred to
  const Binding* binding = nullptr;  // Name: the local binding referred to
  int member_index = -1;             // Field: index of the schema field or enum member
  int builtin = -1;                  // Call: index into sema's builtin table

  Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

enum class StmtKind : std::uint8_t {
#define PT_STMT(NAME) NAME,
#include "syntax/stmt_kinds.def"
#undef PT_STMT
};

enum class BindingKind : std::uint8_t {
  kImmutable,
  kMut,
  kCow,
  kMutShared,
  kParam,
  kOutput,
  kLoop
};
const char* keyword(BindingKind k);

// A local name: a let binding, parameter, loop variable, match capture or unsafe_cpp output.
struct Binding {
  std::string name;
  BindingKind kind;
  SourceRange range;
  const Type* type = nullptr;  // sema
  bool used = false;           // sema
  bool mutated = false;        // sema
};

struct MatchArm {
  enum class Kind : std::uint8_t { kEnum, kSome, kNone, kOtherwise };
  Kind kind;
  SourceRange range;
  std::vector<std::string> members;  // kEnum
  std::vector<SourceRange> member_ranges;
  std::unique_ptr<Binding> capture;  // kSome
  Block body;
  std::vector<int> member_indexes;  // sema: enum member indexes
};

struct Stmt {
  StmtKind kind;
  SourceRange range;
  std::unique_ptr<Binding> binding;        // Let: the new name
  std::unique_ptr<Binding> binding2;       // ForEach over a map: the value name
  std::unique_ptr<TypeRef> declared_type;  // Let: optional annotation
  ExprPtr target;                          // Set: the place assigned (Name/Field/Index chain)
  ExprPtr value;    // Let/Set/Return/ExprStmt value, If/While condition, ForEach source
  Block body;       // If then-block, While/ForEach body
  Block else_body;  // If: else-block (an else-if is one If statement in it)
  bool has_else = false;
  std::vector<MatchArm> arms;  // Match
  // UnsafeCpp
  std::vector<std::string> inputs;
  std::vector<SourceRange> input_ranges;
  std::vector<std::unique_ptr<Binding>> outputs;
  std::vector<TypeRef> output_types;
  std::string cpp_code;
  SourceRange cpp_range;
  std::vector<const Binding*> input_bindings;  // sema

  Stmt(StmtKind k, SourceRange r) : kind(k), range(r) {}
};

// ---- declarations ----

enum class DeclKind : std::uint8_t {
  kSchema,
  kEnum,
  kFunction,
  kRuntimeFunction,
  kProgram,
  kPartition,  // partition NAME { settings }
  kChannel,    // channel NAME carries T { settings }
  kTask,       // partition_task NAME runs_on P { body }
  kReceiver,   // channel_receiver NAME runs_on P reads C { state; on_message; on_channel_closed }
  kTopic,      // slytherin_topic NAME carries T { settings }
  kConsumer,  // slytherin_consumer NAME runs_on P reads T group "G" members N { state; on_message }
  kService,   // basilisk_service NAME runs_on P listens_on port N { limits; state; routes }
  kRoute,  // route METHOD "PATH" query(...) accepts T returns T { body }: in a service's `routes`
  kDialect
};

// `name: value` inside a partition, channel or topic declaration. A topic's setting may also be
// words before a value (`latency_budget: p99 under 2 ms`: words p99, under; value 2 ms) or a
// word with named arguments (`durability: fsync_batched(max_delay: 5 ms)`: words
// fsync_batched, args max_delay, no value).
struct Setting {
  std::string name;
  SourceRange range;  // the name
  ExprPtr value;
  std::vector<std::string> words;
  std::vector<SourceRange> word_ranges;
  std::vector<Setting> args;
  bool has_args = false;
  SourceRange value_range;  // everything after the colon
};

struct Validator {
  std::string name;
  SourceRange range;
  std::vector<ExprPtr> args;
};

struct FieldDecl {
  std::string name;
  SourceRange range;
  TypeRef type;
  ExprPtr default_value;
  std::vector<Validator> validators;
  std::string doc;
};

struct Param {
  std::unique_ptr<Binding> binding;
  TypeRef type;
};

// Basilisk: one segment of a route's path pattern, `orders` or `{order_id: i64}`.
struct PathSegment {
  std::string text;  // as written between the slashes (a parameter: its `{...}` text)
  int param = -1;    // a parameter: its index in the route's Decl::params
  SourceRange range;
};

// Basilisk: what a route adds to its Decl (kind kRoute). The route's parameters are the Decl's
// `params`: first the path's, in pattern order, then the query's; its `returns` type is the
// Decl's `return_type` (null: the route answers without a body) and its handler is `body`.
struct RouteInfo {
  std::string method;  // as written: GET, POST, PUT, PATCH, DELETE (checked by sema)
  SourceRange method_range;
  std::string path;  // the pattern as written, without the quotes
  SourceRange path_range;
  std::vector<PathSegment> segments;  // empty for the root "/"
  std::size_t path_params = 0;        // how many of Decl::params come from the path
  // Parallel to the query parameters (Decl::params after the path's): `= literal`, or null.
  std::vector<ExprPtr> query_defaults;
  bool has_query = false;
  SourceRange query_range;                // the `query` word
  std::unique_ptr<TypeRef> accepts;       // `accepts T`: the request body's schema, or null
  std::unique_ptr<Binding> request_body;  // with `accepts`: the decoded body, in the handler
  // sema: the HTTP status of each answer statement in the body, in order (200, 201, 204, 404,
  // 400, or return_error's literal status; 0 for a computed one). For `parsel openapi`.
  std::vector<std::int64_t> answer_statuses;
};

struct Module;

struct Decl {
  DeclKind kind;
  std::string name;
  SourceRange range;       // the whole declaration
  SourceRange name_range;  // the name
  std::string doc;         // `///` comments just above
  const Module* module = nullptr;
  // Schema
  std::vector<FieldDecl> fields;
  // Enum
  std::vector<std::string> members;
  std::vector<SourceRange> member_ranges;
  // Function, RuntimeFunction, Program
  std::vector<Param> params;
  std::unique_ptr<TypeRef> return_type;  // null: returns nothing
  Block body;
  std::string runtime_symbol;  // RuntimeFunction: the C++ function it binds
  // Partition, Channel
  std::vector<Setting> settings;
  std::unique_ptr<TypeRef> carried;  // Channel: the message type
  // Task, Receiver: the partition they run on; Receiver: the channel it reads. `body` is the
  // task's code or the receiver's on_message block (its parameter is params[0]).
  std::vector<std::string> runs_on;
  SourceRange runs_on_range;
  std::vector<std::string> reads;
  SourceRange reads_range;
  Block state;        // Receiver: let statements before on_message, kept between messages
  Block closed_body;  // Receiver: on_channel_closed
  bool has_closed = false;
  SourceRange handler_range;        // Receiver: the `on_message` keyword
  const Decl* partition = nullptr;  // sema: runs_on
  const Decl* channel = nullptr;    // sema: reads
  // Consumer: `group "NAME"` and `members N` (default 1); the topic it reads (sema).
  std::string group;
  SourceRange group_range;
  std::int64_t group_members = 1;
  SourceRange members_range;
  bool has_members = false;
  bool has_handler = false;
  const Decl* topic = nullptr;
  // sema, Task and Receiver: every send_message / try_send_message in the body, in order.
  struct Send {
    const Decl* channel;
    SourceRange range;
    bool waits;  // send_message (waits while full), not try_send_message
  };
  std::vector<Send> sends;
  // Service: `listens_on port N`, `limits { ... }` (its settings are `settings`), its state
  // (`state`: let statements kept between requests) and its routes (Decls of kind kRoute).
  std::int64_t port = 0;
  SourceRange port_range;
  bool has_limits = false;
  SourceRange limits_range;  // the `limits` word
  std::vector<std::unique_ptr<Decl>> routes;
  // Route: method, path, query defaults, accepts; `service` is the service it belongs to.
  std::unique_ptr<RouteInfo> route;
  const Decl* service = nullptr;
  // Dialect: the keyword (`oltp_table`, ...)
  std::string dialect_keyword;

  const Type* type = nullptr;  // sema: the schema/enum type; the function's return type
  bool used = false;           // sema
};

struct Import {
  std::vector<std::string> name;
  SourceRange range;
  const Module* target = nullptr;  // sema
  bool used = false;               // sema
};

struct Module {
  std::string name;  // dotted: `shop.orders`
  SourceRange name_range;
  std::uint32_t file = 0;
  bool has_module_decl = false;
  bool is_stdlib = false;
  std::vector<Import> imports;
  std::vector<std::unique_ptr<Decl>> decls;
};

std::string join_name(const std::vector<std::string>& parts);

}  // namespace pt
