// Creating, attaching and validating the shared-memory object behind ShmSpscRing.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "hallows/chan/shm_ring.h"

namespace hallows::chan::detail {
namespace {

constexpr std::uint64_t kMagic = 0x3152'4d48'5357'4c48ULL;  // "HLWSHMR1" little-endian
constexpr std::uint32_t kVersion = 1;

struct ShmHeader {
  std::atomic<std::uint64_t> magic;
  std::uint32_t version;
  std::uint32_t header_size;
  std::uint32_t slot_size;
  std::uint32_t slot_align;
  std::uint64_t capacity;
  std::uint64_t slot_offset;
  std::uint64_t total_size;
};
static_assert(sizeof(ShmHeader) <= kCacheLine);

constexpr std::size_t kControlOffset = kCacheLine;

std::size_t slot_offset_for(std::size_t slot_align) {
  const std::size_t align = slot_align > kCacheLine ? slot_align : kCacheLine;
  const std::size_t end = kControlOffset + sizeof(SpscControl);
  return (end + align - 1) / align * align;
}

std::string posix_name(const std::string& name) {
  std::string n = name.empty() || name[0] != '/' ? "/" + name : name;
  if (n.size() < 2 || n.find('/', 1) != std::string::npos || n.size() > 255) {
    throw ShmError("shared-memory ring name '" + name +
                   "' is invalid: use 1-254 characters without '/' (a leading '/' is allowed)");
  }
  return n;
}

[[noreturn]] void fail(const std::string& name, const std::string& what, int err) {
  throw ShmError("shared-memory ring '" + name + "': " + what +
                 (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
}

ShmHeader* header(void* base) {
  return static_cast<ShmHeader*>(base);
}

}  // namespace

ShmMapping& ShmMapping::operator=(ShmMapping&& other) noexcept {
  if (this != &other) {
    if (base_ != nullptr) munmap(base_, bytes_);
    name_ = std::move(other.name_);
    base_ = std::exchange(other.base_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

ShmMapping::~ShmMapping() {
  if (base_ != nullptr) munmap(base_, bytes_);
}

ShmMapping ShmMapping::create(const std::string& name, std::size_t slot_size,
                              std::size_t slot_align, std::size_t capacity) {
  const std::string n = posix_name(name);
  const std::size_t offset = slot_offset_for(slot_align);
  if (slot_size == 0 || capacity > (SIZE_MAX - offset) / slot_size) {
    fail(n,
         "capacity " + std::to_string(capacity) + " x slot size " + std::to_string(slot_size) +
             " does not fit in memory",
         0);
  }
  const std::size_t total = offset + capacity * slot_size;
  (void)membarrier_ready(Scope::kShared);
  const int fd = shm_open(n.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) {
    fail(n,
         errno == EEXIST ? "cannot create, it already exists (unlink it or pick another name)"
                         : "shm_open failed",
         errno);
  }
  if (ftruncate(fd, static_cast<off_t>(total)) != 0) {
    const int err = errno;
    close(fd);
    shm_unlink(n.c_str());
    fail(n, "cannot size it to " + std::to_string(total) + " bytes", err);
  }
  void* base = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int err = errno;
  close(fd);
  if (base == MAP_FAILED) {
    shm_unlink(n.c_str());
    fail(n, "mmap failed", err);
  }
  // ftruncate zero-filled everything: the slots start as zero bytes.
  ShmHeader* h = header(base);
  h->version = kVersion;
  h->header_size = sizeof(ShmHeader);
  h->slot_size = static_cast<std::uint32_t>(slot_size);
  h->slot_align = static_cast<std::uint32_t>(slot_align);
  h->capacity = capacity;
  h->slot_offset = offset;
  h->total_size = total;
  new (static_cast<char*>(base) + kControlOffset) SpscControl(Scope::kShared);
  h->magic.store(kMagic, std::memory_order_release);
  ShmMapping m;
  m.name_ = n;
  m.base_ = base;
  m.bytes_ = total;
  return m;
}

ShmMapping ShmMapping::attach(const std::string& name, std::size_t slot_size,
                              std::size_t slot_align) {
  const std::string n = posix_name(name);
  (void)membarrier_ready(Scope::kShared);
  const int fd = shm_open(n.c_str(), O_RDWR, 0);
  if (fd < 0)
    fail(n, errno == ENOENT ? "cannot attach, it does not exist" : "shm_open failed", errno);
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    fail(n, "fstat failed", err);
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kControlOffset + sizeof(SpscControl)) {
    close(fd);
    fail(n, "too small (" + std::to_string(size) + " bytes) to be a ring", 0);
  }
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int err = errno;
  close(fd);
  if (base == MAP_FAILED) fail(n, "mmap failed", err);
  ShmMapping m;
  m.name_ = n;
  m.base_ = base;
  m.bytes_ = size;
  const ShmHeader* h = header(base);
  auto mismatch = [&](const std::string& what) { fail(n, what, 0); };  // m unmaps on throw
  if (h->magic.load(std::memory_order_acquire) != kMagic) {
    mismatch("not a hallows ring (bad magic), or its creator has not finished creating it");
  }
  if (h->version != kVersion) {
    mismatch("layout version " + std::to_string(h->version) + ", this runtime reads version " +
             std::to_string(kVersion));
  }
  if (h->slot_size != slot_size || h->slot_align != slot_align) {
    mismatch("slot type mismatch: the ring holds " + std::to_string(h->slot_size) +
             "-byte slots aligned to " + std::to_string(h->slot_align) + ", the reader expects " +
             std::to_string(slot_size) + " aligned to " + std::to_string(slot_align));
  }
  const std::uint64_t cap = h->capacity;
  if (cap == 0 || (cap & (cap - 1)) != 0 || h->slot_offset != slot_offset_for(slot_align) ||
      h->total_size != size || h->slot_offset + cap * slot_size != size) {
    mismatch("corrupt header (capacity " + std::to_string(cap) + ", size " + std::to_string(size) +
             " bytes)");
  }
  return m;
}

SpscControl* ShmMapping::control() const {
  return reinterpret_cast<SpscControl*>(static_cast<char*>(base_) + kControlOffset);
}

void* ShmMapping::slots() const {
  return static_cast<char*>(base_) + header(base_)->slot_offset;
}

std::size_t ShmMapping::capacity() const {
  return static_cast<std::size_t>(header(base_)->capacity);
}

void ShmMapping::unlink_name(const std::string& name) {
  shm_unlink(posix_name(name).c_str());
}

void ShmMapping::unlink() const {
  if (!name_.empty()) shm_unlink(name_.c_str());
}

}  // namespace hallows::chan::detail
