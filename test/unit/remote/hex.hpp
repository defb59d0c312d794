#pragma once

// Test helpers: byte buffers written as hex text, as in kitex.md §2.12.

#include <cctype>
#include <string>
#include <string_view>

#include "kitex/remote/byte_buffer.hpp"

namespace kitex::test {

/// Parses "00 0a ff" (spaces optional) into bytes.
inline remote::byte_buffer hex(std::string_view text) {
  remote::byte_buffer out;
  int hi = -1;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)))
      continue;
    int v = std::isdigit(static_cast<unsigned char>(c))
              ? c - '0'
              : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

/// Renders bytes as "00 0a ff", so a failed comparison shows both sides.
inline std::string to_hex(remote::byte_span in) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : in) {
    if (!out.empty())
      out += ' ';
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

/// Appends `s` to `out`.
inline void append(remote::byte_buffer& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}

} // namespace kitex::test
