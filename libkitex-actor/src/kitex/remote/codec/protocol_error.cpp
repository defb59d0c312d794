#include "kitex/remote/codec/protocol_error.hpp"

namespace kitex::remote {

const char* to_string(protocol_error e) {
  switch (e) {
    case protocol_error::none:
      return "none";
    case protocol_error::invalid_data:
      return "invalid_data";
    case protocol_error::negative_size:
      return "negative_size";
    case protocol_error::size_limit:
      return "size_limit";
    case protocol_error::bad_version:
      return "bad_version";
    case protocol_error::not_implemented:
      return "not_implemented";
    case protocol_error::depth_limit:
      return "depth_limit";
    case protocol_error::truncated:
      return "truncated";
  }
  return "unknown";
}

} // namespace kitex::remote
