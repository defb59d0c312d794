#pragma once

// TTHeader's optional payload checksum (Kitex CodecConfig{CRC32Check: true}):
// string header `crc32c` = lowercase hex of the big-endian CRC-32C
// (Castagnoli) of the payload, everything after the TTHeader.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kitex/remote/byte_buffer.hpp"

namespace kitex::remote::ttheader {

/// The `crc32c` value to write in a header until patch_crc32c() (which
/// frame_encoder::finish() calls) fills in the real one.
constexpr std::string_view crc32c_placeholder = "00000000";

/// CRC-32C of `bytes`.
uint32_t crc32c(byte_span bytes);

/// The `crc32c` header value of `payload`: 8 lowercase hex digits.
std::string crc32c_hex(byte_span payload);

/// Sets the `crc32c` value of the TTHeader frame that starts at `start` in
/// `out` (written with an 8-character placeholder value) to the checksum of
/// its payload. False if the frame has no such header.
bool patch_crc32c(byte_buffer& out, size_t start);

} // namespace kitex::remote::ttheader
