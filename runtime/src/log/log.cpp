// The Log: topics of partitions under data_dir, the flusher thread (group commit of
// fsync_batched partitions), the retention thread, publish() and the offsets store.
#include "hallows/log/log.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "batch_codec.h"
#include "offset_store.h"
#include "partition_log.h"

namespace hallows::log {

using storage::PartitionLogImpl;

const char* to_string(Durability d) noexcept {
  switch (d) {
    case Durability::none:
      return "none";
    case Durability::fsync_batched:
      return "fsync_batched";
    case Durability::fsync_every_write:
      return "fsync_every_write";
  }
  return "unknown";
}

namespace {

struct Topic {
  TopicConfig config;
  std::vector<std::unique_ptr<PartitionLogImpl>> partitions;  // filled at open, never moved
  std::atomic<std::uint32_t> round_robin{0};
};

std::int64_t realtime_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string check_topic_name(std::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..")
    return fmt::format("invalid topic name '{}'", name);
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return fmt::format("invalid topic name '{}': only letters, digits, '.', '_' and '-'", name);
  if (name == "__consumer_offsets") return "the topic name __consumer_offsets is reserved";
  return {};
}

std::string make_dirs(const std::string& path) {
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') continue;
    std::string part = path.substr(0, i);
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST)
      return storage::errno_text("cannot create", part);
  }
  return {};
}

// Partition numbers of `topic` found on disk (folders named <topic>-<n>).
std::set<int> partitions_on_disk(const std::string& data_dir, const std::string& topic) {
  std::set<int> found;
  DIR* d = ::opendir(data_dir.c_str());
  if (d == nullptr) return found;
  while (dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n.size() <= topic.size() + 1 || n.substr(0, topic.size()) != topic ||
        n[topic.size()] != '-')
      continue;
    auto digits = n.substr(topic.size() + 1);
    if (digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    found.insert(std::stoi(std::string(digits)));
  }
  ::closedir(d);
  return found;
}

std::int64_t now_ms() {
  return realtime_ns() / 1'000'000;
}

}  // namespace

struct Log::State {
  LogConfig config;
  std::vector<std::function<void(PartitionLog&)>> listeners;

  std::mutex admin_mu;  // add_topic, create_topic, open, close
  mutable std::shared_mutex topics_mu;
  std::map<std::string, std::unique_ptr<Topic>, std::less<>> topics;  // guarded by topics_mu
  bool opened = false;
  bool closed = false;

  storage::OffsetStore offsets;

  std::mutex flush_mu;
  std::condition_variable flush_cv;
  std::condition_variable retention_cv;  // shares flush_mu (for `stop`)
  std::vector<PartitionLogImpl*> dirty;  // guarded by flush_mu
  bool stop = false;                     // guarded by flush_mu
  std::thread flusher;
  std::thread retention;

  void report(std::string_view line) const {
    if (config.report) {
      config.report(line);
    } else {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    }
  }

  void wake_flusher(PartitionLogImpl& p) {
    {
      std::lock_guard lock(flush_mu);
      if (std::find(dirty.begin(), dirty.end(), &p) != dirty.end()) return;
      dirty.push_back(&p);
    }
    flush_cv.notify_one();
  }

  // Flushes as soon as anything is dirty: appends arriving during one fdatasync share the
  // next, so the delay is one sync at most (see docs/slytherin-log.md).
  void flusher_loop() {
    std::unique_lock lock(flush_mu);
    for (;;) {
      flush_cv.wait(lock, [&] { return stop || !dirty.empty(); });
      if (dirty.empty()) return;  // stop requested and nothing left
      std::vector<PartitionLogImpl*> batch;
      batch.swap(dirty);
      lock.unlock();
      for (auto* p : batch) p->flush();
      lock.lock();
    }
  }

  void retention_loop() {
    std::unique_lock lock(flush_mu);
    while (!stop) {
      retention_cv.wait_for(lock, config.retention_check_interval);
      if (stop) return;
      lock.unlock();
      for (auto* p : all_partitions()) p->enforce_retention(now_ms());
      lock.lock();
    }
  }

  std::vector<PartitionLogImpl*> all_partitions() const {
    std::vector<PartitionLogImpl*> out;
    std::shared_lock lock(topics_mu);
    for (const auto& [name, t] : topics)
      for (const auto& p : t->partitions) out.push_back(p.get());
    return out;
  }

  // Opens (recovers) every partition of `t`; admin_mu held.
  std::string open_topic(Topic& t) {
    const auto& c = t.config;
    auto on_disk = partitions_on_disk(config.data_dir, c.name);
    if (!on_disk.empty() &&
        (static_cast<int>(on_disk.size()) != c.partitions || *on_disk.rbegin() != c.partitions - 1))
      return fmt::format("topic {} has {} partitions on disk in {} but is declared with {}", c.name,
                         on_disk.size(), config.data_dir, c.partitions);
    std::vector<std::unique_ptr<PartitionLogImpl>> parts;
    for (int i = 0; i < c.partitions; ++i) {
      storage::PartitionHooks hooks;
      hooks.report = [this](std::string_view line) { report(line); };
      hooks.listeners = &listeners;
      if (c.durability == Durability::fsync_batched)
        hooks.wake_flusher = [this](PartitionLogImpl& p) { wake_flusher(p); };
      auto dir = fmt::format("{}/{}-{}", config.data_dir, c.name, i);
      auto p = std::make_unique<PartitionLogImpl>(t.config, i, dir, std::move(hooks));
      if (auto err = p->open(now_ms()); !err.empty()) return err;
      parts.push_back(std::move(p));
    }
    std::unique_lock lock(topics_mu);
    t.partitions = std::move(parts);
    return {};
  }

  std::string declare(TopicConfig c) {
    if (auto err = check_topic_name(c.name); !err.empty()) return err;
    if (c.partitions < 1) return fmt::format("topic {}: partitions must be at least 1", c.name);
    if (c.segment_bytes < 1) return fmt::format("topic {}: segment_bytes must be positive", c.name);
    if (c.index_interval_bytes < 1) c.index_interval_bytes = 4096;
    auto t = std::make_unique<Topic>();
    t->config = std::move(c);
    Topic& ref = *t;
    {
      std::unique_lock lock(topics_mu);
      if (topics.count(ref.config.name) != 0)
        return fmt::format("topic {} is declared twice", ref.config.name);
    }
    if (opened && !closed) {
      if (auto err = open_topic(ref); !err.empty()) return err;
    }
    std::unique_lock lock(topics_mu);
    topics.emplace(ref.config.name, std::move(t));
    return {};
  }

  Topic* find(std::string_view name) const {
    std::shared_lock lock(topics_mu);
    auto it = topics.find(name);
    return it == topics.end() ? nullptr : it->second.get();
  }
};

Log::Log(LogConfig config) : state_(std::make_unique<State>()) {
  state_->config = std::move(config);
}

Log::~Log() {
  close();
}

const LogConfig& Log::config() const noexcept {
  return state_->config;
}

std::string Log::add_topic(TopicConfig config) {
  std::lock_guard lock(state_->admin_mu);
  return state_->declare(std::move(config));
}

std::string Log::create_topic(const std::string& name, int partitions) {
  std::lock_guard lock(state_->admin_mu);
  if (state_->find(name) != nullptr) return {};
  TopicConfig c;
  c.name = name;
  c.partitions = partitions;
  c.durability = Durability::fsync_batched;
  c.fsync_max_delay = 5ms;
  return state_->declare(std::move(c));
}

std::string Log::open() {
  auto& s = *state_;
  std::lock_guard lock(s.admin_mu);
  if (s.opened) return "the log is already open";
  if (auto err = make_dirs(s.config.data_dir); !err.empty()) return err;
  if (auto err = s.offsets.open(s.config.data_dir + "/__consumer_offsets",
                                [&s](std::string_view l) { s.report(l); });
      !err.empty())
    return err;
  std::vector<Topic*> declared;
  {
    std::shared_lock tl(s.topics_mu);
    for (auto& [name, t] : s.topics) declared.push_back(t.get());
  }
  for (Topic* t : declared)
    if (auto err = s.open_topic(*t); !err.empty()) return err;
  s.opened = true;
  s.flusher = std::thread([&s] { s.flusher_loop(); });
  s.retention = std::thread([&s] { s.retention_loop(); });
  return {};
}

void Log::close() {
  auto& s = *state_;
  std::lock_guard lock(s.admin_mu);
  if (!s.opened || s.closed) return;
  s.closed = true;
  {
    std::lock_guard fl(s.flush_mu);
    s.stop = true;
  }
  s.flush_cv.notify_all();
  s.retention_cv.notify_all();
  if (s.flusher.joinable()) s.flusher.join();
  if (s.retention.joinable()) s.retention.join();
  for (auto* p : s.all_partitions()) p->close();
  s.offsets.close();
}

PartitionLog* Log::partition(std::string_view topic, int partition) const noexcept {
  std::shared_lock lock(state_->topics_mu);
  auto it = state_->topics.find(topic);
  if (it == state_->topics.end() || partition < 0 ||
      partition >= static_cast<int>(it->second->partitions.size()))
    return nullptr;
  return it->second->partitions[static_cast<std::size_t>(partition)].get();
}

const TopicConfig* Log::topic_config(std::string_view topic) const noexcept {
  Topic* t = state_->find(topic);
  return t == nullptr ? nullptr : &t->config;
}

std::vector<std::string> Log::topic_names() const {
  std::shared_lock lock(state_->topics_mu);
  std::vector<std::string> out;
  for (const auto& [name, t] : state_->topics) out.push_back(name);
  return out;
}

void Log::add_listener(std::function<void(PartitionLog&)> listener) {
  // Appending and flushing threads read the list without a lock once the log is open.
  if (state_->opened) throw std::logic_error("Log::add_listener after open()");
  state_->listeners.push_back(std::move(listener));
}

std::int64_t Log::publish(std::string_view topic, std::optional<std::span<const std::byte>> key,
                          std::span<const std::byte> value) {
  Topic* t = state_->find(topic);
  if (t == nullptr || t->partitions.empty()) {
    state_->report(fmt::format("slytherin: publish to unknown topic {}", topic));
    return -1;
  }
  const auto n = static_cast<int>(t->partitions.size());
  const int p = key ? kafka_partition_for_key(*key, n)
                    : static_cast<int>(t->round_robin.fetch_add(1, std::memory_order_relaxed) %
                                       static_cast<std::uint32_t>(n));
  const std::int64_t ns = realtime_ns();
  const std::int64_t ms = ns / 1'000'000;
  std::byte ns_be[8];
  codec::store_be<std::int64_t>(ns_be, ns);
  const RecordHeader header{"pt.ns", std::span<const std::byte>(ns_be, 8)};
  // One buffer per thread: publishing allocates nothing once it has grown.
  thread_local std::vector<std::byte> buf;
  buf.resize(kBatchHeaderSize);
  codec::append_record(buf, 0, 0, key, value, std::span<const RecordHeader>(&header, 1));
  BatchHeader h;
  h.base_timestamp = h.max_timestamp = ms;
  h.records_count = 1;
  codec::seal_batch(buf, h);
  AppendResult r = t->partitions[static_cast<std::size_t>(p)]->append(buf, ms);
  if (!r.error.empty()) {
    state_->report(fmt::format("slytherin: publish to {}-{} failed: {}", topic, p, r.error));
    return -1;
  }
  return r.base_offset;
}

std::string Log::commit_offset(std::string_view group, std::string_view topic, int partition,
                               std::int64_t offset, std::string_view metadata) {
  return state_->offsets.commit(group, topic, partition, offset, metadata);
}

std::int64_t Log::committed_offset(std::string_view group, std::string_view topic,
                                   int partition) const {
  return state_->offsets.committed(group, topic, partition);
}

std::vector<Log::CommittedOffset> Log::committed_offsets(std::string_view group) const {
  std::vector<CommittedOffset> out;
  state_->offsets.for_each_in_group(group, [&](const std::string& topic, int partition,
                                               std::int64_t offset, const std::string& metadata) {
    out.push_back({topic, partition, offset, metadata});
  });
  return out;
}

}  // namespace hallows::log
