#pragma once

// The Thrift payload protocols a message can be encoded in. Kitex speaks only
// Binary; Apache Thrift also speaks Compact, and our server answers each
// call in the protocol it came in.

#include <cstdint>
#include <optional>
#include <string_view>

namespace kitex::remote {

enum class protocol : uint8_t {
  /// Strict Thrift Binary (version 0x8001).
  binary,
  /// Thrift Compact (protocol id 0x82).
  compact,
};

const char* to_string(protocol p);

/// Parses "binary" or "compact".
std::optional<protocol> parse_protocol(std::string_view s);

} // namespace kitex::remote
