// C++ for Slytherin's declarations in a module: each topic's configuration (settings and the
// broker-side check of produced records) and its publish function, and each consumer's handler
// class and the factory of its members (hallows/log, hallows/obs).
#include <fmt/format.h>

#include "emit/emitter.h"

namespace pt {

namespace {

// The settings as the plan reads them (defaults filled in), for a comment.
std::string settings_text(const TopicPlan& t) {
  std::string out =
      fmt::format("partitions: {}, durability: {}", t.partitions, spelling(t.durability));
  if (t.durability == Durability::kFsyncBatched) {
    out += fmt::format("(max_delay: {} ns)", t.fsync_max_delay_ns);
  }
  if (t.retention_ms > 0) out += fmt::format(", retention: {} ms", t.retention_ms);
  if (t.retention_bytes > 0) out += fmt::format(", retention_bytes: {}", t.retention_bytes);
  if (t.has_budget) {
    out += fmt::format(", latency_budget: {} under {} ns", t.budget_quantile, t.budget_ns);
  }
  if (t.key != nullptr) out += ", key: " + t.key->name;
  out += std::string(", encoding: ") + spelling(t.encoding);
  return out;
}

}  // namespace

// `publish_order_events`, `shop::publish_order_events`: a function of a topic as seen from here.
std::string ModuleEmitter::topic_function(const Decl& topic, const std::string& prefix,
                                          const std::string& suffix) const {
  std::string name = cpp_ident(prefix + topic.name + suffix);
  if (topic.module == &module_) return name;
  return module_namespace(*topic.module) + "::" + name;
}

std::string ModuleEmitter::publish(const Expr& call) {
  const Decl& topic = *call.children[1]->decl;
  return topic_function(topic, "publish_", "") + "(" + expr(*call.children[2]) + ")";
}

void ModuleEmitter::emit_topic_header(CodeWriter& w, const Decl& d) {
  const TopicPlan* t = plan_.topic(&d);
  if (t == nullptr) return;
  std::string schema = type(d.carried->resolved);
  emit_doc(w, d.doc);
  w.line("// slytherin_topic " + d.name + " carries " + type_name(d.carried->resolved));
  w.line("hallows::log::TopicConfig " + topic_function(d, "", "_topic_config") + "();");
  w.line("void " + topic_function(d, "publish_", "") + "(const " + schema + "& value);");
}

void ModuleEmitter::emit_topic(CodeWriter& w, const Decl& d) {
  const TopicPlan* t = plan_.topic(&d);
  if (t == nullptr) return;
  std::string schema = type(d.carried->resolved);
  bool json = t->encoding == TopicEncoding::kJson;
  static const char* kDurability[] = {"none", "fsync_batched", "fsync_every_write"};
  w.line("// slytherin_topic " + d.name + " carries " + type_name(d.carried->resolved) + " { " +
         settings_text(*t) + " }");
  w.line("hallows::log::TopicConfig " + topic_function(d, "", "_topic_config") + "() {");
  w.indent();
  w.line("hallows::log::TopicConfig config;");
  w.line("config.name = " + cpp_string_literal(d.name) + ";");
  w.line(fmt::format("config.partitions = {};", t->partitions));
  w.line(fmt::format("config.durability = hallows::log::Durability::{};",
                     kDurability[static_cast<int>(t->durability)]));
  w.line(
      fmt::format("config.fsync_max_delay = std::chrono::nanoseconds({});", t->fsync_max_delay_ns));
  w.line(fmt::format("config.retention_time = std::chrono::milliseconds({});  // 0: forever",
                     t->retention_ms));
  w.line(fmt::format("config.retention_bytes = {};  // -1: no bound", t->retention_bytes));
  w.line(fmt::format("config.segment_bytes = {};", t->segment_bytes));
  w.line(std::string("config.encoding = \"") + spelling(t->encoding) + "\";");
  w.line("// Every record a Kafka client produces must decode as " +
         type_name(d.carried->resolved) + " and pass its validate rules.");
  w.line("config.validate_value = [](std::span<const std::byte> value, std::string& why) {");
  w.indent();
  if (json) {
    w.line("hallows::DecodeResult<" + schema + "> decoded = hallows::decode_and_validate<" +
           schema + ">(hallows::as_text(value));");
  } else {
    w.line("hallows::DecodeResult<" + schema + "> decoded = hallows::decode_binary<" + schema +
           ">(value);");
  }
  w.line("if (decoded.ok()) return true;");
  w.line("why = decoded.error.describe();");
  w.line("return false;");
  w.dedent();
  w.line("};");
  w.line("return config;");
  w.dedent();
  w.line("}");
  w.line();

  // publish_message(topic, value): checked, encoded, keyed, appended.
  w.line("void " + topic_function(d, "publish_", "") + "(const " + schema + "& value) {");
  w.indent();
  w.line("if (std::optional<hallows::ValidationError> broken = validate(value)) {");
  w.indent();
  w.line("hallows::panic(" + cpp_string_literal("publish_message(" + d.name + "): ") +
         " + broken->field + \": \" + broken->message);");
  w.dedent();
  w.line("}");
  if (json) {
    w.line("std::string text = hallows::to_json(value);");
    w.line("std::span<const std::byte> bytes = hallows::as_byte_span(text);");
  } else {
    w.line("std::vector<std::byte> bytes = hallows::to_binary(value);");
  }
  std::string key_arg = "std::nullopt";
  if (t->key != nullptr) {
    // The Kafka key: decimal text, the UTF-8 itself, true/false, or the member's name.
    std::string field = "value." + cpp_ident(t->key->name);
    const Type* kt = t->key->type.resolved;
    std::string text = field;
    if (kt->is(Type::Kind::kI64)) text = "std::to_string(" + field + ")";
    if (kt->is(Type::Kind::kBool)) text = "std::string(" + field + " ? \"true\" : \"false\")";
    if (kt->is(Type::Kind::kEnum)) text = "to_text(" + field + ")";
    w.line("// The key: the field " + t->key->name + ", as Kafka clients show and hash it.");
    w.line((kt->is(Type::Kind::kString) ? "const std::string& key = " : "std::string key = ") +
           text + ";");
    key_arg = "hallows::as_byte_span(key)";
  }
  w.line("if (parsel_system::log().publish(" + cpp_string_literal(d.name) + ", " + key_arg +
         ", bytes) < 0) {");
  w.indent();
  w.line("hallows::panic(" +
         cpp_string_literal("publish_message(" + d.name +
                            "): the log refused the record (its report says why)") +
         ");");
  w.dedent();
  w.line("}");
  w.dedent();
  w.line("}");
  w.line();
}

void ModuleEmitter::emit_consumer(CodeWriter& w, const Decl& d) {
  const TopicPlan* t = d.topic ? plan_.topic(d.topic) : nullptr;
  if (t == nullptr || d.params.empty()) return;
  fresh_counter_ = 0;
  system_owner_ = &d;
  std::string name = cpp_ident(d.name);
  const Binding& param = *d.params[0].binding;
  std::string message_type = type(param.type);
  std::string header = "// slytherin_consumer " + d.name + " runs_on " + join_name(d.runs_on) +
                       " reads " + join_name(d.reads) + " group \"" + d.group + "\"";
  w.line(header + fmt::format(" members {}", d.group_members));
  w.line("namespace receivers {");
  w.line("class " + name + " {");
  w.line(" public:");
  w.indent();
  w.line("void on_message(const " + message_type + "& " + cpp_ident(param.name) + ") {");
  w.indent();
  emit_block(w, d.body);
  w.dedent();
  w.line("}");
  w.dedent();
  emit_handler_state_and_close(w, d);

  std::string topic_name = cpp_string_literal(t->decl->name);
  w.line(fmt::format("// Member `member` of {}: reads its share of {}'s {} partitions.",
                     d.group_members, t->decl->name, t->partitions));
  w.line("hallows::core::Receiver " + name + "(int member) {");
  w.indent();
  w.line("auto state = std::make_shared<receivers::" + name + ">();");
  w.line(
      fmt::format("auto source = std::make_shared<hallows::log::LocalConsumer>(parsel_system::"
                  "log(), {}, {}, member, {});",
                  topic_name, cpp_string_literal(d.group), d.group_members));
  if (t->has_budget) {
    // One monitor for every member of the group; never destroyed, since workers left running
    // after a shutdown timeout may still record into it.
    w.line(fmt::format("// latency_budget: {} under {} ns, produce to consume.", t->budget_quantile,
                       t->budget_ns));
    w.line("static hallows::obs::LatencyBudget* budget = new hallows::obs::LatencyBudget(");
    w.indent();
    w.indent();
    w.line(cpp_string_literal("topic " + t->decl->name + ", group " + d.group) +
           ", \"slytherin_consume_latency\",");
    w.line(cpp_string_literal("topic=\"" + t->decl->name + "\",group=\"" + d.group + "\"") +
           fmt::format(", {}, std::chrono::nanoseconds({}), parsel_system::report);", t->quantile,
                       t->budget_ns));
    w.dedent();
    w.dedent();
  }
  w.line("hallows::core::Receiver receiver;");
  w.line("receiver.name = " + cpp_string_literal(d.name + " member ") +
         " + std::to_string(member);");
  w.line("receiver.where = " +
         fmt::format("{{{}, {}, {}}}",
                     cpp_string_literal(options_.display_paths.at(d.name_range.file)),
                     d.name_range.line, d.name_range.column) +
         ";");
  w.line("// Hands up to `max` records to on_message; a record whose handler fails is consumed.");
  w.line("receiver.poll = [state, source](std::size_t max) {");
  w.indent();
  w.line(std::string(t->has_budget ? "std::size_t handled = " : "return ") +
         "source->poll(max, [&](const hallows::log::RecordView& record) {");
  w.indent();
  bool json = t->encoding == TopicEncoding::kJson;
  w.line("hallows::DecodeResult<" + message_type + "> decoded;");
  w.line("if (record.value) {");
  w.indent();
  if (json) {
    w.line("decoded = hallows::decode_and_validate<" + message_type +
           ">(hallows::as_text(*record.value));");
  } else {
    w.line("decoded = hallows::decode_binary<" + message_type + ">(*record.value);");
  }
  w.dedent();
  w.line("} else {");
  w.line("  decoded.error = hallows::DecodeError{\"$\", \"a record without a value\"};");
  w.line("}");
  w.line("if (!decoded.ok()) {");
  w.indent();
  w.line("parsel_system::report(" +
         cpp_string_literal("slytherin_consumer " + d.name + ": skipped the record at offset ") +
         " + std::to_string(record.offset) + " + cpp_string_literal(" of " + t->decl->name + ": ") +
         " + decoded.error.describe());");
  w.line("return;");
  w.dedent();
  w.line("}");
  if (t->has_budget) {
    w.line("// Latency from the publisher's clock (header pt.ns), else the record's timestamp.");
    w.line("std::int64_t produced = hallows::log::produced_ns(record);");
    w.line("if (produced < 0) produced = record.timestamp * 1000000;");
    w.line("std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(");
    w.line("    std::chrono::system_clock::now().time_since_epoch()).count();");
    w.line("budget->record(std::chrono::nanoseconds(now > produced ? now - produced : 0));");
  }
  w.line("state->on_message(*decoded.value);");
  w.dedent();
  w.line("});");
  if (t->has_budget) {
    // A window must close (and report a breach) even when no record follows it: an idle
    // poll checks it (the scheduler polls at least every park_timeout).
    w.line("if (handled == 0) budget->check_window();");
    w.line("return handled;");
  }
  w.dedent();
  w.line("};");
  w.line("// A consumer runs until the program stops.");
  w.line("receiver.done = [] { return false; };");
  w.line("receiver.reset = [state] { *state = receivers::" + name + "(); };");
  w.line("return receiver;");
  w.dedent();
  w.line("}");
  w.line();
  system_owner_ = nullptr;
}

}  // namespace pt
