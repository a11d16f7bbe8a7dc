// What system.h and main.cpp add for a program with Slytherin topics: the program's one Log,
// report lines, the settings of parsel.toml (overridable by environment variables at run time),
// the start of the log, the Kafka-protocol broker and the metrics endpoint, and their stop.
// Report lines, settings and refusals serve Basilisk's services too (emit_basilisk_main.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "emit/emitter.h"

namespace pt {

namespace {

// `parsel_system::shop::consumers`: the pointer main.cpp sets for a partition.
std::string partition_pointer(const Decl& partition) {
  return system_partition_name(partition);
}

}  // namespace

void emit_slytherin_system_header(CodeWriter& w, const SystemPlan& plan) {
  bool topics = !plan.topics.empty();
  if (!topics && plan.services.empty()) return;
  w.line();
  if (topics) {
    w.line("#include <hallows/log/consumer.h>");
    w.line("#include <hallows/log/log.h>");
    w.line("#include <hallows/obs/metrics.h>");
    w.line();
  }
  w.line("namespace parsel_system {");
  if (topics) {
    w.line("// The program's Slytherin log, holding every topic the .pt files declare (main.cpp).");
    w.line("hallows::log::Log& log();");
  }
  w.line(
      "// Writes one report line (log, broker, consumers, services, latency budgets) to standard "
      "error.");
  w.line("void report(std::string_view line);");
  w.line("}  // namespace parsel_system");
}

void emit_slytherin_helpers(CodeWriter& w, const SystemPlan& plan, const EmitOptions& options) {
  if (plan.topics.empty() && plan.services.empty()) return;
  const SlytherinOptions& s = options.slytherin;
  w.line();
  w.line("namespace parsel_system {");
  w.line();
  w.line("void report(std::string_view line) {");
  w.line("  std::fprintf(stderr, \"%.*s\\n\", static_cast<int>(line.size()), line.data());");
  w.line("}");
  w.line();
  w.line("namespace {");
  w.line();
  w.line("// A setting of parsel.toml, unless the environment variable overrides it.");
  w.line("std::string setting(const char* variable, const char* from_manifest) {");
  w.line("  const char* value = std::getenv(variable);");
  w.line("  return value != nullptr && *value != '\\0' ? value : from_manifest;");
  w.line("}");
  w.line();
  w.line("// Prints why the program cannot start and gives its exit status.");
  w.line("int refuse(const std::string& why) {");
  w.line("  std::fprintf(stderr, \"error: %s\\n\", why.c_str());");
  w.line("  return hallows::core::kExitRefused;");
  w.line("}");
  emit_basilisk_helpers(w, plan);
  if (plan.topics.empty()) {
    w.line();
    w.line("}  // namespace");
    w.line();
    w.line("}  // namespace parsel_system");
    return;
  }
  w.line();
  w.line("// \"host:port\" into its parts; false when the text is not that.");
  w.line("bool split_listen(const std::string& text, std::string& host, int& port) {");
  w.indent();
  w.line("std::size_t colon = text.rfind(':');");
  w.line("if (colon == std::string::npos || colon == 0) return false;");
  w.line("std::string digits = text.substr(colon + 1);");
  w.line("if (digits.empty() || digits.size() > 5 ||");
  w.line("    digits.find_first_not_of(\"0123456789\") != std::string::npos) {");
  w.line("  return false;");
  w.line("}");
  w.line("host = text.substr(0, colon);");
  w.line("port = std::stoi(digits);");
  w.line("return port <= 65535;");
  w.dedent();
  w.line("}");
  w.line();
  w.line("}  // namespace");
  w.line();
  w.line("hallows::log::Log& log() {");
  w.indent();
  w.line("// Made on first use and never destroyed: main closes it, and partition workers left");
  w.line("// running after a shutdown timeout must not meet a destroyed log.");
  w.line("static hallows::log::Log* the_log = [] {");
  w.indent();
  w.line("hallows::log::LogConfig config;");
  w.line("config.data_dir = setting(\"PT_SLYTHERIN_DATA_DIR\", " + cpp_string_literal(s.data_dir) +
         ");");
  w.line("config.report = report;");
  w.line("return new hallows::log::Log(config);");
  w.dedent();
  w.line("}();");
  w.line("return *the_log;");
  w.dedent();
  w.line("}");
  w.line();
  bool consumers = std::any_of(plan.topics.begin(), plan.topics.end(),
                               [](const TopicPlan& t) { return !t.consumers.empty(); });
  if (consumers) {
    w.line(
        "// Guards the partition pointers the log's listener wakes: main clears them, holding it");
    w.line("// exclusively, before the partitions go away.");
    w.line("std::shared_mutex wake_mutex;");
    w.line();
  }
  w.line("}  // namespace parsel_system");
}

void emit_slytherin_start(CodeWriter& w, const SystemPlan& plan, const EmitOptions& options) {
  if (plan.topics.empty()) return;
  w.line();
  w.line("// ---- Slytherin: the topics, the log, the Kafka-protocol broker, the metrics ----");
  for (const TopicPlan& t : plan.topics) {
    const Decl& d = *t.decl;
    w.line("if (std::string error = parsel_system::log().add_topic(" + module_namespace(*d.module) +
           "::" + cpp_ident(d.name + "_topic_config") + "()); !error.empty()) {");
    w.line("  return parsel_system::refuse(" + cpp_string_literal("topic " + d.name + ": ") +
           " + error);");
    w.line("}");
  }
  bool consumers = std::any_of(plan.topics.begin(), plan.topics.end(),
                               [](const TopicPlan& t) { return !t.consumers.empty(); });
  if (consumers) {
    w.line("// New records wake the partitions whose consumers read them.");
    w.line("parsel_system::log().add_listener([](hallows::log::PartitionLog& changed) {");
    w.indent();
    w.line("std::shared_lock lock(parsel_system::wake_mutex);");
    for (const TopicPlan& t : plan.topics) {
      std::vector<const Decl*> woken;
      for (const Decl* c : t.consumers) {
        if (c->partition != nullptr &&
            std::find(woken.begin(), woken.end(), c->partition) == woken.end()) {
          woken.push_back(c->partition);
        }
      }
      if (woken.empty()) continue;
      w.line("if (changed.topic() == " + cpp_string_literal(t.decl->name) + ") {");
      w.indent();
      for (const Decl* p : woken) {
        w.line("if (auto* partition = " + partition_pointer(*p) + ") partition->notify();");
      }
      w.dedent();
      w.line("}");
    }
    w.dedent();
    w.line("});");
  }
  const SlytherinOptions& s = options.slytherin;
  w.line("hallows::log::BrokerConfig broker_config;");
  w.line("std::string listen = parsel_system::setting(\"PT_SLYTHERIN_LISTEN\", " +
         cpp_string_literal(s.listen) + ");");
  w.line("if (!parsel_system::split_listen(listen, broker_config.host, broker_config.port)) {");
  w.line(
      "  return parsel_system::refuse(\"PT_SLYTHERIN_LISTEN: '\" + listen + \"' is not "
      "host:port\");");
  w.line("}");
  w.line("broker_config.advertised_host = " + cpp_string_literal(s.advertised_host) + ";");
  w.line(std::string("broker_config.auto_create_topics = ") +
         (s.auto_create_topics ? "true" : "false") + ";");
  w.line(fmt::format("broker_config.auto_create_partitions = {};", s.auto_create_partitions));
  // Kafka clients may not join the groups of the program's own consumers.
  std::vector<std::string> groups;
  for (const TopicPlan& t : plan.topics) {
    for (const Decl* c : t.consumers) {
      if (std::find(groups.begin(), groups.end(), c->group) == groups.end()) {
        groups.push_back(c->group);
      }
    }
  }
  std::string list;
  for (const std::string& g : groups) list += (list.empty() ? "" : ", ") + cpp_string_literal(g);
  w.line("broker_config.reserved_groups = {" + list + "};");
  w.line("broker_config.report = parsel_system::report;");
  // The broker adds its Log listener when constructed: listeners are added before open(),
  // while no thread appends or flushes yet.
  w.line("hallows::log::Broker broker(parsel_system::log(), broker_config);");
  w.line("if (std::string error = parsel_system::log().open(); !error.empty()) {");
  w.line("  return parsel_system::refuse(\"the Slytherin log: \" + error);");
  w.line("}");
  w.line("if (std::string error = broker.start(); !error.empty()) {");
  w.line("  return parsel_system::refuse(\"the Slytherin broker on \" + listen + \": \" + error);");
  w.line("}");
  w.line(
      "parsel_system::report(\"slytherin: serving the Kafka protocol on \" + "
      "broker_config.host + \":\" + std::to_string(broker.port()) + \", data in \" + "
      "parsel_system::log().config().data_dir);");
  w.line();
  w.line("std::unique_ptr<hallows::obs::MetricsServer> metrics;");
  w.line("std::string metrics_listen = parsel_system::setting(\"PT_METRICS_LISTEN\", " +
         cpp_string_literal(s.metrics_listen) + ");");
  w.line("if (metrics_listen != \"off\") {");
  w.indent();
  w.line("std::string host;");
  w.line("int port = 0;");
  w.line("if (!parsel_system::split_listen(metrics_listen, host, port)) {");
  w.line(
      "  return parsel_system::refuse(\"PT_METRICS_LISTEN: '\" + metrics_listen + \"' is not "
      "host:port or off\");");
  w.line("}");
  w.line(
      "metrics = std::make_unique<hallows::obs::MetricsServer>(host, port, "
      "parsel_system::report);");
  w.line("if (std::string error = metrics->start(); !error.empty()) {");
  w.line(
      "  return parsel_system::refuse(\"the metrics endpoint on \" + metrics_listen + \": \" + "
      "error);");
  w.line("}");
  w.line(
      "parsel_system::report(\"metrics: GET http://\" + host + \":\" + "
      "std::to_string(metrics->port()) + \"/metrics\");");
  w.dedent();
  w.line("}");
}

// After program.run(): nothing wakes the partitions any more, then they go away (end of the
// program's scope), and only then do the broker, the metrics endpoint and the log stop, so that
// the consumers' last commits reach the log.
void emit_slytherin_unwake(CodeWriter& w, const SystemPlan& plan) {
  bool consumers = false;
  for (const TopicPlan& t : plan.topics) consumers = consumers || !t.consumers.empty();
  if (!consumers) return;
  w.line("{");
  w.indent();
  w.line("std::unique_lock lock(parsel_system::wake_mutex);");
  std::vector<const Decl*> done;
  for (const TopicPlan& t : plan.topics) {
    for (const Decl* c : t.consumers) {
      if (c->partition == nullptr ||
          std::find(done.begin(), done.end(), c->partition) != done.end()) {
        continue;
      }
      done.push_back(c->partition);
      w.line(partition_pointer(*c->partition) + " = nullptr;");
    }
  }
  w.dedent();
  w.line("}");
}

void emit_slytherin_stop(CodeWriter& w, const SystemPlan& plan) {
  if (plan.topics.empty()) return;
  w.line("broker.stop();");
  w.line("if (metrics) metrics->stop();");
  w.line("parsel_system::log().close();");
}

}  // namespace pt
