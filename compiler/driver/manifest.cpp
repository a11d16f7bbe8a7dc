#include "driver/manifest.h"

#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace pt {

bool valid_project_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

namespace {

ManifestResult fail(std::string message, const toml::source_region* where = nullptr) {
  ManifestResult r;
  r.error = std::move(message);
  if (where != nullptr) {
    r.error_line = static_cast<int>(where->begin.line);
    r.error_column = static_cast<int>(where->begin.column);
  }
  return r;
}

// "host:port" with a port from 0 to 65535 (0: any free port).
bool valid_listen(const std::string& text) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  return std::stoi(digits) <= 65535;
}

std::optional<std::vector<std::string>> string_list(const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return std::nullopt;
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    auto s = item.value<std::string>();
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  return out;
}

}  // namespace

ManifestResult parse_manifest(const std::string& text, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return fail(std::string(e.description()), &e.source());
  }
  Manifest m;
  for (auto&& [key, node] : table) {
    if (key != "project" && key != "build" && key != "machine" && key != "slytherin" &&
        key != "metrics" && key != "basilisk") {
      return fail(fmt::format("unknown table [{}]; the manifest has [project], [build], "
                              "[machine], [slytherin], [basilisk] and [metrics]",
                              key.str()),
                  &node.source());
    }
  }
  const toml::table* project = table["project"].as_table();
  if (project == nullptr) return fail("the [project] table is missing");
  static const std::set<std::string> kProjectKeys = {"name", "version", "modules"};
  for (auto&& [key, node] : *project) {
    if (!kProjectKeys.count(std::string(key.str()))) {
      return fail(
          fmt::format("unknown key '{}' in [project] (known: name, version, modules)", key.str()),
          &key.source());
    }
  }
  auto name = (*project)["name"].value<std::string>();
  if (!name) return fail("[project] needs name = \"...\"", &project->source());
  if (!valid_project_name(*name)) {
    return fail(fmt::format("project name \"{}\" must be a lower-case identifier "
                            "([a-z][a-z0-9_]*, at most 64 characters)",
                            *name),
                &(*project)["name"].node()->source());
  }
  m.name = *name;
  auto version = (*project)["version"].value<std::string>();
  if (!version) return fail("[project] needs version = \"...\"", &project->source());
  m.version = *version;
  if (const toml::node* modules = (*project)["modules"].node()) {
    auto list = string_list(*modules);
    if (!list || list->empty()) {
      return fail("modules must be a non-empty list of strings", &modules->source());
    }
    m.modules = *list;
  }
  if (const toml::table* build = table["build"].as_table()) {
    for (auto&& [key, node] : *build) {
      if (key == "profile") {
        auto profile = node.value<std::string>();
        if (!profile || (*profile != "release" && *profile != "debug")) {
          return fail("[build] profile must be \"release\" or \"debug\"", &node.source());
        }
        m.profile = *profile;
      } else if (key == "cxx_flags") {
        auto list = string_list(node);
        if (!list) return fail("[build] cxx_flags must be a list of strings", &node.source());
        m.cxx_flags = *list;
      } else {
        return fail(
            fmt::format("unknown key '{}' in [build] (known: profile, cxx_flags)", key.str()),
            &key.source());
      }
    }
  }
  if (const toml::table* machine = table["machine"].as_table()) {
    for (auto&& [key, node] : *machine) {
      if (key == "cores") {
        auto cores = node.value<std::int64_t>();
        if (!cores || *cores < 1 || *cores > 4096) {
          return fail("[machine] cores must be a whole number from 1 to 4096", &node.source());
        }
        m.machine_cores = static_cast<int>(*cores);
      } else if (key == "allow_oversubscription") {
        auto allow = node.value<bool>();
        if (!allow) {
          return fail("[machine] allow_oversubscription must be true or false", &node.source());
        }
        m.allow_oversubscription = *allow;
      } else {
        return fail(fmt::format("unknown key '{}' in [machine] (known: cores, "
                                "allow_oversubscription)",
                                key.str()),
                    &key.source());
      }
    }
  }
  if (const toml::table* slytherin = table["slytherin"].as_table()) {
    for (auto&& [key, node] : *slytherin) {
      if (key == "listen") {
        auto listen = node.value<std::string>();
        if (!listen || !valid_listen(*listen)) {
          return fail("[slytherin] listen must be \"host:port\", for example \"127.0.0.1:9092\"",
                      &node.source());
        }
        m.slytherin_listen = *listen;
      } else if (key == "advertised_host") {
        auto host = node.value<std::string>();
        if (!host || host->find(':') != std::string::npos) {
          return fail(
              "[slytherin] advertised_host must be a host name or address without a "
              "port, or \"\" for the listen host",
              &node.source());
        }
        m.slytherin_advertised_host = *host;
      } else if (key == "data_dir") {
        auto dir = node.value<std::string>();
        if (!dir || dir->empty()) {
          return fail(
              "[slytherin] data_dir must be a non-empty path (relative to the directory "
              "the program runs in, or absolute)",
              &node.source());
        }
        m.slytherin_data_dir = *dir;
      } else if (key == "auto_create_topics") {
        auto allow = node.value<bool>();
        if (!allow) {
          return fail("[slytherin] auto_create_topics must be true or false", &node.source());
        }
        m.slytherin_auto_create_topics = *allow;
      } else if (key == "auto_create_partitions") {
        auto n = node.value<std::int64_t>();
        if (!n || *n < 1 || *n > 1024) {
          return fail("[slytherin] auto_create_partitions must be a whole number from 1 to 1024",
                      &node.source());
        }
        m.slytherin_auto_create_partitions = static_cast<int>(*n);
      } else {
        return fail(fmt::format("unknown key '{}' in [slytherin] (known: listen, "
                                "advertised_host, data_dir, auto_create_topics, "
                                "auto_create_partitions)",
                                key.str()),
                    &key.source());
      }
    }
  }
  if (const toml::table* metrics = table["metrics"].as_table()) {
    for (auto&& [key, node] : *metrics) {
      if (key == "listen") {
        auto listen = node.value<std::string>();
        if (!listen || (*listen != "off" && !valid_listen(*listen))) {
          return fail(
              "[metrics] listen must be \"host:port\" (for example \"127.0.0.1:9464\") "
              "or \"off\"",
              &node.source());
        }
        m.metrics_listen = *listen;
      } else {
        return fail(fmt::format("unknown key '{}' in [metrics] (known: listen)", key.str()),
                    &key.source());
      }
    }
  }
  if (const toml::table* basilisk = table["basilisk"].as_table()) {
    for (auto&& [key, node] : *basilisk) {
      if (key == "host") {
        auto host = node.value<std::string>();
        if (!host || host->empty() || host->find_first_of(" /") != std::string::npos) {
          return fail(
              "[basilisk] host must be the address or name services bind, for example "
              "\"127.0.0.1\" or \"0.0.0.0\" (the port is each service's own)",
              &node.source());
        }
        m.basilisk_host = *host;
      } else if (key == "access_log") {
        auto where = node.value<std::string>();
        if (!where || where->empty()) {
          return fail("[basilisk] access_log must be \"stderr\", \"off\" or a file's path",
                      &node.source());
        }
        m.basilisk_access_log = *where;
      } else {
        return fail(
            fmt::format("unknown key '{}' in [basilisk] (known: host, access_log)", key.str()),
            &key.source());
      }
    }
  }
  ManifestResult r;
  r.manifest = std::move(m);
  return r;
}

}  // namespace pt
