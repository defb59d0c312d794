#pragma once

// Kitex's perrors codes, plus `truncated` for "the bytes end before the
// message does" (which the unframed reader turns into "wait for more").

#include <cstdint>

namespace kitex::remote {

enum class protocol_error : uint8_t {
  none = 0,
  invalid_data = 1,
  negative_size = 2,
  size_limit = 3,
  bad_version = 4,
  not_implemented = 5,
  depth_limit = 6,
  truncated = 7,
};

const char* to_string(protocol_error e);

} // namespace kitex::remote
