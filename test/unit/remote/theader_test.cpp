#include "kitex/remote/codec/theader/theader.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "unit/remote/alloc_probe.hpp"
#include "unit/remote/hex.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using kitex::test::bytes_allocated_by;
using kitex::test::hex;
using kitex::test::to_hex;

namespace {

/// THeader + Thrift Binary call "Echo", seq 1, empty args, KV {"k": "v"}:
/// what libthrift's THeaderTransport writes (checked in
/// test/interop/theader_codec_interop_test.cpp).
constexpr const char* echo_binary_hex
  = "00 00 00 27" // LENGTH 39
    "0f ff 00 00" // MAGIC, FLAGS
    "00 00 00 01" // SEQ ID 1
    "00 03"       // HEADER SIZE 3 words
    "00 00"       // PROTOCOL binary, NUM TRANSFORMS 0
    "01 01"       // INFO KEYVALUE, 1 pair
    "01 6b 01 76" // "k", "v"
    "00 00 00 00" // padding: 4 bytes when already aligned
    "80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01" // call "Echo", seq 1
    "00";                                             // stop

/// The same call in Thrift Compact, no KV.
constexpr const char* echo_compact_hex
  = "00 00 00 17"                 // LENGTH 23
    "0f ff 00 00 00 00 00 01"     // MAGIC, FLAGS, SEQ ID 1
    "00 01"                       // HEADER SIZE 1 word
    "02 00"                       // PROTOCOL compact, NUM TRANSFORMS 0
    "00 00"                       // padding
    "82 21 01 04 45 63 68 6f 00"; // call, seq 1, "Echo", stop

theader::decode_result decode(const byte_buffer& frame, const limits& lim,
                              theader::header& h) {
  return theader::decode(byte_span{frame}, lim, h);
}

/// A frame with an empty payload around the header section `section`
/// (PROTOCOL ID onwards), zero-padded to 4 bytes only if not aligned (as Go
/// pads); HEADER SIZE and LENGTH are computed from it.
byte_buffer frame_with_section(byte_buffer section) {
  section.resize((section.size() + 3) / 4 * 4, 0);
  byte_buffer out;
  put_u32(out, static_cast<uint32_t>(10 + section.size()));
  put_u16(out, theader::magic);
  put_u16(out, 0);
  put_u32(out, 7);
  put_u16(out, static_cast<uint16_t>(section.size() / 4));
  out.insert(out.end(), section.begin(), section.end());
  return out;
}

protocol_error decode_error(const byte_buffer& frame,
                            const limits& lim = limits{}) {
  theader::header h;
  return decode(frame, lim, h).error;
}

byte_buffer encode_echo_binary(const theader::header& h) {
  byte_buffer out;
  auto start = theader::begin_frame(out, h);
  {
    thrift::binary_writer w{out};
    w.write_message_begin("Echo", thrift::message_type::call, h.seq_id);
    w.write_field_stop();
  }
  theader::finish_frame(out, start);
  return out;
}

} // namespace

TEST_CASE("THeader binary Echo call encodes to libthrift's bytes",
          "[theader]") {
  theader::header h;
  h.seq_id = 1;
  h.kv = {{"k", "v"}};
  CHECK(to_hex(encode_echo_binary(h)) == to_hex(hex(echo_binary_hex)));
}

TEST_CASE("THeader compact Echo call encodes to libthrift's bytes",
          "[theader]") {
  theader::header h;
  h.seq_id = 1;
  h.protocol_id = theader::protocol_compact;
  byte_buffer out;
  auto start = theader::begin_frame(out, h);
  CHECK(out.size() == 18); // 14 fixed + 4 header section
  {
    thrift::compact_writer w{out};
    w.write_message_begin("Echo", thrift::message_type::call, 1);
    w.write_field_stop();
  }
  theader::finish_frame(out, start);
  CHECK(to_hex(out) == to_hex(hex(echo_compact_hex)));
}

TEST_CASE("THeader binary Echo call decodes", "[theader]") {
  auto frame = hex(echo_binary_hex);
  theader::header h;
  auto res = decode(frame, limits{}, h);
  REQUIRE(res.error == protocol_error::none);
  CHECK(res.payload_offset == 26);
  CHECK(h.flags == 0);
  CHECK(h.seq_id == 1);
  CHECK(h.protocol_id == theader::protocol_binary);
  CHECK(h.transforms.empty());
  REQUIRE(h.find("k") != nullptr);
  CHECK(*h.find("k") == "v");
  CHECK(h.find("v") == nullptr);
  limits lim;
  thrift::binary_reader r{byte_span{frame}.subspan(res.payload_offset), lim};
  thrift::message_header m;
  REQUIRE(r.read_message_begin(m));
  CHECK(m.name == "Echo");
  CHECK(m.seq_id == 1);
}

TEST_CASE("THeader compact Echo call decodes", "[theader]") {
  auto frame = hex(echo_compact_hex);
  theader::header h;
  auto res = decode(frame, limits{}, h);
  REQUIRE(res.error == protocol_error::none);
  CHECK(res.payload_offset == 18);
  CHECK(h.protocol_id == theader::protocol_compact);
  CHECK(h.kv.empty());
  CHECK(frame[res.payload_offset] == thrift::compact_protocol_id);
}

TEST_CASE("THeader round-trips KV headers with every padding size",
          "[theader]") {
  // Vary one value's length so every padding size (1..4) occurs; the long
  // key makes its length a two-byte varint (300 = ac 02).
  std::string long_key(300, 'L');
  for (size_t extra = 0; extra < 8; ++extra) {
    theader::header h;
    h.flags = 0x8001;
    h.seq_id = -5;
    h.protocol_id = theader::protocol_compact;
    h.kv = {{"a", "1"}, {long_key, std::string(extra, 'x')}, {"", ""}};
    byte_buffer out{0xee}; // frames may start anywhere in a buffer
    auto start = theader::begin_frame(out, h);
    REQUIRE(start == 1);
    out.insert(out.end(), {0x82, 0x21});
    theader::finish_frame(out, start);
    // Section: 2 + KV (1+1 + 1+1+1+1 + 2+300+1+x + 1+1) = 313 + x, then
    // 1..4 zeros.
    auto section = 313 + extra;
    auto padded = section + (4 - section % 4);
    CHECK(get_u16(out.data() + start + 12) == padded / 4);
    CHECK(get_u32(out.data() + start) == out.size() - start - 4);
    CHECK(out[start + 14 + 2 + 2 + 4] == 0xac); // long key length varint
    CHECK(out[start + 14 + 2 + 2 + 5] == 0x02);
    for (size_t i = section; i < padded; ++i)
      CHECK(out[start + 14 + i] == 0);
    theader::header back;
    auto res = theader::decode(byte_span{out}.subspan(start), limits{}, back);
    REQUIRE(res.error == protocol_error::none);
    CHECK(res.payload_offset == 14 + padded);
    CHECK(out.size() == start + 14 + padded + 2);
    CHECK(out[start + res.payload_offset] == 0x82);
    CHECK(back.flags == h.flags);
    CHECK(back.seq_id == h.seq_id);
    CHECK(back.protocol_id == h.protocol_id);
    CHECK(back.kv == h.kv);
    REQUIRE(back.find(long_key) != nullptr);
    CHECK(back.find(long_key)->size() == extra);
  }
}

TEST_CASE("THeader with nothing to say is 4 header bytes", "[theader]") {
  byte_buffer out;
  theader::finish_frame(out, theader::begin_frame(out, theader::header{}));
  CHECK(to_hex(out) == "00 00 00 0e 0f ff 00 00 00 00 00 00 00 01 00 00 00 00");
}

TEST_CASE("THeader sniffing looks at the magic at offset 4", "[theader]") {
  CHECK(theader::is_theader(hex(echo_binary_hex)));
  CHECK(theader::is_theader(hex("00 00 00 27 0f ff 00 00")));
  CHECK(!theader::is_theader(hex("00 00 00 27 10 00 00 00"))); // TTHeader
  CHECK(!theader::is_theader(hex("00 00 00 11 80 01 00 01"))); // Framed
  CHECK(!theader::is_theader(hex("80 01 00 01 00 00 00 04"))); // Buffered
  CHECK(!theader::is_theader(hex("00 00 00 27 0f")));
}

TEST_CASE("THeader KV: duplicates keep the last, as libthrift's map",
          "[theader]") {
  SECTION("within one block") {
    auto frame = frame_with_section(
      hex("00 00 01 02 01 6b 01 31 01 6b 01 32 00 00 00 00"));
    theader::header h;
    REQUIRE(decode(frame, limits{}, h).error == protocol_error::none);
    CHECK(h.kv.size() == 2);
    CHECK(*h.find("k") == "2");
  }
  SECTION("across two blocks, which libthrift also reads") {
    auto frame = frame_with_section(
      hex("00 00 01 01 01 6b 01 31 01 01 01 6b 01 32 00 00"));
    theader::header h;
    REQUIRE(decode(frame, limits{}, h).error == protocol_error::none);
    CHECK(h.kv.size() == 2);
    CHECK(*h.find("k") == "2");
  }
}

TEST_CASE("THeader accepts binary and compact payloads only", "[theader]") {
  for (uint8_t id : {theader::protocol_binary, theader::protocol_compact}) {
    theader::header h;
    CHECK(decode(frame_with_section({id, 0x00}), limits{}, h).error
          == protocol_error::none);
    CHECK(h.protocol_id == id);
  }
  // The longest varint is accepted even when not minimal (5 bytes for 0).
  CHECK(decode_error(frame_with_section(hex("80 80 80 80 00 00")))
        == protocol_error::none);
  // JSON is Thrift, but not ours.
  CHECK(decode_error(frame_with_section(hex("01 00")))
        == protocol_error::not_implemented);
  CHECK(decode_error(frame_with_section(hex("03 00")))
        == protocol_error::invalid_data);
  // 0x100 would read as binary if cut to a byte.
  CHECK(decode_error(frame_with_section(hex("80 02 00")))
        == protocol_error::invalid_data);
}

TEST_CASE("THeader decode rejects bad lengths before allocating",
          "[theader][limits]") {
  auto frame = hex(echo_binary_hex);
  SECTION("LENGTH above libthrift's 0x3fffffff, whatever the limit") {
    patch_u32(frame, 0, 0x40000000);
    limits huge;
    huge.max_frame_size = 0xffffffff;
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame, huge) == protocol_error::size_limit); });
    CHECK(n == 0);
  }
  SECTION("LENGTH above max_frame_size") {
    limits lim;
    lim.max_frame_size = 38;
    CHECK(decode_error(frame, lim) == protocol_error::size_limit);
  }
  SECTION("LENGTH past the bytes given") {
    patch_u32(frame, 0, 40);
    CHECK(decode_error(frame) == protocol_error::truncated);
    CHECK(decode_error(hex("00 00")) == protocol_error::truncated);
  }
  SECTION("LENGTH short of the bytes given") {
    patch_u32(frame, 0, 38);
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("LENGTH smaller than the fixed part") {
    CHECK(decode_error(hex("00 00 00 02 0f ff"))
          == protocol_error::invalid_data);
  }
  SECTION("bad magic, e.g. Kitex's TTHeader") {
    frame[4] = 0x10;
    frame[5] = 0x00;
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
}

TEST_CASE("THeader decode rejects bad header sizes", "[theader][limits]") {
  auto frame = hex(echo_binary_hex);
  SECTION("zero: no room for the protocol id") {
    frame[13] = 0;
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("past the frame end") {
    frame[13] = 8; // 32 bytes, but only 29 follow offset 14
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("past the frame end into bytes that would parse") {
    // HEADER SIZE claims 8 bytes, the frame holds 4; the bytes after the
    // frame are zeros, so only the frame bound can catch this.
    auto buf = frame_with_section(hex("00 00 00 00"));
    buf[13] = 2;
    auto frame_size = buf.size();
    buf.resize(frame_size + 4, 0x00);
    theader::header h;
    auto res = theader::decode(byte_span{buf}.first(frame_size), limits{}, h);
    CHECK(res.error == protocol_error::invalid_data);
  }
  SECTION("above max_header_size, checked before the frame end") {
    frame[12] = 0x40;
    frame[13] = 0x01; // 0x4001 words = 64 KiB + 4
    CHECK(decode_error(frame) == protocol_error::size_limit);
    limits lim;
    lim.max_header_size = 8;
    frame[12] = 0;
    frame[13] = 3; // 12 bytes
    CHECK(decode_error(frame, lim) == protocol_error::size_limit);
  }
}

TEST_CASE("THeader decode bounds every varint", "[theader][limits]") {
  SECTION("protocol id cut by the header end") {
    CHECK(decode_error(frame_with_section(hex("80 80 80 80")))
          == protocol_error::invalid_data);
  }
  SECTION("a sixth varint byte") {
    CHECK(decode_error(frame_with_section(hex("80 80 80 80 80 00")))
          == protocol_error::invalid_data);
  }
  SECTION("a fifth byte with more than 32 bits") {
    CHECK(decode_error(frame_with_section(hex("00 00 01 80 80 80 80 10")))
          == protocol_error::invalid_data);
  }
  SECTION("info id cut by the header end") {
    CHECK(decode_error(frame_with_section(hex("00 00 81 81")))
          == protocol_error::invalid_data);
  }
  SECTION("KV count cut by the header end") {
    CHECK(decode_error(frame_with_section(hex("00 00 01 ff")))
          == protocol_error::invalid_data);
  }
  SECTION("string length cut by the header end") {
    CHECK(decode_error(frame_with_section(hex("00 00 01 01 01 6b 81 81")))
          == protocol_error::invalid_data);
  }
}

TEST_CASE("THeader decode checks counts and strings before allocating",
          "[theader][limits]") {
  SECTION("KV count 2^32-1") {
    auto frame = frame_with_section(hex("00 00 01 ff ff ff ff 0f"));
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::size_limit); });
    CHECK(n == 0);
  }
  SECTION("KV count within the limits, but more than the header can hold") {
    auto frame = frame_with_section(hex("00 00 01 e8 07")); // 1000
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::invalid_data); });
    CHECK(n == 0);
  }
  SECTION("KV count above max_container_size") {
    limits lim;
    lim.max_container_size = 1;
    auto frame = frame_with_section(hex("00 00 01 02 00 00 00 00"));
    CHECK(decode_error(frame, lim) == protocol_error::size_limit);
    lim.max_container_size = 2;
    CHECK(decode_error(frame, lim) == protocol_error::none);
  }
  SECTION("KV count beyond the entries and the padding") {
    // One pair and a count of 4: the four zeros after it read as two empty
    // pairs (libthrift reads them so too), then the header ends.
    auto frame = frame_with_section(hex("00 00 01 04 01 6b 01 76 00 00"));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("string length 2^31-1") {
    auto frame = frame_with_section(hex("00 00 01 01 ff ff ff ff 07 00"));
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::size_limit); });
    // Only the room for the one pair the count declared, never the string.
    CHECK(n <= 2 * sizeof(std::string));
  }
  SECTION("string above max_string_size") {
    limits lim;
    lim.max_string_size = 2;
    auto frame = frame_with_section(hex("00 00 01 01 03 61 62 63 00 00"));
    CHECK(decode_error(frame, lim) == protocol_error::size_limit);
    lim.max_string_size = 3;
    CHECK(decode_error(frame, lim) == protocol_error::none);
  }
  SECTION("string past the header end") {
    auto frame = frame_with_section(hex("00 00 01 01 09 61 62 63"));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("value straddling the header end into the payload") {
    // Read against the frame end instead, the value would be "Echo" from
    // the payload.
    auto frame = frame_with_section(hex("00 00 01 01 01 6b 04 45"));
    frame.insert(frame.end(), {0x63, 0x68, 0x6f});
    patch_u32(frame, 0, static_cast<uint32_t>(frame.size() - 4));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
}

TEST_CASE("THeader padding ends the infos and must be zeros", "[theader]") {
  SECTION("no padding at all, as Go writes an aligned header") {
    auto frame = frame_with_section(hex("00 00 01 01 01 6b 01 76"));
    theader::header h;
    REQUIRE(decode(frame, limits{}, h).error == protocol_error::none);
    CHECK(*h.find("k") == "v");
  }
  SECTION("garbage after the padding marker") {
    CHECK(decode_error(frame_with_section(hex("00 00 00 01")))
          == protocol_error::invalid_data);
  }
  SECTION("a KV block after the padding marker") {
    // libthrift stops at the marker and would ignore this block silently.
    CHECK(decode_error(frame_with_section(hex("00 00 00 01 01 01 6b 01 76")))
          == protocol_error::invalid_data);
  }
}

TEST_CASE("THeader unknown info ids skip to the payload", "[theader]") {
  SECTION("KV before an unknown id is kept, whatever follows it") {
    // fbthrift's persistent KV (id 2), then bytes we cannot interpret.
    auto frame
      = frame_with_section(hex("00 00 01 01 01 6b 01 76 02 ff ff ff ff 01"));
    theader::header h;
    auto res = decode(frame, limits{}, h);
    REQUIRE(res.error == protocol_error::none);
    CHECK(res.payload_offset == frame.size());
    CHECK(h.kv.size() == 1);
  }
  SECTION("KV after an unknown id is not read") {
    auto frame = frame_with_section(hex("00 00 7f 01 01 01 6b 01 76"));
    theader::header h;
    REQUIRE(decode(frame, limits{}, h).error == protocol_error::none);
    CHECK(h.kv.empty());
  }
  SECTION("a multi-byte unknown id") {
    CHECK(decode_error(frame_with_section(hex("00 00 80 01 00")))
          == protocol_error::none);
  }
}

TEST_CASE("THeader transforms are refused and reported", "[theader]") {
  SECTION("zlib") {
    theader::header h;
    auto res = decode(frame_with_section(hex("00 01 01")), limits{}, h);
    CHECK(res.error == protocol_error::not_implemented);
    CHECK(h.transforms == std::vector<uint8_t>{theader::transform_zlib});
  }
  SECTION("snappy after zlib") {
    theader::header h;
    auto res = decode(frame_with_section(hex("02 02 01 03")), limits{}, h);
    CHECK(res.error == protocol_error::not_implemented);
    CHECK(h.transforms == std::vector<uint8_t>{1, 3});
  }
  SECTION("a huge count fails before anything is reserved") {
    auto frame = frame_with_section(hex("00 ff ff ff ff 0f 01 00"));
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::size_limit); });
    CHECK(n == 0);
    frame = frame_with_section(hex("00 e8 07 01")); // 1000 ids in 2 bytes
    n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::invalid_data); });
    CHECK(n == 0);
  }
  SECTION("an id beyond a byte") {
    CHECK(decode_error(frame_with_section(hex("00 01 81 02")))
          == protocol_error::invalid_data);
  }
  SECTION("an id cut by the header end") {
    CHECK(decode_error(frame_with_section(hex("00 02 01 81")))
          == protocol_error::invalid_data);
  }
}
