// Committed consumer-group offsets: <data_dir>/__consumer_offsets/offsets.log, an append-only
// file of entries, the last entry for a (group, topic, partition) winning:
//
//   crc u32 (CRC-32C of the rest) | length u32 (payload bytes) | payload:
//   groupLen u16, group, topicLen u16, topic, partition i32, offset i64, metadataLen u16, metadata
//
// All integers big-endian. A torn or corrupt tail is cut off at open; a file holding many more
// entries than live keys is rewritten compacted (tmp file, fsync, rename, directory fsync).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace hallows::log::storage {

class OffsetStore {
 public:
  OffsetStore() = default;
  ~OffsetStore();
  OffsetStore(const OffsetStore&) = delete;
  OffsetStore& operator=(const OffsetStore&) = delete;

  // Loads (and maybe compacts) the store in `dir`, creating it when new. Empty on success.
  std::string open(const std::string& dir, std::function<void(std::string_view)> report);
  void close();

  // Appends an entry and returns once it is fdatasynced. Concurrent callers share one
  // fdatasync (the first waiting caller writes everyone's entries: group commit).
  std::string commit(std::string_view group, std::string_view topic, int partition,
                     std::int64_t offset, std::string_view metadata);
  // -1 when nothing was committed for the partition.
  std::int64_t committed(std::string_view group, std::string_view topic, int partition) const;

  // Calls fn(topic, partition, offset, metadata) for each committed partition of the group,
  // in (topic, partition) order, under the store's lock (fn must not call back in).
  void for_each_in_group(std::string_view group,
                         const std::function<void(const std::string&, int, std::int64_t,
                                                  const std::string&)>& fn) const;

  std::size_t entries_in_file() const;  // for tests of compaction

 private:
  struct Value {
    std::int64_t offset = -1;
    std::string metadata;
  };
  // (group, topic, partition): names may hold any byte, so no separator-joined string.
  using Key = std::tuple<std::string, std::string, int>;
  static Key key_of(std::string_view group, std::string_view topic, int partition);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string dir_;
  std::string path_;
  int fd_ = -1;
  std::int64_t file_size_ = 0;
  std::size_t entries_ = 0;
  std::map<Key, Value> values_;
  std::function<void(std::string_view)> report_;
  // Group commit: entries queued but not yet written, their keys and values in order.
  std::vector<std::byte> pending_;
  std::vector<std::pair<Key, Value>> pending_values_;
  std::uint64_t queued_seq_ = 0;  // entries queued so far
  std::uint64_t synced_seq_ = 0;  // entries written and fdatasynced
  bool writing_ = false;
  std::string failed_;  // a failed write or sync: every later commit fails
};

}  // namespace hallows::log::storage
