// An in-process consumer: one member of a program-owned consumer group. The program's
// members of a group split the topic's partitions by range (member i of n gets a contiguous
// share, as Kafka's range assignor does), read batches by reference from the log's mappings,
// and commit their position to the log's offset store periodically and on close, so a
// restarted program resumes where it left off (delivery is at least once across a crash).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hallows/log/log.h"

namespace hallows::log {

class LocalConsumer {
 public:
  LocalConsumer(Log& log, std::string topic, std::string group, int member, int members,
                std::chrono::milliseconds commit_interval = std::chrono::milliseconds(100));
  ~LocalConsumer();  // commits

  // Partitions this member reads (range assignment).
  const std::vector<int>& partitions() const noexcept { return partitions_; }

  // Hands up to `max` visible records to `fn` (uncompressed batches; records of compressed
  // batches are skipped with one report line per batch), in offset order per partition, and
  // returns how many it handed. `fn` may throw: the record counts as consumed (supervision
  // drops the failing message) and the exception propagates.
  std::size_t poll(std::size_t max, const std::function<void(const RecordView&)>& fn);

  // Commits the positions now (also done every commit_interval inside poll()).
  void commit();

  // Records not yet handed out on this member's partitions (visible - position).
  std::int64_t lag() const;

 private:
  Log& log_;
  std::string topic_;
  std::string group_;
  std::vector<int> partitions_;
  std::vector<std::int64_t> positions_;
  std::vector<std::int64_t> committed_;
  std::chrono::milliseconds commit_interval_;
  std::chrono::steady_clock::time_point last_commit_;
  std::size_t next_partition_ = 0;  // round-robin start, for fairness between partitions
};

// The "pt.ns" header publish() adds, or -1 when the record has none.
std::int64_t produced_ns(const RecordView& record);

}  // namespace hallows::log
