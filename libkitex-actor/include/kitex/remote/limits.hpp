#pragma once

// Limits applied to everything read from the network. Every declared size is
// checked in 64-bit arithmetic against these and against the bytes actually
// present before anything is allocated.

#include <cstdint>

namespace kitex::remote {

struct limits {
  /// Largest frame (everything after a length prefix, or a whole unframed
  /// message) accepted from a peer.
  uint32_t max_frame_size = 4 * 1024 * 1024 + 64 * 1024;
  /// Largest TTHeader header section (bytes between offset 14 and payload).
  uint32_t max_header_size = 64 * 1024;
  /// Largest string or binary field.
  uint32_t max_string_size = 4 * 1024 * 1024;
  /// Largest element count of a list, set or map.
  uint32_t max_container_size = 1'000'000;
  /// Deepest nesting of structs and containers.
  uint32_t max_depth = 64;
};

} // namespace kitex::remote
