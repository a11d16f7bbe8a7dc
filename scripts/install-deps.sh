#!/usr/bin/env bash
# Installs what Parseltongue needs from Debian's packages. Idempotent: installs only what is
# missing. Run as root (or with sudo) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  antlr4 libantlr4-runtime-dev          # the parser generator (tool 4.7.2) and C++ runtime (4.9)
  libfmt-dev libtomlplusplus-dev libsimdjson-dev nlohmann-json3-dev
  catch2 llvm-14-tools clang-14 libclang-rt-14-dev   # tests: Catch2, lit + FileCheck, libFuzzer
  protobuf-compiler libprotobuf-dev     # the peer in tests/perf/compile_speed
  libconcurrentqueue-dev libreaderwriterqueue-dev   # moodycamel queues: peers in tests/perf
  kcat librdkafka-dev curl              # Slytherin: real Kafka clients in the e2e tests
  nats-server libnats-dev redis-server libhiredis-dev   # peers in tests/perf/log_bench
  wrk nginx-light h2o                   # tests/perf/http_bench: the load generator and the peers
  clang-format
)
# Node.js and npm: the OpenAPI validator (tests/openapi) and editor tooling. Machines that have
# them from elsewhere (NodeSource) keep theirs: Debian's npm package conflicts with it.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
