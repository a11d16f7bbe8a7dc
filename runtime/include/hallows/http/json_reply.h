// Answering with a value's JSON, written straight into the exchange's reused body buffer: no
// intermediate string, and no allocation once the buffer has grown (what generated handlers call
// for return_ok and return_created).
#pragma once
#include <string>
#include <utility>

#include "hallows/http/service.h"
#include "hallows/lang/json_write.h"

namespace hallows::http {

template <class T>
void reply_json_value(Exchange& exchange, int status, const T& value) {
  std::string* body = exchange.claim_json(status);
  if (body == nullptr) return;  // the first answer wins
  JsonWriter writer(std::move(*body));
  write_json(writer, value);
  *body = writer.take();
}

}  // namespace hallows::http
