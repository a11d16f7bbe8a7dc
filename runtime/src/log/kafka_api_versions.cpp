// ApiVersions (key 18) v0-2: the list of supported_apis().
#include "kafka_api.h"

namespace hallows::log::kafka {

void encode_api_versions_response(std::int16_t version, std::int16_t error_code,
                                  ResponseBody& out) {
  wire::Writer w(out.bytes());
  w.i16(error_code);
  auto apis = supported_apis();
  w.array_length(static_cast<std::int32_t>(apis.size()));
  for (const auto& a : apis) {
    w.i16(a.key);
    w.i16(a.min_version);
    w.i16(a.max_version);
  }
  if (version >= 1) w.i32(0);  // throttle_time_ms
}

}  // namespace hallows::log::kafka
