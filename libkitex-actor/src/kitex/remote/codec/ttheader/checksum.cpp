#include "kitex/remote/codec/ttheader/checksum.hpp"

#include <algorithm>
#include <cstring>

#include <boost/crc.hpp>

#include "kitex/remote/codec/ttheader/ttheader.hpp"

namespace kitex::remote::ttheader {

namespace {

/// CRC-32C: polynomial 0x1EDC6F41, reflected, init and final XOR all ones.
using crc32c_type
  = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

constexpr size_t hex_size = 8;

void to_hex(uint32_t x, char* out) {
  constexpr char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < hex_size; ++i)
    out[i] = digits[(x >> (28 - 4 * i)) & 0xf];
}

} // namespace

uint32_t crc32c(byte_span bytes) {
  crc32c_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

std::string crc32c_hex(byte_span payload) {
  std::string out(hex_size, '0');
  to_hex(crc32c(payload), out.data());
  return out;
}

bool patch_crc32c(byte_buffer& out, size_t start) {
  if (out.size() < start + fixed_size)
    return false;
  auto* frame = out.data() + start;
  size_t header_end = fixed_size + size_t{get_u16(frame + 12)} * 4;
  if (start + header_end > out.size())
    return false;
  // The string KV entry as begin_frame() wrote it: u16 6, "crc32c", u16 8.
  const uint8_t pattern[] = {0, 6, 'c', 'r', 'c', '3', '2', 'c', 0, hex_size};
  auto* first = frame + fixed_size;
  auto* last = frame + header_end;
  auto* at = std::search(first, last, std::begin(pattern), std::end(pattern));
  if (at == last
      || last - at < static_cast<ptrdiff_t>(sizeof(pattern) + hex_size))
    return false;
  byte_span payload{frame + header_end, out.size() - start - header_end};
  to_hex(crc32c(payload), reinterpret_cast<char*>(at + sizeof(pattern)));
  return true;
}

} // namespace kitex::remote::ttheader
