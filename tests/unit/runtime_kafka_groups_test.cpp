// GroupCoordinator driven directly: requests encoded here with wire::Writer (independently of
// the coordinator's decoders), responses decoded here, time moved by a fake clock via tick().
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../../runtime/src/log/kafka_groups.h"
#include "hallows/log/kafka_wire.h"
#include "hallows/log/log.h"

namespace {

using hallows::log::Log;
using hallows::log::LogConfig;
using hallows::log::TopicConfig;
using hallows::log::kafka::GroupCoordinator;
using hallows::log::wire::Reader;
using hallows::log::wire::Writer;
using namespace std::chrono_literals;
using Bytes = std::vector<std::byte>;

constexpr std::int16_t kOffsetCommit = 8, kOffsetFetch = 9, kFindCoordinator = 10, kJoinGroup = 11,
                       kHeartbeat = 12, kLeaveGroup = 13, kSyncGroup = 14;

Bytes bytes_of(std::string_view s) {
  Bytes b;
  for (char c : s) b.push_back(static_cast<std::byte>(c));
  return b;
}
std::string text_of(std::span<const std::byte> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// ---- requests -------------------------------------------------------------------------------

struct Protocol {
  std::string name;
  std::string metadata;
};

struct Join {
  std::string group = "g";
  std::int32_t session_ms = 10000;
  std::int32_t rebalance_ms = 20000;
  std::string member;
  std::optional<std::string> instance;
  std::string type = "consumer";
  std::vector<Protocol> protocols{{"range", "meta"}};
};

Bytes encode_join(const Join& j, std::int16_t v) {
  Bytes out;
  Writer w(out);
  w.string(j.group);
  w.i32(j.session_ms);
  if (v >= 1) w.i32(j.rebalance_ms);
  w.string(j.member);
  if (v >= 5) w.nullable_string(j.instance);
  w.string(j.type);
  w.array_length(static_cast<std::int32_t>(j.protocols.size()));
  for (const auto& p : j.protocols) {
    w.string(p.name);
    w.bytes(bytes_of(p.metadata));
  }
  return out;
}

Bytes encode_sync(std::int16_t v, std::string group, std::int32_t gen, std::string member,
                  std::vector<std::pair<std::string, std::string>> assignments = {}) {
  Bytes out;
  Writer w(out);
  w.string(group);
  w.i32(gen);
  w.string(member);
  if (v >= 3) w.nullable_string(std::nullopt);
  w.array_length(static_cast<std::int32_t>(assignments.size()));
  for (const auto& [m, a] : assignments) {
    w.string(m);
    w.bytes(bytes_of(a));
  }
  return out;
}

Bytes encode_heartbeat(std::int16_t v, std::string group, std::int32_t gen, std::string member) {
  Bytes out;
  Writer w(out);
  w.string(group);
  w.i32(gen);
  w.string(member);
  if (v >= 3) w.nullable_string(std::nullopt);
  return out;
}

Bytes encode_leave(std::string group, std::string member) {
  Bytes out;
  Writer w(out);
  w.string(group);
  w.string(member);
  return out;
}

struct Commit {
  std::string topic;
  std::int32_t partition;
  std::int64_t offset;
  std::optional<std::string> metadata;
};

Bytes encode_commit(std::int16_t v, std::string group, std::int32_t gen, std::string member,
                    const std::vector<Commit>& commits) {
  Bytes out;
  Writer w(out);
  w.string(group);
  if (v >= 1) {
    w.i32(gen);
    w.string(member);
  }
  if (v >= 7) w.nullable_string(std::nullopt);
  if (v >= 2 && v <= 4) w.i64(-1);
  // One topic entry per commit keeps the encoder simple; the response mirrors the order.
  w.array_length(static_cast<std::int32_t>(commits.size()));
  for (const auto& c : commits) {
    w.string(c.topic);
    w.array_length(1);
    w.i32(c.partition);
    w.i64(c.offset);
    if (v >= 6) w.i32(-1);
    if (v == 1) w.i64(-1);
    w.nullable_string(c.metadata);
  }
  return out;
}

Bytes encode_fetch(
    std::string group,
    std::optional<std::vector<std::pair<std::string, std::vector<std::int32_t>>>> topics) {
  Bytes out;
  Writer w(out);
  w.string(group);
  if (!topics) {
    w.array_length(-1);
  } else {
    w.array_length(static_cast<std::int32_t>(topics->size()));
    for (const auto& [name, parts] : *topics) {
      w.string(name);
      w.array_length(static_cast<std::int32_t>(parts.size()));
      for (auto p : parts) w.i32(p);
    }
  }
  return out;
}

// ---- responses ------------------------------------------------------------------------------

void expect_end(const Reader& r) {
  REQUIRE_FALSE(r.failed());
  REQUIRE(r.remaining() == 0);
}

struct JoinResult {
  std::int16_t error = 0;
  std::int32_t generation = 0;
  std::string protocol, leader, member;
  std::vector<std::pair<std::string, std::string>> members;  // id, metadata
  std::vector<std::optional<std::string>> instances;
};

JoinResult decode_join(const Bytes& body, std::int16_t v) {
  Reader r(body);
  JoinResult j;
  if (v >= 2) CHECK(r.i32() == 0);
  j.error = r.i16();
  j.generation = r.i32();
  j.protocol = std::string(r.string());
  j.leader = std::string(r.string());
  j.member = std::string(r.string());
  auto n = r.array_length();
  for (std::int32_t i = 0; i < n; ++i) {
    std::string id(r.string());
    if (v >= 5) {
      auto inst = r.nullable_string();
      j.instances.push_back(inst ? std::optional<std::string>(*inst) : std::nullopt);
    }
    auto meta = r.nullable_bytes();
    REQUIRE(meta.has_value());
    j.members.emplace_back(id, text_of(*meta));
  }
  expect_end(r);
  return j;
}

std::pair<std::int16_t, std::string> decode_sync(const Bytes& body, std::int16_t v) {
  Reader r(body);
  if (v >= 1) CHECK(r.i32() == 0);
  auto err = r.i16();
  auto a = r.nullable_bytes();
  REQUIRE(a.has_value());
  std::string s = text_of(*a);
  expect_end(r);
  return {err, s};
}

std::int16_t decode_error_only(const Bytes& body, bool throttle) {
  Reader r(body);
  if (throttle) CHECK(r.i32() == 0);
  auto err = r.i16();
  expect_end(r);
  return err;
}

// Commit responses flattened to (topic, partition, error).
std::vector<std::tuple<std::string, std::int32_t, std::int16_t>> decode_commit(const Bytes& body,
                                                                               std::int16_t v) {
  Reader r(body);
  if (v >= 3) CHECK(r.i32() == 0);
  std::vector<std::tuple<std::string, std::int32_t, std::int16_t>> out;
  auto topics = r.array_length();
  for (std::int32_t t = 0; t < topics; ++t) {
    std::string name(r.string());
    auto parts = r.array_length();
    for (std::int32_t p = 0; p < parts; ++p) {
      auto idx = r.i32();
      out.emplace_back(name, idx, r.i16());
    }
  }
  expect_end(r);
  return out;
}

struct Fetched {
  std::string topic;
  std::int32_t partition;
  std::int64_t offset;
  std::optional<std::string> metadata;
  std::int16_t error;
};
std::pair<std::vector<Fetched>, std::int16_t> decode_fetch(const Bytes& body, std::int16_t v) {
  Reader r(body);
  if (v >= 3) CHECK(r.i32() == 0);
  std::vector<Fetched> out;
  auto topics = r.array_length();
  for (std::int32_t t = 0; t < topics; ++t) {
    std::string name(r.string());
    auto parts = r.array_length();
    for (std::int32_t p = 0; p < parts; ++p) {
      Fetched f{name, r.i32(), r.i64(), std::nullopt, 0};
      if (v >= 5) CHECK(r.i32() == -1);
      auto m = r.nullable_string();
      if (m) f.metadata = std::string(*m);
      f.error = r.i16();
      out.push_back(f);
    }
  }
  std::int16_t top = 0;
  if (v >= 2) top = r.i16();
  expect_end(r);
  return {out, top};
}

// ---- the harness ----------------------------------------------------------------------------

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/kafka_groups_test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::unique_ptr<Log> open_log(const std::string& dir) {
  LogConfig config;
  config.data_dir = dir;
  auto log = std::make_unique<Log>(config);
  TopicConfig topic;
  topic.name = "t";
  topic.partitions = 4;
  topic.durability = hallows::log::Durability::none;
  REQUIRE(log->add_topic(topic).empty());
  REQUIRE(log->open().empty());
  return log;
}

// A response slot: whether done ran (and how often), and the body it got.
struct Reply {
  int calls = 0;
  Bytes body;
};

struct Harness {
  TempDir dir;
  std::unique_ptr<Log> log = open_log(dir.path);
  std::vector<std::string> reports;
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  GroupCoordinator coordinator{
      *log, 7, "broker.test", 9999, {"program-group"}, [this](std::string_view line) {
        reports.emplace_back(line);
      }};

  std::shared_ptr<Reply> send(std::uint64_t conn, std::int16_t key, std::int16_t v,
                              const Bytes& body) {
    auto reply = std::make_shared<Reply>();
    coordinator.handle(conn, key, v, body, [reply](Bytes b) {
      ++reply->calls;
      reply->body = std::move(b);
    });
    return reply;
  }
  void advance(std::chrono::milliseconds d) {
    now += d;
    coordinator.tick(now);
  }
  bool reported(std::string_view needle) const {
    for (const auto& r : reports)
      if (r.find(needle) != std::string::npos) return true;
    return false;
  }

  // A member id through the KIP-394 dance (v4+): the first JoinGroup answers 79 and an id.
  std::string member_id_for(std::uint64_t conn, Join j, std::int16_t v = 5) {
    j.member.clear();
    auto r = send(conn, kJoinGroup, v, encode_join(j, v));
    REQUIRE(r->calls == 1);
    auto res = decode_join(r->body, v);
    REQUIRE(res.error == 79);
    REQUIRE(res.member.rfind("member-", 0) == 0);
    return res.member;
  }
  std::int16_t heartbeat(std::uint64_t conn, std::int32_t gen, const std::string& member,
                         std::string group = "g") {
    auto r = send(conn, kHeartbeat, 3, encode_heartbeat(3, group, gen, member));
    REQUIRE(r->calls == 1);
    return decode_error_only(r->body, true);
  }
};

// Two members A (conn 1) and B (conn 2) in a Stable group "g": generation 1, A leads.
struct TwoMembers : Harness {
  std::string a, b;
  std::int32_t gen = 0;
  TwoMembers() {
    Join ja, jb;
    ja.protocols = {{"range", "A-range"}, {"roundrobin", "A-rr"}};
    jb.protocols = {{"roundrobin", "B-rr"}, {"range", "B-range"}};
    a = member_id_for(1, ja);
    b = member_id_for(2, jb);
    ja.member = a;
    jb.member = b;
    auto ra = send(1, kJoinGroup, 5, encode_join(ja, 5));
    auto rb = send(2, kJoinGroup, 5, encode_join(jb, 5));
    // Kafka's initial rebalance delay: nobody is answered before 3 s, and B's join during the
    // delay extends it once more.
    advance(2900ms);
    REQUIRE(ra->calls == 0);
    advance(200ms);
    REQUIRE(ra->calls == 0);
    advance(3000ms);
    REQUIRE(ra->calls == 1);
    REQUIRE(rb->calls == 1);
    auto ja_res = decode_join(ra->body, 5);
    auto jb_res = decode_join(rb->body, 5);
    REQUIRE(ja_res.error == 0);
    REQUIRE(jb_res.error == 0);
    gen = ja_res.generation;
    REQUIRE(gen == 1);
    REQUIRE(jb_res.generation == gen);
    REQUIRE(ja_res.leader == a);
    REQUIRE(jb_res.leader == a);
    // One vote each: the tie goes to the leader's first choice.
    REQUIRE(ja_res.protocol == "range");
    REQUIRE(jb_res.protocol == "range");
    REQUIRE(ja_res.member == a);
    REQUIRE(jb_res.member == b);
    REQUIRE(ja_res.members.size() == 2);
    CHECK(ja_res.members[0] == std::make_pair(a, std::string("A-range")));
    CHECK(ja_res.members[1] == std::make_pair(b, std::string("B-range")));
    CHECK(jb_res.members.empty());

    auto sb = send(2, kSyncGroup, 3, encode_sync(3, "g", gen, b));
    CHECK(sb->calls == 0);  // waits for the leader
    auto sa = send(1, kSyncGroup, 3, encode_sync(3, "g", gen, a, {{a, "parts-A"}, {b, "parts-B"}}));
    REQUIRE(sa->calls == 1);
    REQUIRE(sb->calls == 1);
    CHECK(decode_sync(sa->body, 3) == std::make_pair(std::int16_t{0}, std::string("parts-A")));
    CHECK(decode_sync(sb->body, 3) == std::make_pair(std::int16_t{0}, std::string("parts-B")));
    REQUIRE(reported("group g: generation 1 with 2 member(s), protocol range, leader " + a));
  }
};

}  // namespace

TEST_CASE("Two members join one generation; the leader gets all metadata; sync relays",
          "[kafka][groups]") {
  TwoMembers h;
  CHECK(h.heartbeat(1, h.gen, h.a) == 0);
  CHECK(h.heartbeat(2, h.gen, h.b) == 0);
  // A late SyncGroup in Stable gets the member's assignment again.
  auto again = h.send(2, kSyncGroup, 0, encode_sync(0, "g", h.gen, h.b));
  REQUIRE(again->calls == 1);
  CHECK(decode_sync(again->body, 0).second == "parts-B");
}

TEST_CASE("A third member rebalances the group; heartbeats say REBALANCE_IN_PROGRESS",
          "[kafka][groups]") {
  TwoMembers h;
  Join jc;
  jc.protocols = {{"range", "C-range"}};
  auto c = h.member_id_for(3, jc);
  jc.member = c;
  auto rc = h.send(3, kJoinGroup, 5, encode_join(jc, 5));
  CHECK(rc->calls == 0);
  CHECK(h.heartbeat(1, h.gen, h.a) == 27);
  CHECK(h.heartbeat(2, h.gen, h.b) == 27);
  // A SyncGroup of the old generation is told to rejoin too.
  auto stale = h.send(2, kSyncGroup, 3, encode_sync(3, "g", h.gen, h.b));
  CHECK(decode_sync(stale->body, 3).first == 27);

  Join ja, jb;
  ja.member = h.a;
  ja.protocols = {{"range", "A2"}};
  jb.member = h.b;
  jb.protocols = {{"range", "B2"}};
  auto ra = h.send(1, kJoinGroup, 5, encode_join(ja, 5));
  CHECK(ra->calls == 0);
  auto rb = h.send(2, kJoinGroup, 5, encode_join(jb, 5));
  // Everyone rejoined: complete at once, no timer.
  REQUIRE(ra->calls == 1);
  REQUIRE(rb->calls == 1);
  REQUIRE(rc->calls == 1);
  auto res_a = decode_join(ra->body, 5);
  CHECK(res_a.generation == 2);
  CHECK(res_a.leader == h.a);
  REQUIRE(res_a.members.size() == 3);
  CHECK(res_a.members[2] == std::make_pair(c, std::string("C-range")));
  CHECK(decode_join(rc->body, 5).members.empty());
  CHECK(h.heartbeat(1, 1, h.a) == 22);  // the old generation is illegal now
  // Between join and sync members may heartbeat (CompletingRebalance).
  CHECK(h.heartbeat(3, 2, c) == 0);
}

TEST_CASE("A member leaving rebalances the others", "[kafka][groups]") {
  TwoMembers h;
  auto leave = h.send(2, kLeaveGroup, 1, encode_leave("g", h.b));
  REQUIRE(leave->calls == 1);
  CHECK(decode_error_only(leave->body, true) == 0);
  CHECK(h.heartbeat(1, h.gen, h.a) == 27);
  CHECK(h.heartbeat(2, h.gen, h.b) == 25);  // gone
  Join ja;
  ja.member = h.a;
  auto ra = h.send(1, kJoinGroup, 5, encode_join(ja, 5));
  REQUIRE(ra->calls == 1);
  auto res = decode_join(ra->body, 5);
  CHECK(res.generation == 2);
  CHECK(res.members.size() == 1);
  // The last member leaving empties the group; a v0 leave has no throttle field.
  auto sa = h.send(1, kSyncGroup, 1, encode_sync(1, "g", 2, h.a, {{h.a, "all"}}));
  CHECK(decode_sync(sa->body, 1) == std::make_pair(std::int16_t{0}, std::string("all")));
  auto last = h.send(1, kLeaveGroup, 0, encode_leave("g", h.a));
  CHECK(decode_error_only(last->body, false) == 0);
  CHECK(h.heartbeat(1, 2, h.a) == 25);
  CHECK(h.reported("group g: generation 3 has no members"));
}

TEST_CASE("A silent member times out and the group rebalances", "[kafka][groups]") {
  TwoMembers h;
  // Session timeout 10 s: A heartbeats every 3 s, B never does.
  for (int i = 0; i < 3; ++i) {
    h.advance(3000ms);
    CHECK(h.heartbeat(1, h.gen, h.a) == 0);
  }
  CHECK_FALSE(h.reported("timed out"));
  h.advance(1100ms);  // 10.1 s since the generation began
  CHECK(h.reported("slytherin: group g: member " + h.b + " timed out; rebalancing"));
  CHECK(h.heartbeat(1, h.gen, h.a) == 27);
  CHECK(h.heartbeat(2, h.gen, h.b) == 25);
  Join ja;
  ja.member = h.a;
  auto ra = h.send(1, kJoinGroup, 5, encode_join(ja, 5));
  REQUIRE(ra->calls == 1);
  CHECK(decode_join(ra->body, 5).members.size() == 1);
}

TEST_CASE("Members that do not rejoin within the rebalance timeout are removed",
          "[kafka][groups]") {
  TwoMembers h;
  Join ja;
  ja.member = h.a;
  ja.protocols = {{"range", "changed"}};
  // The leader rejoining starts a rebalance; B keeps heartbeating but never rejoins.
  auto ra = h.send(1, kJoinGroup, 5, encode_join(ja, 5));
  CHECK(ra->calls == 0);
  for (int i = 0; i < 6; ++i) {
    h.advance(3000ms);
    CHECK(h.heartbeat(2, h.gen, h.b) == 27);
  }
  CHECK(ra->calls == 0);
  h.advance(2100ms);  // the rebalance timeout of 20 s has passed
  REQUIRE(ra->calls == 1);
  auto res = decode_join(ra->body, 5);
  CHECK(res.generation == 2);
  REQUIRE(res.members.size() == 1);
  CHECK(res.members[0].second == "changed");
  CHECK(h.reported("did not rejoin"));
}

TEST_CASE("JoinGroup v4+ asks for a member id; v0-3 get one at once", "[kafka][groups]") {
  Harness h;
  for (std::int16_t v = 0; v <= 5; ++v) {
    INFO("JoinGroup v" << v);
    Join j;
    j.group = "solo" + std::to_string(v);
    j.instance = "instance-1";  // static membership is treated as dynamic
    auto r = h.send(1, kJoinGroup, v, encode_join(j, v));
    if (v >= 4) {
      REQUIRE(r->calls == 1);
      auto first = decode_join(r->body, v);
      CHECK(first.error == 79);
      CHECK(first.generation == -1);
      j.member = first.member;
      r = h.send(1, kJoinGroup, v, encode_join(j, v));
    }
    CHECK(r->calls == 0);  // the initial rebalance delay holds the answer
    h.advance(3100ms);
    REQUIRE(r->calls == 1);
    auto res = decode_join(r->body, v);
    CHECK(res.error == 0);
    CHECK(res.generation == 1);
    CHECK(res.leader == res.member);
    CHECK(res.member.rfind("member-", 0) == 0);
    REQUIRE(res.members.size() == 1);
    if (v >= 5) CHECK(res.instances.at(0) == std::optional<std::string>("instance-1"));
    // SyncGroup at every version.
    for (std::int16_t sv = 0; sv <= 3; ++sv) {
      auto s =
          h.send(1, kSyncGroup, sv, encode_sync(sv, j.group, 1, res.member, {{res.member, "x"}}));
      REQUIRE(s->calls == 1);
      CHECK(decode_sync(s->body, sv) == std::make_pair(std::int16_t{0}, std::string("x")));
    }
    for (std::int16_t hv = 0; hv <= 3; ++hv) {
      auto hb = h.send(1, kHeartbeat, hv, encode_heartbeat(hv, j.group, 1, res.member));
      CHECK(decode_error_only(hb->body, hv >= 1) == 0);
    }
  }
}

TEST_CASE("A member id that is never used expires", "[kafka][groups]") {
  Harness h;
  Join j;
  auto id = h.member_id_for(1, j);
  h.advance(10100ms);  // the session timeout of the join that asked
  j.member = id;
  auto r = h.send(1, kJoinGroup, 5, encode_join(j, 5));
  CHECK(decode_join(r->body, 5).error == 25);
}

TEST_CASE("Group errors: unknown member, generation, protocol, session timeout",
          "[kafka][groups]") {
  TwoMembers h;
  CHECK(h.heartbeat(1, h.gen, "nobody") == 25);
  CHECK(h.heartbeat(1, h.gen + 5, h.a) == 22);
  CHECK(h.heartbeat(1, 1, h.a, "no-such-group") == 25);
  auto sync = h.send(1, kSyncGroup, 3, encode_sync(3, "g", h.gen + 1, h.a));
  CHECK(decode_sync(sync->body, 3).first == 22);

  Join other;
  other.type = "connect";  // a different protocol type
  auto r = h.send(3, kJoinGroup, 3, encode_join(other, 3));
  CHECK(decode_join(r->body, 3).error == 23);
  Join none_shared;
  none_shared.protocols = {{"sticky", ""}};
  r = h.send(3, kJoinGroup, 3, encode_join(none_shared, 3));
  CHECK(decode_join(r->body, 3).error == 23);
  Join short_session;
  short_session.session_ms = 100;
  r = h.send(3, kJoinGroup, 3, encode_join(short_session, 3));
  CHECK(decode_join(r->body, 3).error == 26);
  Join unknown;
  unknown.member = "member-made-up";
  r = h.send(3, kJoinGroup, 3, encode_join(unknown, 3));
  CHECK(decode_join(r->body, 3).error == 25);
  auto leave = h.send(3, kLeaveGroup, 1, encode_leave("g", "member-made-up"));
  CHECK(decode_error_only(leave->body, true) == 25);
  // None of that disturbed the group.
  CHECK(h.heartbeat(1, h.gen, h.a) == 0);
}

TEST_CASE("Reserved groups refuse members and commits but may be read", "[kafka][groups]") {
  Harness h;
  Join j;
  j.group = "program-group";
  auto r = h.send(1, kJoinGroup, 3, encode_join(j, 3));
  CHECK(decode_join(r->body, 3).error == 24);
  CHECK(h.heartbeat(1, 1, "m", "program-group") == 24);
  auto commit = h.send(1, kOffsetCommit, 2,
                       encode_commit(2, "program-group", -1, "", {{"t", 0, 5, std::nullopt}}));
  auto res = decode_commit(commit->body, 2);
  REQUIRE(res.size() == 1);
  CHECK(std::get<2>(res[0]) == 24);
  REQUIRE(h.log->commit_offset("program-group", "t", 1, 42, "").empty());
  auto fetch = h.send(1, kOffsetFetch, 1, encode_fetch("program-group", {{{"t", {1}}}}));
  auto [fetched, top] = decode_fetch(fetch->body, 1);
  REQUIRE(fetched.size() == 1);
  CHECK(fetched[0].offset == 42);
  // One report line per connection, however many refusals.
  int lines = 0;
  for (const auto& line : h.reports)
    if (line.find("reserved") != std::string::npos) ++lines;
  CHECK(lines == 1);
  h.send(2, kJoinGroup, 3, encode_join(j, 3));
  lines = 0;
  for (const auto& line : h.reports)
    if (line.find("reserved") != std::string::npos) ++lines;
  CHECK(lines == 2);
}

TEST_CASE("A closed connection's waiting JoinGroup is dropped, never answered", "[kafka][groups]") {
  TwoMembers h;
  Join ja;
  ja.member = h.a;
  ja.protocols = {{"range", "changed"}};
  auto ra = h.send(1, kJoinGroup, 5, encode_join(ja, 5));
  h.coordinator.connection_closed(1);
  Join jb;
  jb.member = h.b;
  jb.protocols = {{"range", "B-range"}};
  auto rb = h.send(2, kJoinGroup, 5, encode_join(jb, 5));
  REQUIRE(rb->calls == 1);
  CHECK(ra->calls == 0);
  // A is still the leader of generation 2 but cannot sync; its session ends it.
  h.advance(10100ms);
  CHECK(h.reported("member " + h.a + " timed out"));
  CHECK(ra->calls == 0);
}

TEST_CASE("FindCoordinator names this broker for groups only", "[kafka][groups]") {
  Harness h;
  for (std::int16_t v = 0; v <= 2; ++v) {
    INFO("FindCoordinator v" << v);
    Bytes body;
    Writer w(body);
    w.string("g");
    if (v >= 1) w.i8(0);
    auto r = h.send(1, kFindCoordinator, v, body);
    REQUIRE(r->calls == 1);
    Reader rd(r->body);
    if (v >= 1) CHECK(rd.i32() == 0);
    CHECK(rd.i16() == 0);
    if (v >= 1) CHECK_FALSE(rd.nullable_string().has_value());
    CHECK(rd.i32() == 7);
    CHECK(rd.string() == "broker.test");
    CHECK(rd.i32() == 9999);
    expect_end(rd);
  }
  Bytes txn;
  Writer w(txn);
  w.string("txn-id");
  w.i8(1);
  auto r = h.send(1, kFindCoordinator, 2, txn);
  Reader rd(r->body);
  rd.i32();
  CHECK(rd.i16() == 15);
}

TEST_CASE("Offsets commit, fetch, and survive a new Log on the same directory", "[kafka][groups]") {
  TwoMembers h;
  for (std::int16_t v = 0; v <= 7; ++v) {
    INFO("OffsetCommit v" << v);
    // v0 has no generation: a simple commit, refused while the group has members (unknown
    // member ""); v1+ commit as member A of the current generation.
    auto body = encode_commit(
        v, "g", h.gen, h.a,
        {{"t", 0, 100 + v, "meta" + std::to_string(v)}, {"t", 9, 1, {}}, {"nope", 0, 1, {}}});
    auto r = h.send(1, kOffsetCommit, v, body);
    REQUIRE(r->calls == 1);
    auto res = decode_commit(r->body, v);
    REQUIRE(res.size() == 3);
    if (v == 0) {
      for (const auto& e : res) CHECK(std::get<2>(e) == 25);
      continue;
    }
    CHECK(res[0] == std::make_tuple(std::string("t"), 0, std::int16_t{0}));
    CHECK(res[1] == std::make_tuple(std::string("t"), 9, std::int16_t{3}));
    CHECK(res[2] == std::make_tuple(std::string("nope"), 0, std::int16_t{3}));
  }
  CHECK(h.log->committed_offset("g", "t", 0) == 107);
  // Wrong generation, unknown member.
  auto bad = h.send(1, kOffsetCommit, 2, encode_commit(2, "g", h.gen + 1, h.a, {{"t", 1, 5, {}}}));
  CHECK(std::get<2>(decode_commit(bad->body, 2).at(0)) == 22);
  bad = h.send(1, kOffsetCommit, 2, encode_commit(2, "g", h.gen, "stranger", {{"t", 1, 5, {}}}));
  CHECK(std::get<2>(decode_commit(bad->body, 2).at(0)) == 25);
  // B commits partition 1 too.
  auto ok = h.send(2, kOffsetCommit, 7, encode_commit(7, "g", h.gen, h.b, {{"t", 1, 55, {}}}));
  CHECK(std::get<2>(decode_commit(ok->body, 7).at(0)) == 0);

  for (std::int16_t v = 0; v <= 5; ++v) {
    INFO("OffsetFetch v" << v);
    auto r = h.send(1, kOffsetFetch, v, encode_fetch("g", {{{"t", {0, 1, 2}}}}));
    REQUIRE(r->calls == 1);
    auto [f, top] = decode_fetch(r->body, v);
    CHECK(top == 0);
    REQUIRE(f.size() == 3);
    CHECK(f[0].offset == 107);
    CHECK(f[0].metadata == std::optional<std::string>("meta7"));
    CHECK(f[1].offset == 55);
    CHECK(f[1].metadata == std::optional<std::string>(""));
    CHECK(f[2].offset == -1);
    CHECK(f[2].error == 0);
    if (v >= 2) {
      auto all = h.send(1, kOffsetFetch, v, encode_fetch("g", std::nullopt));
      auto [fa, top_all] = decode_fetch(all->body, v);
      REQUIRE(fa.size() == 2);  // what the group committed
      CHECK(fa[0].partition == 0);
      CHECK(fa[1].partition == 1);
    }
  }
  // Null topics are v2+ only.
  CHECK_THROWS_AS(h.send(1, kOffsetFetch, 1, encode_fetch("g", std::nullopt)), std::runtime_error);

  // A new coordinator over a new Log on the same directory reads the offsets back.
  h.log->close();
  auto log2 = open_log(h.dir.path);
  GroupCoordinator fresh(*log2, 0, "h", 1, {}, nullptr);
  Reply reply;
  fresh.handle(1, kOffsetFetch, 5, encode_fetch("g", {{{"t", {0, 1, 3}}}}),
               [&](Bytes b) { reply.body = std::move(b), ++reply.calls; });
  REQUIRE(reply.calls == 1);
  auto [f, top] = decode_fetch(reply.body, 5);
  REQUIRE(f.size() == 3);
  CHECK(f[0].offset == 107);
  CHECK(f[0].metadata == std::optional<std::string>("meta7"));  // kept durably, with the offset
  CHECK(f[1].offset == 55);
  CHECK(f[2].offset == -1);
  // Null topics list what the group committed before the restart too.
  Reply all;
  fresh.handle(1, kOffsetFetch, 5, encode_fetch("g", std::nullopt),
               [&](Bytes b) { all.body = std::move(b), ++all.calls; });
  REQUIRE(all.calls == 1);
  auto [fa, top_all] = decode_fetch(all.body, 5);
  REQUIRE(fa.size() == 2);
  CHECK(fa[0].partition == 0);
  CHECK(fa[0].offset == 107);
  CHECK(fa[1].partition == 1);
  CHECK(fa[1].offset == 55);
}

TEST_CASE("Simple commits (generation -1) are allowed while a group has no members",
          "[kafka][groups]") {
  Harness h;
  auto r = h.send(1, kOffsetCommit, 0, encode_commit(0, "simple", -1, "", {{"t", 3, 9, {}}}));
  CHECK(std::get<2>(decode_commit(r->body, 0).at(0)) == 0);
  r = h.send(1, kOffsetCommit, 5, encode_commit(5, "simple", -1, "", {{"t", 3, 10, {}}}));
  CHECK(std::get<2>(decode_commit(r->body, 5).at(0)) == 0);
  CHECK(h.log->committed_offset("simple", "t", 3) == 10);
  r = h.send(1, kOffsetCommit, 5, encode_commit(5, "simple", 4, "m", {{"t", 3, 11, {}}}));
  CHECK(std::get<2>(decode_commit(r->body, 5).at(0)) == 22);
  CHECK(h.log->committed_offset("simple", "t", 3) == 10);
}

TEST_CASE("Bodies that do not decode throw and answer nothing", "[kafka][groups]") {
  Harness h;
  Join j;
  auto body = encode_join(j, 3);
  auto truncated = Bytes(body.begin(), body.end() - 2);
  auto reply = std::make_shared<Reply>();
  auto done = [reply](Bytes) { ++reply->calls; };
  CHECK_THROWS_AS(h.coordinator.handle(1, kJoinGroup, 3, truncated, done), std::runtime_error);
  auto trailing = body;
  trailing.push_back(std::byte{0});
  CHECK_THROWS_AS(h.coordinator.handle(1, kJoinGroup, 3, trailing, done), std::runtime_error);
  CHECK_THROWS_AS(h.coordinator.handle(1, kJoinGroup, 6, body, done), std::runtime_error);
  CHECK_THROWS_AS(h.coordinator.handle(1, kLeaveGroup, 2, encode_leave("g", "m"), done),
                  std::runtime_error);
  CHECK_THROWS_AS(h.coordinator.handle(1, 3, 0, body, done), std::runtime_error);
  // A huge array count with no bytes behind it.
  Bytes lying;
  Writer w(lying);
  w.string("g");
  w.array_length(1 << 30);
  CHECK_THROWS_AS(h.coordinator.handle(1, kOffsetFetch, 1, lying, done), std::runtime_error);
  CHECK(reply->calls == 0);
  for (std::int16_t key = 8; key <= 14; ++key) CHECK(GroupCoordinator::handles(key));
  CHECK_FALSE(GroupCoordinator::handles(7));
  CHECK_FALSE(GroupCoordinator::handles(15));
}

TEST_CASE("Mangled bodies either throw or are answered exactly once", "[kafka][groups]") {
  Harness h;
  // Valid bodies of every API at every version, against one group, then truncated and with
  // bytes flipped (a fixed seed keeps the run repeatable).
  std::vector<std::tuple<std::int16_t, std::int16_t, Bytes>> seeds;
  for (std::int16_t v = 0; v <= 5; ++v) {
    Join j;
    j.member = v % 2 ? "" : "member-x";
    seeds.emplace_back(kJoinGroup, v, encode_join(j, v));
  }
  for (std::int16_t v = 0; v <= 3; ++v) {
    seeds.emplace_back(kSyncGroup, v, encode_sync(v, "g", 1, "member-x", {{"member-x", "a"}}));
    seeds.emplace_back(kHeartbeat, v, encode_heartbeat(v, "g", 1, "member-x"));
  }
  for (std::int16_t v = 0; v <= 1; ++v) seeds.emplace_back(kLeaveGroup, v, encode_leave("g", "m"));
  for (std::int16_t v = 0; v <= 7; ++v)
    seeds.emplace_back(kOffsetCommit, v, encode_commit(v, "g", -1, "", {{"t", 1, 5, "m"}}));
  for (std::int16_t v = 0; v <= 5; ++v)
    seeds.emplace_back(kOffsetFetch, v, encode_fetch("g", {{{"t", {0, 1}}}}));
  for (std::int16_t v = 0; v <= 2; ++v) {
    Bytes b;
    Writer w(b);
    w.string("g");
    if (v >= 1) w.i8(0);
    seeds.emplace_back(kFindCoordinator, v, b);
  }

  std::uint64_t rng = 0x9e3779b97f4a7c15ULL;
  auto next = [&rng] {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  };
  std::vector<std::shared_ptr<Reply>> answered_later;
  int thrown = 0;
  std::uint64_t conn = 100;
  auto attempt = [&](std::int16_t key, std::int16_t v, const Bytes& body) {
    auto reply = std::make_shared<Reply>();
    try {
      h.coordinator.handle(++conn, key, v, body, [reply](Bytes b) {
        ++reply->calls;
        reply->body = std::move(b);
      });
      CHECK(reply->calls <= 1);
      answered_later.push_back(reply);
    } catch (const std::runtime_error&) {
      CHECK(reply->calls == 0);
      ++thrown;
    }
  };
  for (const auto& [key, v, body] : seeds) {
    for (std::size_t n = 0; n < body.size(); ++n)
      attempt(key, v, Bytes(body.begin(), body.begin() + n));
    for (int i = 0; i < 50; ++i) {
      Bytes m = body;
      for (int flips = 1 + static_cast<int>(next() % 3); flips > 0; --flips)
        m[next() % m.size()] = static_cast<std::byte>(next());
      attempt(key, v, m);
    }
  }
  CHECK(thrown > 0);
  auto waiting = std::count_if(answered_later.begin(), answered_later.end(),
                               [](const auto& r) { return r->calls == 0; });
  CHECK(waiting > 0);  // joins held by a rebalance
  // Every rebalance a mangled join started ends, however long its timeouts (up to 2^31 ms).
  for (int day = 0; day < 400; ++day) h.advance(std::chrono::hours(24));
  for (const auto& r : answered_later) CHECK(r->calls == 1);
}
