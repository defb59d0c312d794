// Bad input for the Compact reader (reliability.md §2.2 and §8): every case
// is a defined error, found before anything is sized.

#include "kitex/remote/codec/thrift/compact_protocol.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "unit/remote/alloc_probe.hpp"
#include "unit/remote/hex.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using namespace kitex::remote::thrift;
using kitex::test::bytes_allocated_by;
using kitex::test::hex;

namespace {

/// A struct value nested `levels` deep (the outer struct counts as one):
/// each level holds its child as field 1, then a stop byte.
byte_buffer nested_structs(int levels) {
  byte_buffer out(static_cast<size_t>(levels - 1), 0x1c);
  out.insert(out.end(), static_cast<size_t>(levels), 0x00);
  return out;
}

/// A list value nested `levels` deep: list<list<...<i32>>>, one element each.
byte_buffer nested_lists(int levels) {
  byte_buffer out(static_cast<size_t>(levels - 1), 0x19);
  out.insert(out.end(), {0x15, 0x00});
  return out;
}

/// Runs `read` on `text` and returns the reader's error.
template<class F>
protocol_error error_of(const char* text, F read, const limits& lim = {}) {
  auto in = hex(text);
  compact_reader r{in, lim};
  CHECK(!read(r));
  return r.error();
}

bool read_i32(compact_reader& r) {
  int32_t x;
  return r.read_i32(x);
}

bool read_i64(compact_reader& r) {
  int64_t x;
  return r.read_i64(x);
}

bool read_i16(compact_reader& r) {
  int16_t x;
  return r.read_i16(x);
}

bool read_string(compact_reader& r) {
  std::string x;
  return r.read_string(x);
}

bool skip_body(compact_reader& r) {
  return r.skip_struct_body();
}

} // namespace

TEST_CASE("compact varints longer than their type are invalid data",
          "[compact][limits]") {
  auto invalid = protocol_error::invalid_data;
  // 64-bit: at most 10 bytes, the tenth holding only bit 63.
  CHECK(error_of("80 80 80 80 80 80 80 80 80 80 01", read_i64) == invalid);
  CHECK(error_of("ff ff ff ff ff ff ff ff ff 02", read_i64) == invalid);
  auto max10 = hex("ff ff ff ff ff ff ff ff ff 01");
  limits lim;
  compact_reader ok{max10, lim};
  int64_t x;
  REQUIRE(ok.read_i64(x));
  CHECK(x == std::numeric_limits<int64_t>::min());
  // 32-bit: at most 5 bytes and 32 bits, wherever a 32-bit varint is read.
  CHECK(error_of("80 80 80 80 80 01", read_i32) == invalid);
  CHECK(error_of("ff ff ff ff 1f", read_i32) == invalid);
  CHECK(error_of("80 80 80 80 80 01 61", read_string) == invalid);
  CHECK(error_of("19 f5 80 80 80 80 80 01", skip_body) == invalid);
  CHECK(error_of("05 80 80 80 80 80 01 00", skip_body) == invalid);
  CHECK(error_of("82 21 80 80 80 80 80 01 00",
                 [](compact_reader& r) {
                   message_header h;
                   return r.read_message_begin(h);
                 })
        == invalid);
  // i16: a zigzag varint that does not fit (40000).
  CHECK(error_of("80 f1 04", read_i16) == invalid);
  // Ending inside a varint is truncation, not bad data.
  CHECK(error_of("80 80", read_i64) == protocol_error::truncated);
}

TEST_CASE("compact string sizes are checked before anything is allocated",
          "[compact][limits]") {
  limits lim;
  std::string s;
  auto read_without_allocating = [&](const char* text) {
    auto in = hex(text);
    compact_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.read_string(s)); }) == 0);
    return r.error();
  };
  SECTION("longer than the bytes present") {
    CHECK(read_without_allocating("80 20 61 62") == protocol_error::truncated);
  }
  SECTION("2 GiB declared") {
    CHECK(read_without_allocating("ff ff ff ff 07 61 62")
          == protocol_error::size_limit);
  }
  SECTION("negative, as a 5-byte varint") {
    CHECK(read_without_allocating("ff ff ff ff 0f 61")
          == protocol_error::negative_size);
    CHECK(read_without_allocating("80 80 80 80 08 61")
          == protocol_error::negative_size);
  }
  SECTION("above max_string_size") {
    lim.max_string_size = 1;
    CHECK(read_without_allocating("02 61 62") == protocol_error::size_limit);
  }
}

TEST_CASE("compact list<i32> with count 0x7fffffff in 8 bytes fails fast",
          "[compact][limits]") {
  // Field 1 list<i32>, long form count 0x7fffffff, one element's bytes.
  auto in = hex("19 f5 ff ff ff ff 07 02");
  REQUIRE(in.size() == 8);
  limits lim;
  SECTION("above max_container_size") {
    compact_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.skip_struct_body()); }) == 0);
    CHECK(r.error() == protocol_error::size_limit);
    CHECK(r.position() == 7); // stopped at the count, no element visited
  }
  SECTION("no container limit: count x 1 byte checked in 64 bits") {
    lim.max_container_size = std::numeric_limits<uint32_t>::max();
    compact_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.skip_struct_body()); }) == 0);
    CHECK(r.error() == protocol_error::truncated);
    CHECK(r.position() == 7);
  }
}

TEST_CASE("compact container counts are bounded by the bytes present",
          "[compact][limits]") {
  limits lim;
  auto list = [](compact_reader& r) {
    ttype t;
    uint32_t n;
    return r.read_list_begin(t, n);
  };
  auto map = [](compact_reader& r) {
    ttype k, v;
    uint32_t n;
    return r.read_map_begin(k, v, n);
  };
  // map<double, double>: 1000 entries need 16000 bytes.
  CHECK(error_of("e8 07 77 00 00", map) == protocol_error::truncated);
  // list<uuid>: 2 elements need 32 bytes.
  CHECK(error_of("2d 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", list)
        == protocol_error::truncated);
  CHECK(error_of("f5 ff ff ff ff 0f", list) == protocol_error::negative_size);
  CHECK(error_of("ff ff ff ff 0f 55", map) == protocol_error::negative_size);
  limits small;
  small.max_container_size = 3;
  CHECK(error_of("45 00 00 00 00", list, small) == protocol_error::size_limit);
  CHECK(error_of("04 55 00 00 00 00 00 00 00 00", map, small)
        == protocol_error::size_limit);
}

TEST_CASE("unknown compact types are invalid data", "[compact][limits]") {
  auto invalid = protocol_error::invalid_data;
  for (auto text : {"1e 00", "1f 00", "0e 02 00", "10 00", "f0 00"}) {
    INFO("field header " << text);
    CHECK(error_of(text, skip_body) == invalid);
  }
  SECTION("as a list element type, even in an empty list") {
    CHECK(error_of("19 00 00", skip_body) == invalid);
    CHECK(error_of("19 0e 00", skip_body) == invalid);
  }
  SECTION("as a map key or value type") {
    CHECK(error_of("1b 01 f5 00 00 00", skip_body) == invalid);
    CHECK(error_of("1b 01 50 00 00 00", skip_body) == invalid);
  }
}

TEST_CASE("compact field ids stay in int16", "[compact][limits]") {
  // Long form 32767, then a delta of 1.
  CHECK(error_of("05 fe ff 03 00 15 00 00", skip_body)
        == protocol_error::invalid_data);
  // Long form 32768.
  CHECK(error_of("05 80 80 04 00 00", skip_body)
        == protocol_error::invalid_data);
}

TEST_CASE("a bool field nobody read does not leak into the next bool",
          "[compact]") {
  // 1: bool true; 2: list<bool>{false}; stop.
  auto in = hex("11 19 11 02 00");
  limits lim;
  compact_reader r{in, lim};
  ttype t;
  int16_t id;
  REQUIRE(r.read_field_begin(t, id));
  CHECK(t == ttype::bool_);
  REQUIRE(r.read_field_begin(t, id)); // the caller ignored field 1
  CHECK(t == ttype::list);
  CHECK(id == 2);
  uint32_t n;
  REQUIRE(r.read_list_begin(t, n));
  bool b = true;
  REQUIRE(r.read_bool(b));
  CHECK(!b);
}

TEST_CASE("compact nesting deeper than max_depth fails with depth_limit",
          "[compact][limits]") {
  limits lim; // max_depth 64
  SECTION("structs") {
    auto ok = nested_structs(64);
    compact_reader r{ok, lim};
    CHECK(r.skip(ttype::struct_));
    CHECK(r.remaining() == 0);
    auto deep = nested_structs(65);
    compact_reader r2{deep, lim};
    CHECK(!r2.skip(ttype::struct_));
    CHECK(r2.error() == protocol_error::depth_limit);
  }
  SECTION("lists") {
    auto ok = nested_lists(64);
    compact_reader r{ok, lim};
    CHECK(r.skip(ttype::list));
    CHECK(r.remaining() == 0);
    auto deep = nested_lists(65);
    compact_reader r2{deep, lim};
    CHECK(!r2.skip(ttype::list));
    CHECK(r2.error() == protocol_error::depth_limit);
  }
  SECTION("a configured limit") {
    lim.max_depth = 3;
    auto deep = nested_structs(4);
    compact_reader r{deep, lim};
    CHECK(!r.skip(ttype::struct_));
    CHECK(r.error() == protocol_error::depth_limit);
  }
}
