// One segment of a partition: <dir>/<20-digit base offset>.log, record batches v2 back to back
// exactly as the log assigned their offsets. Written with pwrite at its end by the partition's
// appender; read through a read-only MAP_SHARED mapping that readers keep alive with a
// shared_ptr (so a segment retention unlinks stays readable until its last reader lets go).
//
// The sparse offset/time index lives in memory (rebuilt by the recovery scan that verifies every
// batch at open) and is also written beside the segment, Kafka-like, when the segment rolls
// and at close: <base>.index holds entries (relative offset u32, position u32) and
// <base>.timeindex entries (max timestamp before i64, relative offset u32), big-endian. Open
// rewrites missing or stale files; nothing reads them back (see docs/slytherin-log.md).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hallows/log/record_batch.h"

namespace hallows::log::storage {

// An open file descriptor, closed when the last owner lets go.
struct File {
  int fd = -1;
  explicit File(int f) : fd(f) {}
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;
};

// A read-only mapping of `capacity` bytes of a file (more than the file holds, so appends
// show up without remapping; only bytes below the published size are ever touched).
struct Mapping {
  std::shared_ptr<File> file;
  const std::byte* base = nullptr;
  std::size_t capacity = 0;
  ~Mapping();
};

// One sparse index entry: the batch at `position` starts at `offset`; every batch before it in
// the segment has a max timestamp <= max_ts_before (so time lookups may start here).
struct IndexEntry {
  std::int64_t offset = 0;
  std::int64_t position = 0;
  std::int64_t max_ts_before = -1;
};

struct Segment {
  std::int64_t base_offset = 0;
  std::string path;
  std::shared_ptr<File> file;
  // Guarded by the partition's meta mutex (readers copy it under a shared lock).
  std::shared_ptr<const Mapping> mapping;
  std::vector<IndexEntry> index;  // guarded by the partition's meta mutex
  // Published after the bytes are written: readers never look at or past `size`.
  std::atomic<std::int64_t> size{0};
  std::atomic<std::int64_t> end_offset{0};      // offset after the last sound batch
  std::atomic<std::int64_t> max_timestamp{-1};  // newest batch timestamp (retention by time)
  std::int64_t created_ms = 0;                  // roll by age
  std::int64_t mtime_ms = 0;                    // of the file when opened
  std::int64_t bytes_since_index = 0;           // appender only
  // Set by recovery when a bad batch sits before the end of a non-last segment: only the
  // first `sound_size` bytes are served.
  bool corrupt = false;
  std::int64_t sound_size = 0;

  int fd() const noexcept { return file->fd; }
  // The bytes readers may look at.
  std::int64_t readable_size() const noexcept {
    return corrupt ? sound_size : size.load(std::memory_order_acquire);
  }
};

std::string segment_file_name(std::int64_t base_offset);  // 00000000000000000042.log
std::string errno_text(const char* what, const std::string& path);

// Creates a new empty segment file (O_EXCL) or opens an existing one, and maps it.
std::shared_ptr<Segment> create_segment(const std::string& dir, std::int64_t base_offset,
                                        std::int64_t capacity, std::int64_t now_ms,
                                        std::string& error);
std::shared_ptr<Segment> open_segment(const std::string& dir, std::int64_t base_offset,
                                      std::int64_t capacity, std::string& error);

// A fresh mapping of at least `capacity` bytes (page rounded).
std::shared_ptr<const Mapping> map_file(const std::shared_ptr<File>& file, std::int64_t capacity,
                                        std::string& error);

// Writes all of `data` at `position`, retrying short writes.
bool pwrite_all(int fd, const std::byte* data, std::size_t size, std::int64_t position);
// fsync of a directory, so a created or deleted file's entry is durable.
bool fsync_dir(const std::string& dir);

// What recovery found in one segment.
struct ScanResult {
  std::int64_t sound_size = 0;  // bytes of whole sound batches from the start
  std::int64_t end_offset = 0;  // offset after the last sound batch
  std::int64_t file_size = 0;
  std::string problem;  // empty when every byte is a sound batch
};

// Verifies every batch of `seg` with check_batch (and that offsets run on without gaps from
// its base offset), rebuilding its index, max timestamp and sizes as it goes.
ScanResult scan_segment(Segment& seg, std::int64_t index_interval_bytes);

// Writes <base>.index and <base>.timeindex from seg.index (no fsync: they are rebuildable).
// The caller keeps seg.index from changing (holds the partition's append mutex).
bool write_index_files(const Segment& seg, std::string& error);
// True when both files exist and hold exactly seg.index.
bool index_files_match(const Segment& seg);
// Removes the index files of a deleted segment (missing files are fine).
void remove_index_files(const Segment& seg);

// Adds index entries for a batch written at `position` (appender and scan share the rule).
bool index_wants_entry(const Segment& seg, std::int64_t index_interval_bytes);

}  // namespace hallows::log::storage
