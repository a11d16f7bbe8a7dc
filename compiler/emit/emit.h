// The front door of emit/: a checked program in, readable C++ and a CMake project out.
// Emission is deterministic: the same program always gives byte-identical files.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.h"
#include "sema/check.h"

namespace pt {

struct EmittedFile {
  std::string path;  // relative to the project's build/ directory
  std::string content;
};

// parsel.toml [slytherin] and [metrics]: where a program with topics serves them. The generated
// main lets PT_SLYTHERIN_LISTEN, PT_SLYTHERIN_DATA_DIR and PT_METRICS_LISTEN override them.
struct SlytherinOptions {
  std::string listen = "127.0.0.1:9092";    // host:port of the Kafka-protocol broker
  std::string advertised_host;              // what Metadata advertises; empty: the listen host
  std::string data_dir = "data/slytherin";  // relative to the running binary's working directory
  bool auto_create_topics = true;
  int auto_create_partitions = 1;
  std::string metrics_listen = "127.0.0.1:9464";  // host:port of GET /metrics, or "off"
};

// parsel.toml [basilisk]: where services listen and where their access logs go. The generated
// main lets PT_BASILISK_HOST, PT_BASILISK_PORT_<Service> and PT_BASILISK_ACCESS_LOG override them.
struct BasiliskOptions {
  std::string host = "127.0.0.1";
  std::string access_log = "stderr";  // "stderr", "off" or a file's path
};

struct EmitOptions {
  std::string project_name;         // the binary's name
  std::string profile = "release";  // "release" or "debug"
  std::vector<std::string> extra_cxx_flags;
  // Compile and link flags the runtime itself was built with (a sanitizer build of parsel links
  // its programs against a sanitized libhallows.a, so they must be built the same way).
  std::vector<std::string> runtime_flags;
  std::string parsel_version;
  // Path of each source file as written into comments and #line directives, by file id.
  std::vector<std::string> display_paths;
  bool allow_oversubscription = false;  // parsel.toml [machine]: checked again at start-up
  SlytherinOptions slytherin;
  BasiliskOptions basilisk;
};

// Emits every module (and main.cpp when the program has an entry or a service), with the system
// of `plan`.
std::vector<EmittedFile> emit_program(const Program& program, const SystemPlan& plan,
                                      const EmitOptions& options);
// The same for a program without partitions or channels (its plan is empty).
std::vector<EmittedFile> emit_program(const Program& program, const EmitOptions& options);

}  // namespace pt
