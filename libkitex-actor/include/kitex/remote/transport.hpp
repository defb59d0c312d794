#pragma once

// The framings a Thrift message travels in (Kitex transport.Protocol).

#include <cstdint>
#include <optional>
#include <string_view>

namespace kitex::remote {

enum class transport : uint8_t {
  /// Bare strict Thrift binary message (Kitex PurePayload).
  buffered,
  /// u32 length + message (Kitex default since v0.13).
  framed,
  /// TTHeader + message.
  ttheader,
  /// TTHeader + u32 length + message.
  ttheader_framed,
  /// Apache Thrift THeader (magic 0x0FFF) + message; Kitex refuses it.
  theader,
};

/// Kitex's TTHeader, framed inside or not.
constexpr bool is_ttheader(transport t) {
  return t == transport::ttheader || t == transport::ttheader_framed;
}

/// Transports whose frames carry string headers (metainfo, biz status,
/// `isn`, `crrst`): TTHeader and Apache THeader.
constexpr bool has_headers(transport t) {
  return is_ttheader(t) || t == transport::theader;
}

const char* to_string(transport t);

/// Parses "buffered", "framed", "ttheader", "ttheader-framed", "theader".
std::optional<transport> parse_transport(std::string_view s);

} // namespace kitex::remote
