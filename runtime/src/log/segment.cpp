// Segment files: creation, mapping, writing, and the recovery scan. See segment.h.
#include "segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "batch_codec.h"

namespace hallows::log::storage {

File::~File() {
  if (fd >= 0) ::close(fd);
}

Mapping::~Mapping() {
  if (base != nullptr) ::munmap(const_cast<std::byte*>(base), capacity);
}

std::string segment_file_name(std::int64_t base_offset) {
  return fmt::format("{:020d}.log", base_offset);
}

std::string errno_text(const char* what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

std::shared_ptr<const Mapping> map_file(const std::shared_ptr<File>& file, std::int64_t capacity,
                                        std::string& error) {
  const auto page = static_cast<std::int64_t>(::sysconf(_SC_PAGESIZE));
  std::int64_t cap = std::max<std::int64_t>(capacity, page);
  cap = (cap + page - 1) / page * page;
  void* p = ::mmap(nullptr, static_cast<std::size_t>(cap), PROT_READ, MAP_SHARED, file->fd, 0);
  if (p == MAP_FAILED) {
    error = fmt::format("mmap of {} bytes: {}", cap, std::strerror(errno));
    return nullptr;
  }
  auto m = std::make_shared<Mapping>();
  m->file = file;
  m->base = static_cast<const std::byte*>(p);
  m->capacity = static_cast<std::size_t>(cap);
  return m;
}

namespace {

std::shared_ptr<Segment> open_file(const std::string& dir, std::int64_t base_offset,
                                   std::int64_t capacity, bool create, std::string& error) {
  auto seg = std::make_shared<Segment>();
  seg->base_offset = base_offset;
  seg->path = dir + "/" + segment_file_name(base_offset);
  int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
  int fd = ::open(seg->path.c_str(), flags, 0644);
  if (fd < 0) {
    error = errno_text(create ? "cannot create" : "cannot open", seg->path);
    return nullptr;
  }
  seg->file = std::make_shared<File>(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = errno_text("cannot stat", seg->path);
    return nullptr;
  }
  seg->size.store(st.st_size);
  seg->end_offset.store(base_offset);
  seg->mtime_ms =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  seg->mapping = map_file(seg->file, std::max<std::int64_t>(capacity, st.st_size), error);
  if (!seg->mapping) {
    error = seg->path + ": " + error;
    return nullptr;
  }
  return seg;
}

}  // namespace

std::shared_ptr<Segment> create_segment(const std::string& dir, std::int64_t base_offset,
                                        std::int64_t capacity, std::int64_t now_ms,
                                        std::string& error) {
  auto seg = open_file(dir, base_offset, capacity, true, error);
  if (seg) seg->created_ms = now_ms;
  return seg;
}

std::shared_ptr<Segment> open_segment(const std::string& dir, std::int64_t base_offset,
                                      std::int64_t capacity, std::string& error) {
  return open_file(dir, base_offset, capacity, false, error);
}

bool pwrite_all(int fd, const std::byte* data, std::size_t size, std::int64_t position) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(position));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {
      errno = EIO;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    position += n;
  }
  return true;
}

bool fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

namespace {

std::string sibling(const Segment& seg, const char* ext) {
  return seg.path.substr(0, seg.path.size() - 4) + ext;  // drop ".log"
}

void encode_index(const Segment& seg, std::vector<std::byte>& offsets,
                  std::vector<std::byte>& times) {
  offsets.resize(seg.index.size() * 8);
  times.resize(seg.index.size() * 12);
  for (std::size_t i = 0; i < seg.index.size(); ++i) {
    const auto& e = seg.index[i];
    const auto rel = static_cast<std::uint32_t>(e.offset - seg.base_offset);
    codec::store_be<std::uint32_t>(offsets.data() + 8 * i, rel);
    codec::store_be<std::uint32_t>(offsets.data() + 8 * i + 4,
                                   static_cast<std::uint32_t>(e.position));
    codec::store_be<std::int64_t>(times.data() + 12 * i, e.max_ts_before);
    codec::store_be<std::uint32_t>(times.data() + 12 * i + 8, rel);
  }
}

bool write_whole(const std::string& path, const std::vector<std::byte>& data, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = errno_text("cannot write", path);
    return false;
  }
  bool ok = pwrite_all(fd, data.data(), data.size(), 0);
  if (!ok) error = errno_text("cannot write", path);
  ::close(fd);
  return ok;
}

bool file_equals(const std::string& path, const std::vector<std::byte>& data) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::vector<std::byte> got(data.size() + 1);
  std::size_t have = 0;
  for (;;) {
    ssize_t n = ::pread(fd, got.data() + have, got.size() - have, static_cast<off_t>(have));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
    if (have == got.size()) break;
  }
  ::close(fd);
  return have == data.size() && std::equal(data.begin(), data.end(), got.begin());
}

}  // namespace

bool write_index_files(const Segment& seg, std::string& error) {
  std::vector<std::byte> offsets, times;
  encode_index(seg, offsets, times);
  return write_whole(sibling(seg, ".index"), offsets, error) &&
         write_whole(sibling(seg, ".timeindex"), times, error);
}

bool index_files_match(const Segment& seg) {
  std::vector<std::byte> offsets, times;
  encode_index(seg, offsets, times);
  return file_equals(sibling(seg, ".index"), offsets) &&
         file_equals(sibling(seg, ".timeindex"), times);
}

void remove_index_files(const Segment& seg) {
  ::unlink(sibling(seg, ".index").c_str());
  ::unlink(sibling(seg, ".timeindex").c_str());
}

bool index_wants_entry(const Segment& seg, std::int64_t index_interval_bytes) {
  return seg.index.empty() || seg.bytes_since_index >= index_interval_bytes;
}

ScanResult scan_segment(Segment& seg, std::int64_t index_interval_bytes) {
  ScanResult r;
  r.file_size = seg.size.load();
  r.end_offset = seg.base_offset;
  const std::byte* base = seg.mapping->base;
  std::int64_t pos = 0;
  std::int64_t max_ts = -1;
  seg.index.clear();
  seg.bytes_since_index = 0;
  while (pos < r.file_size) {
    auto rest = std::span<const std::byte>(base + pos, static_cast<std::size_t>(r.file_size - pos));
    BatchError err = check_batch(rest);
    if (err != BatchError::none) {
      r.problem = to_string(err);
      break;
    }
    auto h = *read_batch_header(rest);
    if (h.base_offset != r.end_offset) {
      r.problem = fmt::format("batch offset {} where {} was expected", h.base_offset, r.end_offset);
      break;
    }
    if (index_wants_entry(seg, index_interval_bytes)) {
      seg.index.push_back(IndexEntry{h.base_offset, pos, max_ts});
      seg.bytes_since_index = 0;
    }
    seg.bytes_since_index += static_cast<std::int64_t>(h.size());
    // Batches without a timestamp count as written when the file was last modified, as
    // append() counts them at their append time.
    const std::int64_t ts = h.max_timestamp > 0 ? h.max_timestamp : seg.mtime_ms;
    max_ts = std::max(max_ts, ts);
    if (seg.created_ms == 0) seg.created_ms = ts;
    pos += static_cast<std::int64_t>(h.size());
    r.end_offset = h.last_offset() + 1;
  }
  r.sound_size = pos;
  seg.max_timestamp.store(max_ts);
  seg.end_offset.store(r.end_offset);
  return r;
}

}  // namespace hallows::log::storage
