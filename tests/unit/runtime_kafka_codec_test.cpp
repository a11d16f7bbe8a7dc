// The broker's codecs without sockets: request headers v1/v2, each request decoded at several
// versions from bytes encoded here (from Kafka's schemas), each response encoded and read back
// field by field; every strict prefix of a request must fail to decode, as must trailing bytes.
#include <catch2/catch.hpp>

#include "../../runtime/src/log/kafka_api.h"
#include "runtime_kafka_test_support.h"

using namespace kafka_test;
namespace k = hallows::log::kafka;

namespace {

template <typename Decode>
void check_prefixes_fail(const Bytes& body, Decode decode) {
  for (std::size_t n = 0; n < body.size(); ++n) {
    std::span<const std::byte> prefix(body.data(), n);
    INFO("prefix of " << n << " bytes of " << body.size());
    CHECK_FALSE(decode(prefix));
  }
  Bytes longer = body;
  longer.push_back(std::byte{0});
  CHECK_FALSE(decode(longer));
}

}  // namespace

TEST_CASE("request header v1 and v2", "[kafka][codec]") {
  Bytes frame;
  Writer w(frame);
  w.i16(3);
  w.i16(4);
  w.i32(42);
  w.nullable_string("client");
  w.i32(-1);  // body
  k::RequestHeader h;
  std::size_t body_at = 0;
  REQUIRE(k::decode_request_header(frame, h, body_at).empty());
  CHECK(h.api_key == 3);
  CHECK(h.api_version == 4);
  CHECK(h.correlation_id == 42);
  CHECK(h.client_id == std::optional<std::string_view>("client"));
  CHECK(body_at == 16);

  // ApiVersions v3: header v2 (tagged fields after the client id).
  Bytes flex;
  Writer f(flex);
  f.i16(18);
  f.i16(3);
  f.i32(7);
  f.nullable_string(std::nullopt);
  f.uvarint(1);  // one tagged field
  f.uvarint(5);
  f.uvarint(2);
  f.raw("ab", 2);
  f.i8(9);
  REQUIRE(k::decode_request_header(flex, h, body_at).empty());
  CHECK(h.correlation_id == 7);
  CHECK(!h.client_id);
  CHECK(body_at == flex.size() - 1);

  Bytes torn(frame.begin(), frame.begin() + 11);
  CHECK_FALSE(k::decode_request_header(torn, h, body_at).empty());
  CHECK(k::peek_request_header(torn, h));
  CHECK_FALSE(k::peek_request_header(std::span<const std::byte>(torn).first(7), h));
}

TEST_CASE("supported API table", "[kafka][codec]") {
  CHECK(k::is_supported(0, 3));
  CHECK(k::is_supported(0, 7));
  CHECK_FALSE(k::is_supported(0, 2));
  CHECK_FALSE(k::is_supported(0, 8));
  CHECK(k::is_supported(1, 4));
  CHECK(k::is_supported(1, 11));
  CHECK_FALSE(k::is_supported(1, 12));
  CHECK_FALSE(k::is_supported(18, 3));
  CHECK_FALSE(k::is_supported(22, 0));  // InitProducerId: not advertised
  CHECK(k::api_name(3) == "Metadata");
  CHECK(k::api_name(77) == "api 77");
  for (const auto& a : k::supported_apis())
    CHECK_FALSE(k::request_header_is_flexible(a.key, a.max_version));
  CHECK(k::request_header_is_flexible(18, 3));
}

TEST_CASE("ApiVersions response v0 and v1", "[kafka][codec]") {
  for (std::int16_t v : {0, 1, 2}) {
    k::ResponseBody body;
    k::encode_api_versions_response(v, 0, body);
    auto bytes = body.flatten();
    Reader r(bytes);
    CHECK(r.i16() == 0);
    auto n = r.array_length();
    CHECK(n == static_cast<std::int32_t>(k::supported_apis().size()));
    r.bytes(static_cast<std::size_t>(n) * 6);
    if (v >= 1) CHECK(r.i32() == 0);
    CHECK(r.remaining() == 0);
    CHECK(!r.failed());
  }
}

TEST_CASE("Metadata request v0-v4", "[kafka][codec]") {
  for (std::int16_t v = 0; v <= 4; ++v) {
    auto named = metadata_request(v, {{"a", "bc"}}, false);
    k::MetadataRequest req;
    REQUIRE(k::decode_metadata_request(named, v, req));
    REQUIRE(req.topics);
    CHECK(req.topics->size() == 2);
    CHECK((*req.topics)[1] == "bc");
    CHECK(req.allow_auto_topic_creation == (v < 4));
    check_prefixes_fail(named, [&](std::span<const std::byte> b) {
      k::MetadataRequest r;
      return k::decode_metadata_request(b, v, r);
    });
    auto all = metadata_request(v, std::nullopt);
    k::MetadataRequest req2;
    REQUIRE(k::decode_metadata_request(all, v, req2));
    CHECK(!req2.topics);
  }
  // v1+: an empty array asks for no topic at all.
  auto none = metadata_request(1, std::vector<std::string>{});
  k::MetadataRequest req;
  REQUIRE(k::decode_metadata_request(none, 1, req));
  REQUIRE(req.topics);
  CHECK(req.topics->empty());
}

TEST_CASE("Metadata response v0-v4", "[kafka][codec]") {
  k::MetadataResponse resp;
  resp.brokers.push_back({5, "h", 9092});
  resp.cluster_id = "c";
  resp.controller_id = 5;
  k::MetadataTopic t;
  t.name = "t";
  t.partitions.push_back({0, 0, 5, {5}, {5}});
  resp.topics.push_back(t);
  for (std::int16_t v = 0; v <= 4; ++v) {
    k::ResponseBody body;
    k::encode_metadata_response(resp, v, body);
    auto bytes = body.flatten();
    Reader r(bytes);
    if (v >= 3) CHECK(r.i32() == 0);
    REQUIRE(r.array_length() == 1);
    CHECK(r.i32() == 5);
    CHECK(r.string() == "h");
    CHECK(r.i32() == 9092);
    if (v >= 1) CHECK(!r.nullable_string());
    if (v >= 2) CHECK(r.nullable_string() == std::optional<std::string_view>("c"));
    if (v >= 1) CHECK(r.i32() == 5);
    REQUIRE(r.array_length() == 1);
    CHECK(r.i16() == 0);
    CHECK(r.string() == "t");
    if (v >= 1) CHECK(r.boolean() == false);
    REQUIRE(r.array_length() == 1);
    CHECK(r.i16() == 0);
    CHECK(r.i32() == 0);
    CHECK(r.i32() == 5);
    CHECK(r.array_length() == 1);
    CHECK(r.i32() == 5);
    CHECK(r.array_length() == 1);
    CHECK(r.i32() == 5);
    CHECK(r.remaining() == 0);
    CHECK(!r.failed());
  }
}

TEST_CASE("Produce request and response v3-v7", "[kafka][codec]") {
  auto batch = make_batch(2);
  for (std::int16_t v = 3; v <= 7; ++v) {
    Bytes body;
    Writer w(body);
    w.nullable_string("txn");
    w.i16(-1);
    w.i32(1500);
    w.array_length(2);
    w.string("t1");
    w.array_length(2);
    w.i32(0);
    w.nullable_bytes(std::span<const std::byte>(batch));
    w.i32(1);
    w.nullable_bytes(std::nullopt);
    w.string("t2");
    w.array_length(0);
    k::ProduceRequest req;
    REQUIRE(k::decode_produce_request(body, v, req));
    CHECK(req.transactional_id == std::optional<std::string_view>("txn"));
    CHECK(req.acks == -1);
    CHECK(req.timeout_ms == 1500);
    REQUIRE(req.topics.size() == 2);
    CHECK(req.topics[0].name == "t1");
    REQUIRE(req.topics[0].partitions.size() == 2);
    REQUIRE(req.topics[0].partitions[0].records);
    CHECK(req.topics[0].partitions[0].records->size() == batch.size());
    CHECK(!req.topics[0].partitions[1].records);
    CHECK(req.topics[1].partitions.empty());
    check_prefixes_fail(body, [&](std::span<const std::byte> b) {
      k::ProduceRequest r;
      return k::decode_produce_request(b, v, r);
    });

    k::ProduceResponse resp;
    resp.topics.push_back({"t1", {{0, 0, 10, -1, 3}, {1, 3, -1, -1, -1}}});
    k::ResponseBody out;
    k::encode_produce_response(resp, v, out);
    auto bytes = out.flatten();
    Reader r(bytes);
    REQUIRE(r.array_length() == 1);
    CHECK(r.string() == "t1");
    REQUIRE(r.array_length() == 2);
    CHECK(r.i32() == 0);
    CHECK(r.i16() == 0);
    CHECK(r.i64() == 10);
    CHECK(r.i64() == -1);
    if (v >= 5) CHECK(r.i64() == 3);
    CHECK(r.i32() == 1);
    CHECK(r.i16() == 3);
    CHECK(r.i64() == -1);
    CHECK(r.i64() == -1);
    if (v >= 5) CHECK(r.i64() == -1);
    CHECK(r.i32() == 0);  // throttle
    CHECK(r.remaining() == 0);
  }
}

TEST_CASE("Fetch request v4-v11", "[kafka][codec]") {
  for (std::int16_t v = 4; v <= 11; ++v) {
    FetchArgs a{"topic", 3, 77, 500, 1};
    a.max_bytes = 1000;
    a.partition_max_bytes = 200;
    a.session_epoch = -1;
    auto body = fetch_request(v, a);
    k::FetchRequest req;
    REQUIRE(k::decode_fetch_request(body, v, req));
    CHECK(req.max_wait_ms == 500);
    CHECK(req.min_bytes == 1);
    CHECK(req.max_bytes == 1000);
    CHECK(req.session_id == 0);
    CHECK(req.session_epoch == -1);
    REQUIRE(req.topics.size() == 1);
    CHECK(req.topics[0].name == "topic");
    REQUIRE(req.topics[0].partitions.size() == 1);
    CHECK(req.topics[0].partitions[0].partition == 3);
    CHECK(req.topics[0].partitions[0].fetch_offset == 77);
    CHECK(req.topics[0].partitions[0].partition_max_bytes == 200);
    check_prefixes_fail(body, [&](std::span<const std::byte> b) {
      k::FetchRequest r;
      return k::decode_fetch_request(b, v, r);
    });
  }
  // v7+: forgotten topics.
  Bytes body;
  Writer w(body);
  w.i32(-1);
  w.i32(0);
  w.i32(0);
  w.i32(100);
  w.i8(1);
  w.i32(9);
  w.i32(4);
  w.array_length(0);
  w.array_length(1);
  w.string("old");
  w.array_length(2);
  w.i32(1);
  w.i32(2);
  k::FetchRequest req;
  REQUIRE(k::decode_fetch_request(body, 7, req));
  CHECK(req.session_id == 9);
  CHECK(req.session_epoch == 4);
  REQUIRE(req.forgotten.size() == 1);
  CHECK(req.forgotten[0].partitions == std::vector<std::int32_t>{1, 2});
}

TEST_CASE("Fetch response v4-v11 with records as a file range", "[kafka][codec]") {
  auto batch = make_batch(3);
  for (std::int16_t v = 4; v <= 11; ++v) {
    k::FetchResponse resp;
    resp.session_id = 0;
    k::FetchTopicResponse t;
    t.name = "t";
    k::FetchPartitionResponse p0;
    p0.partition = 0;
    p0.high_watermark = 10;
    p0.last_stable_offset = 10;
    p0.log_start_offset = 2;
    p0.records.data = batch;
    k::FetchPartitionResponse p1;
    p1.partition = 1;
    p1.error_code = 1;
    t.partitions = {p0, p1};
    resp.topics.push_back(t);
    k::ResponseBody out;
    k::encode_fetch_response(resp, v, out);
    // The records are their own piece: that is what lets the server sendfile() them.
    REQUIRE(out.pieces.size() == 3);
    CHECK(out.pieces[1].is_file);
    auto bytes = out.flatten();
    auto fr = decode_fetch_response(bytes, v);
    REQUIRE(fr.ok);
    REQUIRE(fr.topics.size() == 1);
    REQUIRE(fr.topics[0].second.size() == 2);
    CHECK(fr.topics[0].second[0].records == batch);
    CHECK(fr.topics[0].second[0].high_watermark == 10);
    if (v >= 5) CHECK(fr.topics[0].second[0].log_start == 2);
    CHECK(fr.topics[0].second[1].error == 1);
    CHECK(fr.topics[0].second[1].records.empty());
  }
}

TEST_CASE("ListOffsets request and response v0-v2", "[kafka][codec]") {
  for (std::int16_t v = 0; v <= 2; ++v) {
    auto body = list_offsets_request(v, "t", 4, -2);
    k::ListOffsetsRequest req;
    REQUIRE(k::decode_list_offsets_request(body, v, req));
    REQUIRE(req.topics.size() == 1);
    CHECK(req.topics[0].partitions[0].partition_index == 4);
    CHECK(req.topics[0].partitions[0].timestamp == -2);
    check_prefixes_fail(body, [&](std::span<const std::byte> b) {
      k::ListOffsetsRequest r;
      return k::decode_list_offsets_request(b, v, r);
    });
    k::ListOffsetsResponse resp;
    resp.topics.push_back({"t", {{4, 0, 123, 9}, {5, 3, -1, -1}}});
    k::ResponseBody out;
    k::encode_list_offsets_response(resp, v, out);
    auto bytes = out.flatten();
    Reader r(bytes);
    if (v >= 2) CHECK(r.i32() == 0);
    REQUIRE(r.array_length() == 1);
    CHECK(r.string() == "t");
    REQUIRE(r.array_length() == 2);
    CHECK(r.i32() == 4);
    CHECK(r.i16() == 0);
    if (v == 0) {
      REQUIRE(r.array_length() == 1);
      CHECK(r.i64() == 9);
    } else {
      CHECK(r.i64() == 123);
      CHECK(r.i64() == 9);
    }
    CHECK(r.i32() == 5);
    CHECK(r.i16() == 3);
    if (v == 0) {
      CHECK(r.array_length() == 0);
    } else {
      CHECK(r.i64() == -1);
      CHECK(r.i64() == -1);
    }
    CHECK(r.remaining() == 0);
  }
}

TEST_CASE("frame_response puts size and correlation id in front", "[kafka][codec]") {
  k::ResponseBody body;
  Writer(body.bytes()).i16(35);
  auto framed = k::frame_response(99, false, std::move(body));
  auto bytes = framed.flatten();
  Reader r(bytes);
  CHECK(r.i32() == 6);
  CHECK(r.i32() == 99);
  CHECK(r.i16() == 35);
  CHECK(r.remaining() == 0);
  k::ResponseBody b2;
  auto flex = k::frame_response(1, true, std::move(b2)).flatten();
  CHECK(flex.size() == 9);
}
