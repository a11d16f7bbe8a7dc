// ApiVersions and Metadata: this one broker leads every partition of every topic.
#include <fmt/format.h>

#include "kafka_api.h"
#include "kafka_handlers.h"

namespace hallows::log::kafka {

bool valid_topic_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

HandleResult handle_api_versions(BrokerContext& /*ctx*/, const RequestHeader& header,
                                 std::span<std::byte> body) {
  // v0-2 bodies are empty; ignore trailing bytes as Kafka does for forward compatibility.
  (void)body;
  HandleResult r;
  encode_api_versions_response(header.api_version, error::none, r.body);
  return r;
}

HandleResult handle_metadata(BrokerContext& ctx, const RequestHeader& header,
                             std::span<std::byte> body) {
  MetadataRequest req;
  if (!decode_metadata_request(body, header.api_version, req))
    return close_result(fmt::format("malformed Metadata v{} body", header.api_version));

  MetadataResponse resp;
  resp.brokers.push_back({ctx.config.node_id, ctx.advertised_host, ctx.port});
  resp.cluster_id = "slytherin";
  resp.controller_id = ctx.config.node_id;

  std::vector<std::string> names;
  if (req.topics)
    names.assign(req.topics->begin(), req.topics->end());
  else
    names = ctx.log.topic_names();

  for (const auto& name : names) {
    MetadataTopic topic;
    topic.name = name;
    const TopicConfig* config = ctx.log.topic_config(name);
    if (config == nullptr && !valid_topic_name(name)) {
      topic.error_code = error::invalid_topic_exception;
    } else if (config == nullptr && req.topics && ctx.config.auto_create_topics &&
               req.allow_auto_topic_creation) {
      auto err = ctx.log.create_topic(name, ctx.config.auto_create_partitions);
      if (!err.empty()) ctx.report(fmt::format("slytherin: cannot create topic {}: {}", name, err));
      config = ctx.log.topic_config(name);
      if (config != nullptr)
        ctx.report(fmt::format("slytherin: created topic {} with {} partition(s)", name,
                               config->partitions));
    }
    if (config == nullptr) {
      if (topic.error_code == error::none) topic.error_code = error::unknown_topic_or_partition;
    } else {
      for (int i = 0; i < config->partitions; ++i) {
        MetadataPartition p;
        p.partition_index = i;
        p.leader_id = ctx.config.node_id;
        p.replica_nodes = {ctx.config.node_id};
        p.isr_nodes = {ctx.config.node_id};
        topic.partitions.push_back(std::move(p));
      }
    }
    resp.topics.push_back(std::move(topic));
  }
  HandleResult r;
  encode_metadata_response(resp, header.api_version, r.body);
  return r;
}

}  // namespace hallows::log::kafka
