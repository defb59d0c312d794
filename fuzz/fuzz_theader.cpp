// Fuzz target: theader::decode of one Apache THeader frame (magic 0x0FFF).
//
// As fuzz_ttheader: the input is decoded as received and with LENGTH patched
// to the input size, under small and default limits. A decoded header has
// its payload inside the frame at a word boundary, a protocol we speak and
// no transform, and re-encodes (begin_frame/finish_frame) to a frame that
// decodes to the same header and payload. The re-encoding is read under
// relaxed limits: libthrift's padding (1 to 4 bytes) may make it a word
// longer than a frame whose infos ran to the header end.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "kitex/remote/codec/theader/theader.hpp"

namespace {

using namespace kitex::remote;
using kitex::fuzz::as_span;

bool same(const theader::header& a, const theader::header& b) {
  return a.flags == b.flags && a.seq_id == b.seq_id
         && a.protocol_id == b.protocol_id && a.transforms == b.transforms
         && a.kv == b.kv;
}

void check_round_trip(const theader::header& h, byte_span payload) {
  byte_buffer out;
  auto start = theader::begin_frame(out, h);
  out.insert(out.end(), payload.begin(), payload.end());
  theader::finish_frame(out, start);
  auto relaxed = kitex::fuzz::default_limits();
  relaxed.max_header_size = 4 * 0xffff;
  theader::header again;
  auto res = theader::decode(as_span(out), relaxed, again);
  FUZZ_CHECK(res.error == protocol_error::none);
  FUZZ_CHECK(same(h, again));
  FUZZ_CHECK(out.size() - res.payload_offset == payload.size());
  FUZZ_CHECK(
    std::equal(payload.begin(), payload.end(),
               out.begin() + static_cast<ptrdiff_t>(res.payload_offset)));
}

void decode_one(byte_span frame, const limits& lim) {
  theader::header h;
  auto res = theader::decode(frame, lim, h);
  if (res.error != protocol_error::none) {
    FUZZ_CHECK(res.payload_offset == 0);
    return;
  }
  auto header_bytes = res.payload_offset - theader::fixed_size;
  FUZZ_CHECK(res.payload_offset >= theader::fixed_size + 4);
  FUZZ_CHECK(header_bytes % 4 == 0);
  FUZZ_CHECK(header_bytes <= lim.max_header_size);
  FUZZ_CHECK(res.payload_offset <= frame.size());
  FUZZ_CHECK(get_u32(frame.data()) + size_t{4} == frame.size());
  FUZZ_CHECK(theader::is_theader(frame));
  FUZZ_CHECK(h.transforms.empty());
  FUZZ_CHECK(h.protocol_id == theader::protocol_binary
             || h.protocol_id == theader::protocol_compact);
  for (auto& kv : h.kv) {
    FUZZ_CHECK(kv.first.size() <= lim.max_string_size);
    FUZZ_CHECK(kv.second.size() <= lim.max_string_size);
    FUZZ_CHECK(h.find(kv.first) != nullptr);
  }
  check_round_trip(h, frame.subspan(res.payload_offset));
}

void decode_both(byte_span frame) {
  decode_one(frame, kitex::fuzz::small_limits());
  decode_one(frame, kitex::fuzz::default_limits());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  byte_span in{data, size};
  decode_both(in);
  if (size >= 4 && size - 4 <= 0x3fffffff) {
    byte_buffer patched(data, data + size);
    patch_u32(patched, 0, static_cast<uint32_t>(size - 4));
    decode_both(as_span(patched));
  }
  return 0;
}
