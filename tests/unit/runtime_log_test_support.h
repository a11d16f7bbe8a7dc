// Helpers for the log tests: a temporary data folder and small batch builders.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/log.h"
#include "hallows/log/record_batch.h"

namespace hallows::log::testing {

// A fresh mkdtemp folder, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "slytherin-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::span<const std::byte> bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string text(std::span<const std::byte> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// A batch of `count` records with values "<prefix><i>", timestamps ts, ts+1, ...
inline std::vector<std::byte> make_batch(int count, std::int64_t ts = 1000,
                                         const std::string& prefix = "v") {
  BatchBuilder b(ts);
  for (int i = 0; i < count; ++i) {
    std::string v = prefix + std::to_string(i);
    b.add(bytes("k"), bytes(v), ts + i);
  }
  return b.finish();
}

// Collects the report lines of a Log.
struct Reports {
  std::mutex mu;
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view l) {
      std::lock_guard lock(mu);
      lines.emplace_back(l);
    };
  }
  std::size_t count_containing(std::string_view what) {
    std::lock_guard lock(mu);
    std::size_t n = 0;
    for (const auto& l : lines) n += l.find(what) != std::string::npos;
    return n;
  }
};

// All records visible in a partition from `from`, as (offset, value) pairs.
inline std::vector<std::pair<std::int64_t, std::string>> read_all(const PartitionLog& p,
                                                                  std::int64_t from) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  std::int64_t pos = from;
  for (int guard = 0; guard < 1000000; ++guard) {
    ReadSlice s;
    if (p.read(pos, 1 << 16, s) != ReadError::none || s.data.empty()) break;
    std::size_t at = 0;
    while (at < s.data.size()) {
      auto h = *read_batch_header(s.data.subspan(at));
      for_each_record(s.data.subspan(at, h.size()), [&](const RecordView& r) {
        if (r.offset >= pos) out.emplace_back(r.offset, r.value ? text(*r.value) : "<null>");
        return true;
      });
      at += h.size();
    }
    pos = s.next_offset;
  }
  return out;
}

}  // namespace hallows::log::testing
