// The consumer-group offsets store; the entry layout is in offset_store.h.
#include "offset_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>

#include <fmt/format.h>

#include "batch_codec.h"
#include "hallows/log/record_batch.h"
#include "segment.h"

namespace hallows::log::storage {

using codec::load_be;
using codec::store_be;

namespace {

constexpr std::size_t kEntryHeader = 8;  // crc + length

void put_bytes(std::vector<std::byte>& out, std::string_view s) {
  std::byte len[2];
  store_be<std::uint16_t>(len, static_cast<std::uint16_t>(s.size()));
  out.insert(out.end(), len, len + 2);
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  out.insert(out.end(), p, p + s.size());
}

void encode_entry(std::vector<std::byte>& out, std::string_view group, std::string_view topic,
                  int partition, std::int64_t offset, std::string_view metadata) {
  const std::size_t start = out.size();
  out.resize(start + kEntryHeader);
  put_bytes(out, group);
  put_bytes(out, topic);
  std::byte num[12];
  store_be<std::int32_t>(num, partition);
  store_be<std::int64_t>(num + 4, offset);
  out.insert(out.end(), num, num + 12);
  put_bytes(out, metadata);
  std::byte* e = out.data() + start;
  store_be<std::uint32_t>(e + 4, static_cast<std::uint32_t>(out.size() - start - kEntryHeader));
  store_be<std::uint32_t>(e, crc32c(e + 4, out.size() - start - 4));
}

bool get_bytes(const std::byte*& p, const std::byte* end, std::string& s) {
  if (end - p < 2) return false;
  auto n = load_be<std::uint16_t>(p);
  p += 2;
  if (end - p < n) return false;
  s.assign(reinterpret_cast<const char*>(p), n);
  p += n;
  return true;
}

bool read_file(int fd, std::vector<std::byte>& out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

OffsetStore::~OffsetStore() {
  close();
}

OffsetStore::Key OffsetStore::key_of(std::string_view group, std::string_view topic,
                                     int partition) {
  return Key{std::string(group), std::string(topic), partition};
}

std::string OffsetStore::open(const std::string& dir,
                              std::function<void(std::string_view)> report) {
  std::lock_guard lock(mu_);
  report_ = std::move(report);
  dir_ = dir;
  path_ = dir + "/offsets.log";
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return errno_text("cannot create", dir);
  struct stat st {};
  const bool existed = ::stat(path_.c_str(), &st) == 0;
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return errno_text("cannot open", path_);
  if (!existed && !fsync_dir(dir_)) return errno_text("cannot fsync", dir_);
  std::vector<std::byte> data;
  if (!read_file(fd_, data)) return errno_text("cannot read", path_);

  std::size_t pos = 0;
  entries_ = 0;
  while (data.size() - pos >= kEntryHeader) {
    const std::byte* e = data.data() + pos;
    auto len = load_be<std::uint32_t>(e + 4);
    if (len > data.size() - pos - kEntryHeader) break;
    if (crc32c(e + 4, len + 4) != load_be<std::uint32_t>(e)) break;
    const std::byte* p = e + kEntryHeader;
    const std::byte* end = p + len;
    std::string group, topic;
    Value v;
    if (!get_bytes(p, end, group) || !get_bytes(p, end, topic) || end - p < 12) break;
    auto partition = load_be<std::int32_t>(p);
    v.offset = load_be<std::int64_t>(p + 4);
    p += 12;
    if (!get_bytes(p, end, v.metadata) || p != end) break;
    values_[key_of(group, topic, partition)] = std::move(v);
    ++entries_;
    pos += kEntryHeader + len;
  }
  if (pos != data.size()) {
    if (::ftruncate(fd_, static_cast<off_t>(pos)) != 0 || ::fdatasync(fd_) != 0)
      return errno_text("cannot truncate the torn tail of", path_);
    if (report_)
      report_(
          fmt::format("slytherin: __consumer_offsets: truncated a torn tail of {} bytes after "
                      "{} entries",
                      data.size() - pos, entries_));
  }
  file_size_ = static_cast<std::int64_t>(pos);

  // Compact when most entries are stale: rewrite the live ones, then swap the files.
  if (entries_ > 1024 && entries_ > 4 * values_.size()) {
    std::vector<std::byte> out;
    for (const auto& [k, v] : values_)
      encode_entry(out, std::get<0>(k), std::get<1>(k), std::get<2>(k), v.offset, v.metadata);
    std::string tmp = path_ + ".tmp";
    int tfd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (tfd < 0) return errno_text("cannot create", tmp);
    if (!pwrite_all(tfd, out.data(), out.size(), 0) || ::fdatasync(tfd) != 0 ||
        ::rename(tmp.c_str(), path_.c_str()) != 0 || !fsync_dir(dir_)) {
      std::string err = errno_text("cannot compact into", tmp);
      ::close(tfd);
      return err;
    }
    if (report_)
      report_(fmt::format("slytherin: __consumer_offsets: compacted {} entries to {}", entries_,
                          values_.size()));
    ::close(fd_);
    fd_ = tfd;
    entries_ = values_.size();
    file_size_ = static_cast<std::int64_t>(out.size());
  }
  return {};
}

void OffsetStore::close() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !writing_; });
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::string OffsetStore::commit(std::string_view group, std::string_view topic, int partition,
                                std::int64_t offset, std::string_view metadata) {
  if (group.size() > 0xFFFF || topic.size() > 0xFFFF || metadata.size() > 0xFFFF)
    return "offset commit: group, topic or metadata longer than 65535 bytes";
  std::unique_lock lock(mu_);
  if (fd_ < 0) return "offset commit: the offsets store is not open";
  if (!failed_.empty()) return failed_;
  encode_entry(pending_, group, topic, partition, offset, metadata);
  pending_values_.emplace_back(key_of(group, topic, partition),
                               Value{offset, std::string(metadata)});
  const std::uint64_t mine = ++queued_seq_;
  while (synced_seq_ < mine) {
    if (!failed_.empty()) return failed_;
    if (writing_) {
      cv_.wait(lock);
      continue;
    }
    // Become the writer for everything queued so far.
    writing_ = true;
    std::vector<std::byte> buf;
    buf.swap(pending_);
    auto values = std::move(pending_values_);
    pending_values_.clear();
    const std::uint64_t upto = queued_seq_;
    const std::int64_t at = file_size_;
    lock.unlock();
    bool ok = pwrite_all(fd_, buf.data(), buf.size(), at) && ::fdatasync(fd_) == 0;
    std::string err = ok ? std::string() : errno_text("offset commit failed writing", path_);
    lock.lock();
    writing_ = false;
    if (ok) {
      file_size_ = at + static_cast<std::int64_t>(buf.size());
      entries_ += values.size();
      for (auto& [k, v] : values) values_[k] = std::move(v);
      synced_seq_ = upto;
    } else {
      failed_ = err;
      if (report_) report_("slytherin: __consumer_offsets: " + err);
    }
    cv_.notify_all();
  }
  return {};
}

std::int64_t OffsetStore::committed(std::string_view group, std::string_view topic,
                                    int partition) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(key_of(group, topic, partition));
  return it == values_.end() ? -1 : it->second.offset;
}

void OffsetStore::for_each_in_group(std::string_view group,
                                    const std::function<void(const std::string&, int, std::int64_t,
                                                             const std::string&)>& fn) const {
  std::lock_guard lock(mu_);
  // Keys sort by group first: the group's entries are one contiguous run of the map.
  for (auto it = values_.lower_bound(Key{std::string(group), std::string(), INT32_MIN});
       it != values_.end() && std::get<0>(it->first) == group; ++it) {
    fn(std::get<1>(it->first), std::get<2>(it->first), it->second.offset, it->second.metadata);
  }
}

std::size_t OffsetStore::entries_in_file() const {
  std::lock_guard lock(mu_);
  return entries_;
}

}  // namespace hallows::log::storage
