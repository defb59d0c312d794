#include "kitex/remote/codec/ttheader/ttheader.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/ttheader/checksum.hpp"
#include "unit/remote/alloc_probe.hpp"
#include "unit/remote/hex.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using kitex::test::bytes_allocated_by;
using kitex::test::hex;
using kitex::test::to_hex;

namespace {

/// kitex.md §2.12: TTHeader + Thrift call "Echo", seq 1, empty args,
/// {9:"Echo"}.
constexpr const char* echo_call_hex
  = "00 00 00 2b 10 00 00 00 00 00 00 01 00 04"
    "00 00"
    "10 00 01 00 09 00 04 45 63 68 6f"
    "00 00 00"
    "80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01 00";

ttheader::decode_result decode(const byte_buffer& frame, const limits& lim,
                               ttheader::header& h) {
  return ttheader::decode(byte_span{frame}, lim, h);
}

/// A frame with an empty payload around the header section `section`
/// (PROTOCOL ID onwards, zero-padded to 4 bytes); HEADER SIZE and LENGTH are
/// computed from it.
byte_buffer frame_with_section(byte_buffer section) {
  section.resize((section.size() + 3) / 4 * 4, 0);
  byte_buffer out;
  put_u32(out, static_cast<uint32_t>(10 + section.size()));
  put_u16(out, ttheader::magic);
  put_u16(out, 0);
  put_u32(out, 7);
  put_u16(out, static_cast<uint16_t>(section.size() / 4));
  out.insert(out.end(), section.begin(), section.end());
  return out;
}

protocol_error decode_error(const byte_buffer& frame,
                            const limits& lim = limits{}) {
  ttheader::header h;
  return decode(frame, lim, h).error;
}

} // namespace

TEST_CASE("TTHeader Echo call encodes to the bytes of kitex.md 2.12",
          "[ttheader]") {
  ttheader::header h;
  h.seq_id = 1;
  h.int_kv.emplace_back(ttheader::to_method, "Echo");
  byte_buffer out;
  auto start = ttheader::begin_frame(out, h);
  CHECK(start == 0);
  CHECK(out.size() == 30); // 14 fixed + 16 header section
  thrift::binary_writer w{out};
  w.write_message_begin("Echo", thrift::message_type::call, 1);
  w.write_field_stop();
  w.flush();
  ttheader::finish_frame(out, start);
  REQUIRE(out.size() == 47);
  CHECK(to_hex(out) == to_hex(hex(echo_call_hex)));
}

TEST_CASE("TTHeader Echo call decodes", "[ttheader]") {
  auto frame = hex(echo_call_hex);
  ttheader::header h;
  auto res = decode(frame, limits{}, h);
  REQUIRE(res.error == protocol_error::none);
  CHECK(res.payload_offset == 30);
  CHECK(h.flags == 0);
  CHECK(h.seq_id == 1);
  CHECK(h.protocol_id == ttheader::protocol_thrift_binary);
  REQUIRE(h.find(uint16_t{ttheader::to_method}) != nullptr);
  CHECK(*h.find(uint16_t{ttheader::to_method}) == "Echo");
  CHECK(h.find(uint16_t{ttheader::from_method}) == nullptr);
  CHECK(h.str_kv.empty());
  CHECK(!h.acl_token);
}

TEST_CASE("TTHeader round-trips string KV, int KV and ACL token with padding",
          "[ttheader]") {
  // Vary one value's length so every padding size (0..3) occurs.
  for (size_t extra = 0; extra < 8; ++extra) {
    ttheader::header h;
    h.flags = ttheader::flag_out_of_order;
    h.seq_id = -5;
    h.acl_token = "token";
    h.str_kv
      = {{"isn", "EchoService"}, {"biz-status", std::string(extra, 'x')}};
    h.int_kv = {{ttheader::from_service, "client"}, {ttheader::msg_type, "1"}};
    byte_buffer out{0xee}; // frames may start anywhere in a buffer
    auto start = ttheader::begin_frame(out, h);
    REQUIRE(start == 1);
    out.insert(out.end(), {0x80, 0x01, 0x00, 0x01});
    ttheader::finish_frame(out, start);
    // Section: 2 + ACL (1+2+5) + str KV (1+2 + 2+3+2+11 + 2+10+2+x)
    // + int KV (1+2 + 2+2+6 + 2+2+1) = 63 + x, padded to a multiple of 4.
    auto section = 63 + extra;
    auto padded = (section + 3) / 4 * 4;
    CHECK(get_u16(out.data() + start + 12) == padded / 4);
    CHECK(get_u32(out.data() + start) == out.size() - start - 4);
    for (size_t i = section; i < padded; ++i)
      CHECK(out[start + 14 + i] == 0);
    ttheader::header back;
    auto res = ttheader::decode(byte_span{out}.subspan(start), limits{}, back);
    REQUIRE(res.error == protocol_error::none);
    CHECK(res.payload_offset == 14 + padded);
    // The payload follows the padding directly.
    CHECK(out.size() == start + 14 + padded + 4);
    CHECK(out[start + res.payload_offset] == 0x80);
    CHECK(back.flags == h.flags);
    CHECK(back.seq_id == h.seq_id);
    CHECK(back.acl_token == h.acl_token);
    CHECK(back.str_kv == h.str_kv);
    CHECK(back.int_kv == h.int_kv);
    CHECK(*back.find("isn") == "EchoService");
  }
}

TEST_CASE("TTHeader with nothing to say is 4 header bytes", "[ttheader]") {
  byte_buffer out;
  ttheader::finish_frame(out, ttheader::begin_frame(out, ttheader::header{}));
  CHECK(to_hex(out) == "00 00 00 0e 10 00 00 00 00 00 00 00 00 01 00 00 00 00");
}

TEST_CASE("TTHeader duplicate keys: the last one wins, as in Kitex's map",
          "[ttheader]") {
  auto frame = frame_with_section(
    hex("00 00 01 00 02 00 01 6b 00 01 31 00 01 6b 00 01 32 00"));
  ttheader::header h;
  REQUIRE(decode(frame, limits{}, h).error == protocol_error::none);
  REQUIRE(h.find("k") != nullptr);
  CHECK(*h.find("k") == "2");
}

TEST_CASE("TTHeader accepts every unary protocol id", "[ttheader]") {
  for (uint8_t id :
       {ttheader::protocol_thrift_binary, ttheader::protocol_thrift_compact,
        ttheader::protocol_thrift_compact_v2,
        ttheader::protocol_kitex_protobuf}) {
    auto frame = frame_with_section({id, 0x00, 0x00, 0x00});
    ttheader::header h;
    CHECK(decode(frame, limits{}, h).error == protocol_error::none);
    CHECK(h.protocol_id == id);
  }
  CHECK(decode_error(frame_with_section(hex("01 00 00 00")))
        == protocol_error::invalid_data);
  CHECK(decode_error(frame_with_section(hex("10 00 00 00")))
        == protocol_error::not_implemented);
  CHECK(decode_error(frame_with_section(hex("ff 00 00 00")))
        == protocol_error::invalid_data);
}

TEST_CASE("TTHeader decode rejects bad lengths before allocating",
          "[ttheader][limits]") {
  auto frame = hex(echo_call_hex);
  SECTION("LENGTH 0x7fffffff") {
    patch_u32(frame, 0, 0x7fffffff);
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::size_limit); });
    CHECK(n == 0);
  }
  SECTION("LENGTH with the top bit set") {
    patch_u32(frame, 0, 0x8000002b);
    limits huge;
    huge.max_frame_size = 0xffffffff; // the top bit is refused regardless
    CHECK(decode_error(frame, huge) == protocol_error::size_limit);
  }
  SECTION("LENGTH above max_frame_size") {
    limits lim;
    lim.max_frame_size = 42;
    CHECK(decode_error(frame, lim) == protocol_error::size_limit);
  }
  SECTION("LENGTH past the bytes given") {
    patch_u32(frame, 0, 44);
    CHECK(decode_error(frame) == protocol_error::truncated);
  }
  SECTION("LENGTH short of the bytes given") {
    patch_u32(frame, 0, 42);
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("LENGTH smaller than the fixed part") {
    auto tiny = hex("00 00 00 02 10 00");
    CHECK(decode_error(tiny) == protocol_error::invalid_data);
  }
  SECTION("bad magic") {
    frame[4] = 0x20;
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
}

TEST_CASE("TTHeader decode rejects bad header sizes", "[ttheader][limits]") {
  auto frame = hex(echo_call_hex);
  SECTION("zero") {
    frame[12] = 0;
    frame[13] = 0;
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("past the frame end") {
    frame[13] = 9; // 36 bytes, but only 33 follow offset 14
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("past the frame end into bytes that would parse") {
    // HEADER SIZE claims 8 bytes, the frame holds 4; the bytes after the
    // frame are padding, so only the frame bound can catch this.
    auto buf = frame_with_section(hex("00 00 00 00"));
    buf[13] = 2;
    auto frame_size = buf.size();
    buf.resize(frame_size + 4, 0x00);
    ttheader::header h;
    auto res = ttheader::decode(byte_span{buf}.first(frame_size), limits{}, h);
    CHECK(res.error == protocol_error::invalid_data);
  }
  SECTION("above max_header_size, checked before the frame end") {
    frame[12] = 0x40;
    frame[13] = 0x01; // 0x4001 words = 64 KiB + 4
    CHECK(decode_error(frame) == protocol_error::size_limit);
    limits lim;
    lim.max_header_size = 12;
    frame[12] = 0;
    frame[13] = 4; // 16 bytes
    CHECK(decode_error(frame, lim) == protocol_error::size_limit);
  }
}

TEST_CASE("TTHeader decode keeps every info read inside the header",
          "[ttheader][limits]") {
  SECTION("int value straddling the header end") {
    // The value's length starts in the last header byte; read against the
    // frame end instead, it would decode as "Echo" from the payload.
    auto frame = frame_with_section(hex("00 00 10 00 01 00 09 00"));
    frame.insert(frame.end(), {0x04, 0x45, 0x63, 0x68, 0x6f});
    patch_u32(frame, 0, static_cast<uint32_t>(frame.size() - 4));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("string key length past the header end") {
    auto frame = frame_with_section(hex("00 00 01 00 01 00 ff 41 42 43 44 45"));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("entry count the header cannot hold") {
    auto frame = frame_with_section(hex("00 00 10 ff ff 00 00 00"));
    auto n = bytes_allocated_by(
      [&] { CHECK(decode_error(frame) == protocol_error::invalid_data); });
    CHECK(n == 0);
  }
  SECTION("ACL token past the header end") {
    auto frame = frame_with_section(hex("00 00 11 00 09 41 42 43"));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("unknown info id") {
    auto frame = frame_with_section(hex("00 00 05 00 00 00 00 00"));
    CHECK(decode_error(frame) == protocol_error::invalid_data);
  }
  SECTION("padding before a block is skipped byte by byte") {
    auto frame = frame_with_section(hex("00 00 00 00 11 00 01 41"));
    ttheader::header h;
    REQUIRE(decode(frame, limits{}, h).error == protocol_error::none);
    CHECK(h.acl_token == std::string{"A"});
  }
}

TEST_CASE("TTHeader transforms are not implemented", "[ttheader]") {
  auto frame = frame_with_section(hex("00 01 01 00"));
  CHECK(decode_error(frame) == protocol_error::not_implemented);
}

TEST_CASE("crc32c is CRC-32C and is patched into a written frame",
          "[ttheader][crc32c]") {
  // The CRC-32C check value of "123456789".
  byte_buffer digits;
  kitex::test::append(digits, "123456789");
  CHECK(ttheader::crc32c(byte_span{digits}) == 0xE3069283u);
  CHECK(ttheader::crc32c_hex(byte_span{digits}) == "e3069283");
  CHECK(ttheader::crc32c_hex(byte_span{}) == "00000000");
  // A frame written with a placeholder gets its payload's checksum.
  ttheader::header h;
  h.str_kv.emplace_back("a", "b");
  h.str_kv.emplace_back(std::string{ttheader::key_crc32c}, "00000000");
  byte_buffer out;
  out.push_back(0xee); // frames need not start at offset 0
  auto start = ttheader::begin_frame(out, h);
  kitex::test::append(out, "123456789");
  ttheader::finish_frame(out, start);
  REQUIRE(ttheader::patch_crc32c(out, start));
  ttheader::header back;
  auto res = decode(byte_span{out}.subspan(start), limits{}, back);
  REQUIRE(res.error == protocol_error::none);
  REQUIRE(back.find(ttheader::key_crc32c));
  CHECK(*back.find(ttheader::key_crc32c) == "e3069283");
  // No placeholder, nothing to patch.
  byte_buffer plain;
  auto s2 = ttheader::begin_frame(plain, ttheader::header{});
  ttheader::finish_frame(plain, s2);
  CHECK_FALSE(ttheader::patch_crc32c(plain, s2));
}
