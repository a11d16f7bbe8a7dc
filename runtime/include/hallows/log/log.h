// Slytherin's log: topics of partitions, each an append-only sequence of segment files holding
// record batches v2 as they arrived, with sparse offset and time indexes, roll, retention,
// declared durability (group commit), and recovery after a crash. See docs/slytherin-log.md.
//
// Threads: append() may be called from any thread (one mutex per partition, held for the
// copy into the page cache, never across an fsync for fsync_batched). Reads never block
// appends: they see batches below visible_offset(). One flusher thread per Log does the
// group commit of fsync_batched partitions.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/record_batch.h"

namespace hallows::log {

using namespace std::chrono_literals;

enum class Durability { none, fsync_batched, fsync_every_write };
const char* to_string(Durability d) noexcept;

struct TopicConfig {
  std::string name;
  int partitions = 1;
  Durability durability = Durability::fsync_batched;
  // fsync_batched: the longest an appended batch waits for its fsync.
  std::chrono::nanoseconds fsync_max_delay = 5ms;
  // Retention: whole segments older than this (by their newest timestamp) are deleted;
  // zero keeps forever. retention_bytes bounds each partition's size; -1 means no bound.
  std::chrono::milliseconds retention_time{0};
  std::int64_t retention_bytes = -1;
  // Roll: a new segment once the active one reaches segment_bytes or is older than segment_age.
  std::int64_t segment_bytes = 64LL << 20;
  std::chrono::milliseconds segment_age = std::chrono::hours(24 * 7);
  std::int64_t index_interval_bytes = 4096;  // sparse index: one entry per this many bytes
  // Typed topics: checks one record value (the schema's codec and validation). Empty means an
  // untyped byte topic. Called by the broker for every produced record; sets `why` on failure.
  std::function<bool(std::span<const std::byte> value, std::string& why)> validate_value;
  // "binary" or "json": how typed values are encoded (reported in Metadata logs and docs).
  std::string encoding = "binary";
};

// What a read returns: whole batches from one segment, [first_offset, next_offset), by
// reference. `data` points into the segment's read-only mapping, valid while `keep` lives;
// `fd` and `file_position` let the broker sendfile() the same bytes.
struct ReadSlice {
  std::span<const std::byte> data;
  int fd = -1;
  std::int64_t file_position = 0;
  std::int64_t first_offset = 0;  // base offset of the first batch in data
  std::int64_t next_offset = 0;   // the offset after the last batch in data
  std::shared_ptr<const void> keep;
};

enum class ReadError { none, offset_out_of_range, corrupt };

struct AppendResult {
  std::int64_t base_offset = -1;  // offset given to the first record; -1 on error
  std::int64_t next_offset = -1;  // the log end after this append
  std::string error;              // set when nothing was appended
};

class PartitionLog {
 public:
  virtual ~PartitionLog() = default;

  const std::string& topic() const noexcept { return topic_; }
  int partition() const noexcept { return partition_; }

  // Appends one or more whole batches (a Produce's record set, or a built batch). Every batch
  // must already pass check_batch(); offsets are assigned by rewriting baseOffset in `batches`.
  // Visible at once for durability none; for fsync_every_write the fsync happens before this
  // returns; for fsync_batched the flusher makes it durable within fsync_max_delay.
  virtual AppendResult append(std::span<std::byte> batches, std::int64_t now_ms) = 0;

  virtual std::int64_t start_offset() const noexcept = 0;    // the first offset still kept
  virtual std::int64_t end_offset() const noexcept = 0;      // next offset to assign
  virtual std::int64_t durable_offset() const noexcept = 0;  // everything below is fsynced
  // What consumers may read: end_offset() for durability none, else durable_offset().
  virtual std::int64_t visible_offset() const noexcept = 0;

  // Whole batches starting with the one that holds `offset`, at most max_bytes (but always at
  // least one whole batch), never past visible_offset(). Empty data (no error) when offset ==
  // visible_offset(). offset_out_of_range when below start_offset() or above visible_offset().
  // corrupt when `offset` lies in the unreadable part of a segment recovery found damaged; then
  // out.next_offset is the first offset after that part (where reading can resume).
  virtual ReadError read(std::int64_t offset, std::size_t max_bytes, ReadSlice& out) const = 0;

  // The earliest offset whose timestamp is >= ts_ms (ListOffsets), or end_offset() if none.
  virtual std::int64_t offset_for_time(std::int64_t ts_ms) const = 0;

 protected:
  PartitionLog(std::string topic, int partition)
      : topic_(std::move(topic)), partition_(partition) {}

 private:
  std::string topic_;
  int partition_;
};

struct LogConfig {
  std::string data_dir = "data/slytherin";  // one folder per topic-partition below it
  // Report lines (recovery, truncations, corrupt segments, retention deletions), one per call.
  std::function<void(std::string_view)> report;
  std::chrono::milliseconds retention_check_interval{1000};
};

class Log {
 public:
  explicit Log(LogConfig config);
  ~Log();  // flushes and closes
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // Declares a topic (before or after open()). Opening recovers its partitions from disk: a
  // torn tail is truncated and reported; a segment with a bad batch before its end is reported
  // and only its sound prefix is served. Returns an error message, empty on success (a topic
  // on disk with a different partition count is an error).
  std::string add_topic(TopicConfig config);
  // Opens every declared topic and starts the flusher and retention threads.
  std::string open();
  void close();  // final fsync of everything; stops the threads

  // Untyped topics created on demand (the broker's auto-create). Thread-safe.
  std::string create_topic(const std::string& name, int partitions);

  // Null when unknown. The returned pointers stay valid until close().
  PartitionLog* partition(std::string_view topic, int partition) const noexcept;
  const TopicConfig* topic_config(std::string_view topic) const noexcept;
  std::vector<std::string> topic_names() const;

  // Called (from the appending or the flusher thread) when a partition's visible_offset()
  // or durable_offset() advances. Add before open() (after it, std::logic_error); must be cheap.
  void add_listener(std::function<void(PartitionLog&)> listener);

  // Publishes one record from program code (publish_message): picks the partition from the
  // key (murmur2, as Kafka's default partitioner) or round-robin without one, builds a
  // one-record batch and appends it. Adds the header "pt.ns" (i64 big-endian, nanoseconds of
  // the realtime clock) the latency monitor reads. Returns the offset, or -1 (reported) on
  // error.
  std::int64_t publish(std::string_view topic, std::optional<std::span<const std::byte>> key,
                       std::span<const std::byte> value);

  // Committed consumer-group offsets, kept durably in data_dir/__consumer_offsets.
  // commit() returns after the commit is fsynced (group commit with other commits).
  std::string commit_offset(std::string_view group, std::string_view topic, int partition,
                            std::int64_t offset, std::string_view metadata);
  // -1 when the group has no committed offset for the partition.
  std::int64_t committed_offset(std::string_view group, std::string_view topic,
                                int partition) const;
  // Everything a group has committed, durably (kept across restarts), sorted by topic and
  // partition: what OffsetFetch with null topics answers.
  struct CommittedOffset {
    std::string topic;
    int partition = 0;
    std::int64_t offset = -1;
    std::string metadata;
  };
  std::vector<CommittedOffset> committed_offsets(std::string_view group) const;

  const LogConfig& config() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Murmur2 of the key as Kafka's Java client and librdkafka's murmur2 partitioner compute it
// (positive, modulo partitions).
int kafka_partition_for_key(std::span<const std::byte> key, int partitions) noexcept;

}  // namespace hallows::log
