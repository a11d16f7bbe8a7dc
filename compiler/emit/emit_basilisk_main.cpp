// What main.cpp adds for a program with Basilisk services: the settings of parsel.toml's
// [basilisk] (overridable at run time by PT_BASILISK_HOST, PT_BASILISK_PORT_<Service> and
// PT_BASILISK_ACCESS_LOG), and the start of each service on its partition before the program
// runs. A service that cannot start (its port in use, a bad host) stops the program at once.
#include <fmt/format.h>

#include "emit/emitter.h"

namespace pt {

bool has_main(const Program& program, const SystemPlan& plan) {
  return program.entry != nullptr || !plan.services.empty();
}

void emit_basilisk_helpers(CodeWriter& w, const SystemPlan& plan) {
  if (plan.services.empty()) return;
  w.line();
  w.line("// A service's port: the .pt file's, unless `variable` says another (0: any free port).");
  w.line("// Returns why the variable's value is not a port, or \"\".");
  w.line("std::string port_setting(const char* variable, int from_pt, int& port) {");
  w.indent();
  w.line("port = from_pt;");
  w.line("const char* value = std::getenv(variable);");
  w.line("if (value == nullptr || *value == '\\0') return \"\";");
  w.line("std::string digits = value;");
  w.line(
      "if (digits.size() > 5 || digits.find_first_not_of(\"0123456789\") != std::string::npos ||");
  w.line("    std::stoi(digits) > 65535) {");
  w.line(
      "  return std::string(variable) + \": '\" + digits + \"' is not a port (0 to 65535; 0 picks "
      "a free one)\";");
  w.line("}");
  w.line("port = std::stoi(digits);");
  w.line("return \"\";");
  w.dedent();
  w.line("}");
  w.line();
  w.line("// Where a service's access log goes: \"off\", \"stderr\", or a file's path.");
  w.line("void set_access_log(hallows::http::ServiceSpec& service, const std::string& where) {");
  w.indent();
  w.line("if (where == \"off\") {");
  w.line("  service.access_log = hallows::http::AccessLog::kOff;");
  w.line("} else if (where == \"stderr\") {");
  w.line("  service.access_log = hallows::http::AccessLog::kStderr;");
  w.line("} else {");
  w.line("  service.access_log = hallows::http::AccessLog::kFile;");
  w.line("  service.access_log_path = where;");
  w.line("}");
  w.dedent();
  w.line("}");
}

void emit_basilisk_start(CodeWriter& w, const SystemPlan& plan, const EmitOptions& options) {
  if (plan.services.empty()) return;
  const BasiliskOptions& b = options.basilisk;
  w.line("// ---- Basilisk: the HTTP services, bound before the partitions start ----");
  w.line("std::string basilisk_host = parsel_system::setting(\"PT_BASILISK_HOST\", " +
         cpp_string_literal(b.host) + ");");
  w.line("std::string access_log = parsel_system::setting(\"PT_BASILISK_ACCESS_LOG\", " +
         cpp_string_literal(b.access_log) + ");");
  for (const ServicePlan& sp : plan.services) {
    const Decl& d = *sp.decl;
    if (sp.partition == nullptr) continue;
    std::string variable = "PT_BASILISK_PORT_" + d.name;
    w.line("// basilisk_service " + d.name + " runs_on " + join_name(d.runs_on) +
           fmt::format(" listens_on port {}", sp.port));
    w.line("{");
    w.indent();
    w.line("hallows::http::ServiceSpec service;");
    w.line("service.name = " + cpp_string_literal(d.name) + ";");
    w.line("service.host = basilisk_host;");
    w.line("if (std::string error = parsel_system::port_setting(" + cpp_string_literal(variable) +
           fmt::format(", {}, service.port); !error.empty()) {{", sp.port));
    w.line("  return parsel_system::refuse(error);");
    w.line("}");
    std::string ns = module_namespace(*d.module) + "::" + cpp_ident(d.name);
    w.line("service.limits = " + ns + "::limits();");
    w.line("service.routes = " + ns + "::routes();");
    w.line("parsel_system::set_access_log(service, access_log);");
    w.line("service.report = parsel_system::report;");
    w.line("std::string error;");
    w.line("services.push_back(hallows::http::Service::start(*" +
           system_partition_name(*sp.partition) + ", std::move(service), error));");
    w.line("if (!services.back()) {");
    w.line("  return parsel_system::refuse(" +
           cpp_string_literal("basilisk_service " + d.name + ": ") + " + error);");
    w.line("}");
    w.dedent();
    w.line("}");
  }
}

}  // namespace pt
