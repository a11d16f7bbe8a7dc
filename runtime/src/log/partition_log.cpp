// One topic-partition: append (offset assignment, roll, durability), read by reference,
// recovery at open, group-commit flush and retention. See partition_log.h and
// docs/slytherin-log.md.
#include "partition_log.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace hallows::log::storage {

namespace {

// 20 digits then ".log": a segment file name.
bool parse_segment_name(const char* name, std::int64_t& base) {
  std::size_t n = std::strlen(name);
  if (n != 24 || std::strcmp(name + 20, ".log") != 0) return false;
  std::int64_t v = 0;
  for (int i = 0; i < 20; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
    if (v > (INT64_MAX - 9) / 10) return false;
    v = v * 10 + (name[i] - '0');
  }
  base = v;
  return true;
}

std::int64_t timestamp_of(const BatchHeader& h, std::int64_t now_ms) {
  return h.max_timestamp > 0 ? h.max_timestamp : now_ms;
}

}  // namespace

PartitionLogImpl::PartitionLogImpl(const TopicConfig& config, int partition, std::string dir,
                                   PartitionHooks hooks)
    : PartitionLog(config.name, partition),
      config_(config),
      dir_(std::move(dir)),
      name_(fmt::format("{}-{}", config.name, partition)),
      hooks_(std::move(hooks)) {}

PartitionLogImpl::~PartitionLogImpl() {
  close();
}

std::string PartitionLogImpl::open(std::int64_t now_ms) {
  bool created = false;
  if (::mkdir(dir_.c_str(), 0755) == 0) {
    created = true;
  } else if (errno != EEXIST) {
    return errno_text("cannot create", dir_);
  }
  if (created) {
    auto parent = dir_.substr(0, dir_.find_last_of('/'));
    if (!fsync_dir(parent)) return errno_text("cannot fsync", parent);
  }
  std::vector<std::int64_t> bases;
  if (DIR* d = ::opendir(dir_.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::int64_t base = 0;
      if (parse_segment_name(e->d_name, base)) bases.push_back(base);
    }
    ::closedir(d);
  } else {
    return errno_text("cannot list", dir_);
  }
  std::sort(bases.begin(), bases.end());

  std::vector<std::shared_ptr<Segment>> segs;
  for (std::size_t i = 0; i < bases.size(); ++i) {
    std::string error;
    auto seg = open_segment(dir_, bases[i], config_.segment_bytes, error);
    if (!seg) return error;
    ScanResult r = scan_segment(*seg, config_.index_interval_bytes);
    const bool last = i + 1 == bases.size();
    if (!segs.empty() && !segs.back()->corrupt &&
        segs.back()->end_offset.load() != seg->base_offset)
      hooks_.report(fmt::format(
          "slytherin: {}: CORRUPT: segment {} starts at offset {} but the one before ends at {}",
          name_, seg->path, seg->base_offset, segs.back()->end_offset.load()));
    if (!r.problem.empty()) {
      if (last) {
        if (::ftruncate(seg->fd(), r.sound_size) != 0 || ::fdatasync(seg->fd()) != 0)
          return errno_text("cannot truncate the torn tail of", seg->path);
        seg->size.store(r.sound_size);
        hooks_.report(fmt::format("slytherin: {}: truncated a torn tail of {} bytes at offset {}",
                                  name_, r.file_size - r.sound_size, r.end_offset));
      } else {
        seg->corrupt = true;
        seg->sound_size = r.sound_size;
        hooks_.report(fmt::format(
            "slytherin: {}: CORRUPT segment {}: {} at byte {} (offset {}); serving only the {} "
            "bytes before it, offsets {}..{} are unreadable; the file is kept as evidence",
            name_, seg->path, r.problem, r.sound_size, r.end_offset, r.sound_size, r.end_offset,
            bases[i + 1] - 1));
      }
    }
    if (seg->created_ms == 0) seg->created_ms = now_ms;
    if (!index_files_match(*seg)) write_index_files_reported(*seg);
    segs.push_back(std::move(seg));
  }
  if (segs.empty()) {
    std::string error;
    auto seg = create_segment(dir_, 0, config_.segment_bytes, now_ms, error);
    if (!seg) return error;
    if (!fsync_dir(dir_)) return errno_text("cannot fsync", dir_);
    segs.push_back(std::move(seg));
  }
  std::lock_guard lock(append_mu_);
  std::unique_lock meta(meta_mu_);
  segments_ = std::move(segs);
  active_ = segments_.back();
  start_.store(segments_.front()->base_offset);
  end_.store(active_->end_offset.load());
  durable_.store(end_.load());
  closed_ = false;
  return {};
}

AppendResult PartitionLogImpl::append(std::span<std::byte> batches, std::int64_t now_ms) {
  AppendResult res;
  if (batches.empty()) {
    res.error = "empty record set";
    return res;
  }
  // Only the framing is checked here: the caller ran check_batch on every batch.
  for (std::size_t pos = 0; pos < batches.size();) {
    auto h = read_batch_header(batches.subspan(pos));
    if (!h || h->batch_length < static_cast<std::int32_t>(kBatchHeaderSize - kBatchLogOverhead) ||
        h->size() > batches.size() - pos || h->last_offset_delta < 0) {
      res.error = fmt::format("not a whole sequence of record batches (at byte {})", pos);
      return res;
    }
    pos += h->size();
  }
  const auto total = static_cast<std::int64_t>(batches.size());

  std::unique_lock lock(append_mu_);
  if (closed_) {
    res.error = name_ + ": the log is closed";
    return res;
  }
  if (!failed_.empty()) {
    res.error = failed_;
    return res;
  }
  Segment* seg = active_.get();
  std::int64_t old_size = seg->size.load(std::memory_order_relaxed);
  if (old_size > 0 && (old_size + total > config_.segment_bytes ||
                       now_ms - seg->created_ms >= config_.segment_age.count())) {
    if (!roll(end_.load(std::memory_order_relaxed), now_ms, res.error)) return res;
    seg = active_.get();
    old_size = 0;
  }
  if (old_size + total > static_cast<std::int64_t>(seg->mapping->capacity)) {
    // An oversize batch (or a recovered oversize segment): map more; readers of the old
    // mapping keep it alive through their shared_ptr.
    auto m = map_file(seg->file, std::max(config_.segment_bytes, old_size + total), res.error);
    if (!m) {
      res.error = seg->path + ": " + res.error;
      return res;
    }
    std::unique_lock meta(meta_mu_);
    seg->mapping = std::move(m);
  }

  // Assign offsets and note index entries before the bytes go out.
  std::int64_t next = end_.load(std::memory_order_relaxed);
  res.base_offset = next;
  std::int64_t max_ts = seg->max_timestamp.load(std::memory_order_relaxed);
  std::vector<IndexEntry> new_entries;
  std::int64_t since_index = seg->bytes_since_index;
  const bool index_empty = seg->index.empty();
  for (std::size_t pos = 0; pos < batches.size();) {
    auto h = *read_batch_header(batches.subspan(pos));
    set_base_offset(batches.subspan(pos), next);
    if ((index_empty && new_entries.empty()) || since_index >= config_.index_interval_bytes) {
      new_entries.push_back(IndexEntry{next, old_size + static_cast<std::int64_t>(pos), max_ts});
      since_index = 0;
    }
    since_index += static_cast<std::int64_t>(h.size());
    max_ts = std::max(max_ts, timestamp_of(h, now_ms));
    next += h.last_offset_delta + 1;
    pos += h.size();
  }
  if (!pwrite_all(seg->fd(), batches.data(), batches.size(), old_size)) {
    res.error = errno_text("cannot write", seg->path);
    res.base_offset = -1;
    if (::ftruncate(seg->fd(), old_size) != 0)
      fail(fmt::format("{}; the partial write could not be cut off ({}): appends refused",
                       res.error, std::strerror(errno)));
    return res;
  }
  if (!new_entries.empty()) {
    std::unique_lock meta(meta_mu_);
    seg->index.insert(seg->index.end(), new_entries.begin(), new_entries.end());
  }
  seg->bytes_since_index = since_index;
  seg->max_timestamp.store(max_ts, std::memory_order_relaxed);
  seg->end_offset.store(next, std::memory_order_relaxed);
  seg->size.store(old_size + total, std::memory_order_release);
  end_.store(next, std::memory_order_release);
  res.next_offset = next;

  switch (config_.durability) {
    case Durability::none:
      lock.unlock();
      notify();
      break;
    case Durability::fsync_every_write:
      // Appends are serialised anyway; holding the mutex keeps durable in order with end.
      if (::fdatasync(seg->fd()) != 0) {
        fail(errno_text("fdatasync failed for", seg->path));
        res.error = failed_;
        res.base_offset = res.next_offset = -1;
        return res;
      }
      durable_.store(next, std::memory_order_release);
      lock.unlock();
      notify();
      break;
    case Durability::fsync_batched:
      dirty_ = true;
      lock.unlock();
      if (hooks_.wake_flusher) hooks_.wake_flusher(*this);
      break;
  }
  return res;
}

bool PartitionLogImpl::roll(std::int64_t base_offset, std::int64_t now_ms, std::string& error) {
  auto seg = create_segment(dir_, base_offset, config_.segment_bytes, now_ms, error);
  if (!seg) return false;
  write_index_files_reported(*active_);  // the old segment's index is final now
  if (config_.durability == Durability::fsync_batched) {
    // The flusher syncs the old segment and the directory before it publishes anything
    // written after this point, so no fsync happens under the append mutex.
    if (dirty_) unsynced_.push_back(active_);
    dir_dirty_ = true;
  } else if (!fsync_dir(dir_)) {
    error = errno_text("cannot fsync", dir_);
    ::unlink(seg->path.c_str());
    return false;
  }
  seg->end_offset.store(base_offset);
  std::unique_lock meta(meta_mu_);
  segments_.push_back(seg);
  active_ = std::move(seg);
  return true;
}

void PartitionLogImpl::flush() {
  std::vector<std::shared_ptr<Segment>> to_sync;
  bool dir = false;
  std::int64_t end = 0;
  {
    std::lock_guard lock(append_mu_);
    if (!dirty_ || !failed_.empty() || !active_) return;
    dirty_ = false;
    end = end_.load(std::memory_order_relaxed);  // everything below is written
    to_sync.swap(unsynced_);
    to_sync.push_back(active_);
    dir = dir_dirty_;
    dir_dirty_ = false;
  }
  for (const auto& seg : to_sync) {
    if (::fdatasync(seg->fd()) != 0) {
      std::lock_guard lock(append_mu_);
      fail(errno_text("fdatasync failed for", seg->path));
      return;
    }
  }
  if (dir && !fsync_dir(dir_)) {
    std::lock_guard lock(append_mu_);
    fail(errno_text("cannot fsync", dir_));
    return;
  }
  std::int64_t prev = durable_.load(std::memory_order_relaxed);
  while (prev < end && !durable_.compare_exchange_weak(prev, end, std::memory_order_release)) {
  }
  notify();
}

void PartitionLogImpl::close() {
  std::vector<std::shared_ptr<Segment>> to_sync;
  {
    std::lock_guard lock(append_mu_);
    if (closed_ || !active_) return;
    closed_ = true;
    to_sync.swap(unsynced_);
    to_sync.push_back(active_);
    write_index_files_reported(*active_);
    bool ok = true;
    for (const auto& seg : to_sync) {
      if (::fdatasync(seg->fd()) != 0) {
        hooks_.report(fmt::format("slytherin: {}: {}", name_,
                                  errno_text("fdatasync failed at close for", seg->path)));
        ok = false;
      }
    }
    if (!fsync_dir(dir_)) {
      hooks_.report(fmt::format("slytherin: {}: {}", name_, errno_text("cannot fsync", dir_)));
      ok = false;
    }
    if (ok && failed_.empty()) durable_.store(end_.load());
    dirty_ = false;
  }
  notify();
}

void PartitionLogImpl::fail(std::string why) {
  // After a failed fdatasync the kernel may have dropped the dirty pages: nothing written
  // since the last good sync can be trusted, so the partition stops taking appends.
  if (failed_.empty()) {
    failed_ = fmt::format("{}: {}", name_, why);
    hooks_.report(fmt::format("slytherin: {}: appends refused from now on", failed_));
  }
}

void PartitionLogImpl::write_index_files_reported(const Segment& seg) {
  // Losing an index file costs nothing but a rewrite at the next open: report, carry on.
  std::string error;
  if (!write_index_files(seg, error))
    hooks_.report(fmt::format("slytherin: {}: {} (index files are rebuilt at open)", name_, error));
}

void PartitionLogImpl::notify() {
  if (hooks_.listeners == nullptr) return;
  for (const auto& l : *hooks_.listeners) l(*this);
}

std::int64_t PartitionLogImpl::start_offset() const noexcept {
  return start_.load(std::memory_order_acquire);
}
std::int64_t PartitionLogImpl::end_offset() const noexcept {
  return end_.load(std::memory_order_acquire);
}
std::int64_t PartitionLogImpl::durable_offset() const noexcept {
  return durable_.load(std::memory_order_acquire);
}
std::int64_t PartitionLogImpl::visible_offset() const noexcept {
  return config_.durability == Durability::none ? end_offset() : durable_offset();
}

std::shared_ptr<Segment> PartitionLogImpl::segment_for(std::int64_t offset) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](std::int64_t o, const auto& s) { return o < s->base_offset; });
  if (it == segments_.begin()) return nullptr;
  return *(it - 1);
}

ReadError PartitionLogImpl::read(std::int64_t offset, std::size_t max_bytes, ReadSlice& out) const {
  out = ReadSlice{};
  const std::int64_t visible = visible_offset();
  out.first_offset = out.next_offset = offset;
  if (offset == visible && offset >= start_offset()) return ReadError::none;
  if (offset < start_offset() || offset > visible) return ReadError::offset_out_of_range;

  std::shared_ptr<const Mapping> map;
  std::int64_t pos = 0, limit = 0, next_base = visible;
  {
    std::shared_lock meta(meta_mu_);
    auto seg = segment_for(offset);
    if (!seg) return ReadError::offset_out_of_range;  // retention got there first
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](std::int64_t o, const auto& s) { return o < s->base_offset; });
    if (it != segments_.end()) next_base = (*it)->base_offset;
    const auto& idx = seg->index;
    auto e = std::upper_bound(idx.begin(), idx.end(), offset,
                              [](std::int64_t o, const IndexEntry& x) { return o < x.offset; });
    if (e != idx.begin()) pos = (e - 1)->position;
    map = seg->mapping;
    limit = std::min<std::int64_t>(seg->readable_size(), static_cast<std::int64_t>(map->capacity));
  }
  // The batch holding `offset`.
  std::optional<BatchHeader> first;
  while (pos < limit) {
    auto h = read_batch_header({map->base + pos, static_cast<std::size_t>(limit - pos)});
    if (!h || pos + static_cast<std::int64_t>(h->size()) > limit || h->base_offset >= visible)
      break;
    if (h->last_offset() >= offset) {
      first = h;
      break;
    }
    pos += static_cast<std::int64_t>(h->size());
  }
  if (!first) {
    // offset < visible yet no sound batch holds it: it lies in the unreadable rest of a
    // corrupt segment. next_offset tells the caller where sound data resumes.
    out.next_offset = next_base;
    return ReadError::corrupt;
  }
  std::int64_t total = static_cast<std::int64_t>(first->size());
  std::int64_t next = first->last_offset() + 1;
  while (pos + total < limit) {
    auto h =
        read_batch_header({map->base + pos + total, static_cast<std::size_t>(limit - pos - total)});
    if (!h || h->base_offset >= visible) break;
    auto size = static_cast<std::int64_t>(h->size());
    if (pos + total + size > limit || static_cast<std::size_t>(total + size) > max_bytes) break;
    total += size;
    next = h->last_offset() + 1;
  }
  out.data = {map->base + pos, static_cast<std::size_t>(total)};
  out.fd = map->file->fd;
  out.file_position = pos;
  out.first_offset = first->base_offset;
  out.next_offset = next;
  out.keep = std::move(map);
  return ReadError::none;
}

std::int64_t PartitionLogImpl::offset_for_time(std::int64_t ts_ms) const {
  std::vector<std::shared_ptr<Segment>> segs;
  {
    std::shared_lock meta(meta_mu_);
    segs = segments_;
  }
  for (const auto& seg : segs) {
    if (seg->max_timestamp.load(std::memory_order_relaxed) < ts_ms) continue;
    std::shared_ptr<const Mapping> map;
    std::int64_t pos = 0, limit = 0;
    {
      std::shared_lock meta(meta_mu_);
      const auto& idx = seg->index;
      // The last entry all of whose predecessors are older than ts_ms.
      auto e = std::partition_point(idx.begin(), idx.end(),
                                    [&](const IndexEntry& x) { return x.max_ts_before < ts_ms; });
      if (e != idx.begin()) pos = (e - 1)->position;
      map = seg->mapping;
      limit =
          std::min<std::int64_t>(seg->readable_size(), static_cast<std::int64_t>(map->capacity));
    }
    while (pos < limit) {
      std::span<const std::byte> rest{map->base + pos, static_cast<std::size_t>(limit - pos)};
      auto h = read_batch_header(rest);
      if (!h || h->size() > rest.size()) break;
      if (h->max_timestamp >= ts_ms) {
        std::int64_t found = h->base_offset;
        for_each_record(rest.first(h->size()), [&](const RecordView& r) {
          if (r.timestamp < ts_ms) return true;
          found = r.offset;
          return false;
        });
        return found;
      }
      pos += static_cast<std::int64_t>(h->size());
    }
  }
  return end_offset();
}

void PartitionLogImpl::enforce_retention(std::int64_t now_ms) {
  for (;;) {
    std::shared_ptr<Segment> victim;
    std::string why;
    {
      std::lock_guard lock(append_mu_);
      if (closed_) return;
      std::shared_lock meta_read(meta_mu_);
      if (segments_.size() < 2) return;  // the active segment always stays
      const auto& oldest = segments_.front();
      std::int64_t total = 0;
      for (const auto& s : segments_) total += s->size.load(std::memory_order_relaxed);
      const std::int64_t newest = oldest->max_timestamp.load(std::memory_order_relaxed);
      if (config_.retention_time.count() > 0 && newest < now_ms - config_.retention_time.count()) {
        why = fmt::format("its newest record ({} ms) is older than retention_time {} ms", newest,
                          config_.retention_time.count());
      } else if (config_.retention_bytes >= 0 && total > config_.retention_bytes) {
        why = fmt::format("the partition holds {} bytes, over retention_bytes {}", total,
                          config_.retention_bytes);
      } else {
        return;
      }
      meta_read.unlock();
      std::unique_lock meta(meta_mu_);
      victim = segments_.front();
      segments_.erase(segments_.begin());
      start_.store(segments_.front()->base_offset, std::memory_order_release);
      std::erase(unsynced_, victim);
    }
    // Readers holding a slice keep the mapping (and the descriptor) alive after the unlink.
    remove_index_files(*victim);
    if (::unlink(victim->path.c_str()) != 0) {
      hooks_.report(
          fmt::format("slytherin: {}: {}", name_, errno_text("cannot delete", victim->path)));
      continue;
    }
    if (!fsync_dir(dir_))
      hooks_.report(fmt::format("slytherin: {}: {}", name_, errno_text("cannot fsync", dir_)));
    hooks_.report(fmt::format("slytherin: {}: retention deleted {} (offsets {}..{}, {} bytes): {}",
                              name_, victim->path, victim->base_offset,
                              victim->end_offset.load() - 1, victim->size.load(), why));
  }
}

std::int64_t PartitionLogImpl::size_bytes() const {
  std::shared_lock meta(meta_mu_);
  std::int64_t total = 0;
  for (const auto& s : segments_) total += s->size.load(std::memory_order_relaxed);
  return total;
}

std::size_t PartitionLogImpl::segment_count() const {
  std::shared_lock meta(meta_mu_);
  return segments_.size();
}

}  // namespace hallows::log::storage
