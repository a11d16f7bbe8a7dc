#include <algorithm>
#include <string>

#include "hallows/lang/json_read.h"

namespace hallows::detail {
namespace {

// Documents up to this size reuse one parser per thread; larger ones get their own so a single
// huge request does not pin its buffers for the life of the thread.
constexpr std::size_t kReusedParserLimit = 1 << 20;

// simdjson's max_depth N accepts N levels only when the innermost container is empty (it counts
// the depth of values, not of containers), so it is set one higher as a backstop and the exact
// limit is checked here for documents long enough to reach it.
bool nested_too_deep(std::string_view text) {
  if (text.size() < 2 * (kMaxJsonDepth + 1)) return false;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool fail_too_deep(JsonDecoder& decoder) {
  return decoder.fail("not valid JSON: arrays and objects are nested deeper than " +
                      std::to_string(kMaxJsonDepth) + " levels");
}

bool parse_with(simdjson::dom::parser& parser, std::string_view text, JsonDecoder& decoder,
                ReadRoot read, void* target) {
  // simdjson reads SIMDJSON_PADDING bytes past the text: copy it into a padded buffer, reused by
  // the thread (no allocation per document once it has grown).
  thread_local std::string padded;
  padded.assign(text);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  constexpr std::size_t kParserDepth = kMaxJsonDepth + 1;
  if (parser.capacity() < text.size() || parser.max_depth() != kParserDepth) {
    if (parser.allocate(std::max<std::size_t>(text.size(), 64), kParserDepth) !=
        simdjson::SUCCESS) {
      return decoder.fail("not valid JSON: out of memory");
    }
  }
  simdjson::dom::element root;
  simdjson::error_code error =
      parser.parse(padded.data(), text.size(), /*realloc_if_needed=*/false).get(root);
  if (error == simdjson::DEPTH_ERROR) return fail_too_deep(decoder);
  if (error != simdjson::SUCCESS) {
    return decoder.fail(std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  if (nested_too_deep(text)) return fail_too_deep(decoder);
  if (read(JsonValue(root), target, decoder)) return true;
  if (!decoder.failed()) decoder.fail("the value could not be decoded");
  return false;
}

}  // namespace

bool parse_and_read(std::string_view text, JsonDecoder& decoder, ReadRoot read, void* target) {
  thread_local simdjson::dom::parser reused;
  thread_local bool reused_busy = false;  // a read_json that itself calls from_json
  if (text.size() <= kReusedParserLimit && !reused_busy) {
    reused_busy = true;
    bool ok = parse_with(reused, text, decoder, read, target);
    reused_busy = false;
    return ok;
  }
  simdjson::dom::parser parser;
  return parse_with(parser, text, decoder, read, target);
}

}  // namespace hallows::detail
