// LocalConsumer: an in-process member of a consumer group reading by reference from the log.
#include "hallows/log/consumer.h"

#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

#include "batch_codec.h"

namespace hallows::log {

namespace {
constexpr std::size_t kPollBytes = 1 << 20;  // one read's worth of batches per partition

void report(const Log& log, const std::string& line) {
  if (log.config().report) {
    log.config().report(line);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}
}  // namespace

LocalConsumer::LocalConsumer(Log& log, std::string topic, std::string group, int member,
                             int members, std::chrono::milliseconds commit_interval)
    : log_(log),
      topic_(std::move(topic)),
      group_(std::move(group)),
      commit_interval_(commit_interval),
      last_commit_(std::chrono::steady_clock::now()) {
  const TopicConfig* config = log_.topic_config(topic_);
  if (config == nullptr) throw std::invalid_argument("LocalConsumer: unknown topic " + topic_);
  if (members < 1 || member < 0 || member >= members)
    throw std::invalid_argument(fmt::format("LocalConsumer: member {} of {}", member, members));
  // Kafka's range assignor: partitions in order, each member a contiguous range, the first
  // (n % members) members one more.
  const int n = config->partitions;
  const int per = n / members, extra = n % members;
  const int first = member * per + std::min(member, extra);
  const int count = per + (member < extra ? 1 : 0);
  for (int p = first; p < first + count; ++p) {
    partitions_.push_back(p);
    PartitionLog* part = log_.partition(topic_, p);
    std::int64_t start = part != nullptr ? part->start_offset() : 0;
    std::int64_t committed = log_.committed_offset(group_, topic_, p);
    // A group with no commit starts at the beginning of what is kept.
    if (committed >= 0 && committed < start)
      report(log_, fmt::format("slytherin: consumer {} on {}-{}: committed offset {} was deleted "
                               "by retention, starting at {}",
                               group_, topic_, p, committed, start));
    positions_.push_back(committed >= start ? committed : start);
    committed_.push_back(committed);
  }
}

LocalConsumer::~LocalConsumer() {
  commit();
}

std::size_t LocalConsumer::poll(std::size_t max, const std::function<void(const RecordView&)>& fn) {
  std::size_t handed = 0;
  const std::size_t n = partitions_.size();
  for (std::size_t k = 0; k < n && handed < max; ++k) {
    const std::size_t i = (next_partition_ + k) % n;
    PartitionLog* part = log_.partition(topic_, partitions_[i]);
    if (part == nullptr) continue;
    std::int64_t& pos = positions_[i];
    while (handed < max) {
      ReadSlice slice;
      ReadError err = part->read(pos, kPollBytes, slice);
      if (err == ReadError::offset_out_of_range) {
        if (pos < part->start_offset()) {
          report(log_, fmt::format("slytherin: consumer {} on {}-{}: offset {} was deleted by "
                                   "retention, resuming at {}",
                                   group_, topic_, partitions_[i], pos, part->start_offset()));
          pos = part->start_offset();
          continue;
        }
        break;  // ahead of visible: nothing to read yet
      }
      if (err == ReadError::corrupt) {
        report(
            log_,
            fmt::format(
                "slytherin: consumer {} on {}-{}: offsets {}..{} are unreadable (corrupt segment), "
                "skipped",
                group_, topic_, partitions_[i], pos, slice.next_offset - 1));
        if (slice.next_offset <= pos) break;
        pos = slice.next_offset;
        continue;
      }
      if (slice.data.empty()) break;
      std::size_t at = 0;
      while (at < slice.data.size() && handed < max) {
        auto batch = slice.data.subspan(at);
        auto h = *read_batch_header(batch);
        batch = batch.first(h.size());
        at += h.size();
        if (h.last_offset() < pos) continue;
        if (h.is_control()) {
          pos = h.last_offset() + 1;
          continue;
        }
        if (h.compression() != 0) {
          report(
              log_,
              fmt::format(
                  "slytherin: consumer {} on {}-{}: skipped a compressed batch (offsets {}..{}): "
                  "in-process consumers read uncompressed batches only",
                  group_, topic_, partitions_[i], h.base_offset, h.last_offset()));
          pos = h.last_offset() + 1;
          continue;
        }
        bool stopped = false;
        for_each_record(batch, [&](const RecordView& r) {
          if (r.offset < pos) return true;
          if (handed == max) {
            stopped = true;
            return false;
          }
          pos = r.offset + 1;  // consumed even if fn throws
          ++handed;
          fn(r);
          return true;
        });
        if (!stopped) pos = std::max(pos, h.last_offset() + 1);
      }
    }
  }
  if (n > 0) next_partition_ = (next_partition_ + 1) % n;
  if (std::chrono::steady_clock::now() - last_commit_ >= commit_interval_) commit();
  return handed;
}

void LocalConsumer::commit() {
  last_commit_ = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    if (positions_[i] == committed_[i]) continue;
    auto err = log_.commit_offset(group_, topic_, partitions_[i], positions_[i], "");
    if (!err.empty()) {
      report(log_, fmt::format("slytherin: consumer {} on {}-{}: commit failed: {}", group_, topic_,
                               partitions_[i], err));
      continue;
    }
    committed_[i] = positions_[i];
  }
}

std::int64_t LocalConsumer::lag() const {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    PartitionLog* part = log_.partition(topic_, partitions_[i]);
    if (part != nullptr) total += std::max<std::int64_t>(0, part->visible_offset() - positions_[i]);
  }
  return total;
}

std::int64_t produced_ns(const RecordView& record) {
  std::int64_t ns = -1;
  for_each_header(record, [&](const RecordHeader& h) {
    if (h.key == "pt.ns" && h.value && h.value->size() == 8)
      ns = codec::load_be<std::int64_t>(h.value->data());
  });
  return ns;
}

}  // namespace hallows::log
