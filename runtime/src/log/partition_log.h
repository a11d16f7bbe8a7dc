// The implementation of one topic-partition: its segments, offsets, durability and recovery.
// Private to runtime/src/log; the Log owns these and hands out PartitionLog pointers.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hallows/log/log.h"
#include "segment.h"

namespace hallows::log::storage {

class PartitionLogImpl;

// What a partition needs from its Log.
struct PartitionHooks {
  std::function<void(std::string_view)> report;
  const std::vector<std::function<void(PartitionLog&)>>* listeners = nullptr;
  std::function<void(PartitionLogImpl&)> wake_flusher;  // fsync_batched only
};

class PartitionLogImpl final : public PartitionLog {
 public:
  // `config` belongs to the Log's topic entry and outlives this partition.
  PartitionLogImpl(const TopicConfig& config, int partition, std::string dir, PartitionHooks hooks);
  ~PartitionLogImpl() override;

  // Recovers the partition from its folder (creating it when new). Empty on success.
  std::string open(std::int64_t now_ms);

  AppendResult append(std::span<std::byte> batches, std::int64_t now_ms) override;
  std::int64_t start_offset() const noexcept override;
  std::int64_t end_offset() const noexcept override;
  std::int64_t durable_offset() const noexcept override;
  std::int64_t visible_offset() const noexcept override;
  ReadError read(std::int64_t offset, std::size_t max_bytes, ReadSlice& out) const override;
  std::int64_t offset_for_time(std::int64_t ts_ms) const override;

  // The flusher thread's group commit: fdatasync everything written so far (without the
  // append mutex) and publish it as durable.
  void flush();
  // Final fsync; appends fail afterwards.
  void close();
  // Deletes whole old segments per retention_time / retention_bytes.
  void enforce_retention(std::int64_t now_ms);

  // Bytes in all segments (for tests and retention).
  std::int64_t size_bytes() const;
  std::size_t segment_count() const;

 private:
  bool roll(std::int64_t base_offset, std::int64_t now_ms, std::string& error);
  void notify();
  void write_index_files_reported(const Segment& seg);
  void fail(std::string why);
  std::shared_ptr<Segment> segment_for(std::int64_t offset) const;  // meta_mu_ held

  const TopicConfig& config_;
  std::string dir_;
  std::string name_;  // topic-partition, for report lines
  PartitionHooks hooks_;

  // append_mu_ serialises writers (append, roll, retention, flush bookkeeping); meta_mu_
  // guards the segment list, each segment's mapping and index, for readers. Order: append_mu_
  // before meta_mu_.
  mutable std::mutex append_mu_;
  mutable std::shared_mutex meta_mu_;
  std::vector<std::shared_ptr<Segment>> segments_;  // by base offset; guarded by meta_mu_
  std::shared_ptr<Segment> active_;                 // guarded by append_mu_
  std::vector<std::shared_ptr<Segment>> unsynced_;  // rolled, not yet fsynced; append_mu_
  bool dirty_ = false;                              // append_mu_
  bool dir_dirty_ = false;                          // append_mu_
  bool closed_ = false;                             // append_mu_
  std::string failed_;                              // append_mu_: refuse appends after this

  std::atomic<std::int64_t> start_{0};
  std::atomic<std::int64_t> end_{0};
  std::atomic<std::int64_t> durable_{0};
};

}  // namespace hallows::log::storage
