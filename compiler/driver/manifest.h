// parsel.toml: the project manifest.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pt {

struct Manifest {
  std::string name;  // lower-case identifier; the binary's name
  std::string version;
  std::vector<std::string> modules = {"src"};  // files or directories, relative to the project
  std::string profile = "release";             // [build] profile: "release" or "debug"
  std::vector<std::string> cxx_flags;          // [build] cxx_flags: extra flags for the C++ build
  int machine_cores = 0;                       // [machine] cores: 0 when not declared
  bool allow_oversubscription = false;         // [machine] allow_oversubscription
  // [slytherin]: the broker of a program with topics, and where its log lives.
  std::string slytherin_listen = "127.0.0.1:9092";
  std::string slytherin_advertised_host;
  std::string slytherin_data_dir = "data/slytherin";
  bool slytherin_auto_create_topics = true;
  int slytherin_auto_create_partitions = 1;
  // [metrics] listen: the metrics endpoint (GET /metrics), or "off".
  std::string metrics_listen = "127.0.0.1:9464";
  // [basilisk]: the host every service binds, and where access logs go ("stderr", "off" or a
  // file's path).
  std::string basilisk_host = "127.0.0.1";
  std::string basilisk_access_log = "stderr";
};

struct ManifestResult {
  std::optional<Manifest> manifest;
  std::string error;  // set when manifest is empty
  int error_line = 0;
  int error_column = 0;
};

ManifestResult parse_manifest(const std::string& text, const std::string& path);

// Whether `name` can name a project (and its binary): [a-z][a-z0-9_]*, at most 64 characters.
bool valid_project_name(const std::string& name);

}  // namespace pt
