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
using kitex::test::to_hex;

namespace {

/// Reads a field header and checks its type and id.
void expect_field(compact_reader& r, ttype t, int16_t id) {
  ttype got_t;
  int16_t got_id;
  REQUIRE(r.read_field_begin(got_t, got_id));
  CHECK(got_t == t);
  CHECK(got_id == id);
}

/// Writes a struct nested `levels` deep; every level holds its child as
/// field 1 and then field 2 = level, so field 2's short form only decodes
/// right if the reader restored the level's last field id after the child.
void write_nested(compact_writer& w, int levels) {
  w.write_struct_begin();
  if (levels > 1) {
    w.write_field_begin(ttype::struct_, 1);
    write_nested(w, levels - 1);
  }
  w.write_field_begin(ttype::i32, 2);
  w.write_i32(levels);
  w.write_field_stop();
  w.write_struct_end();
}

/// Reads what write_nested wrote, checking every id and value.
bool read_nested(compact_reader& r, int levels) {
  if (!r.enter())
    return false;
  ttype t;
  int16_t id;
  if (levels > 1) {
    if (!r.read_field_begin(t, id) || t != ttype::struct_ || id != 1
        || !read_nested(r, levels - 1))
      return false;
  }
  int32_t v;
  if (!r.read_field_begin(t, id) || t != ttype::i32 || id != 2 || !r.read_i32(v)
      || v != levels)
    return false;
  if (!r.read_field_begin(t, id) || t != ttype::stop)
    return false;
  r.leave();
  return true;
}

/// A call message whose args struct holds a field of every type, nested
/// structs and containers, as generated code writes it.
byte_buffer every_type_message() {
  byte_buffer out;
  compact_writer w{out};
  w.write_message_begin("Echo", message_type::call, 7);
  w.write_struct_begin();
  w.write_field_begin(ttype::bool_, 1);
  w.write_bool(true);
  w.write_field_begin(ttype::bool_, 2);
  w.write_bool(false);
  w.write_field_begin(ttype::byte, 3);
  w.write_byte(-7);
  w.write_field_begin(ttype::double_, 4);
  w.write_double(2.5);
  w.write_field_begin(ttype::i16, 5);
  w.write_i16(-300);
  w.write_field_begin(ttype::i32, 6);
  w.write_i32(70000);
  w.write_field_begin(ttype::i64, 40); // long form
  w.write_i64(std::numeric_limits<int64_t>::min());
  w.write_field_begin(ttype::string, 41);
  w.write_string("hello");
  w.write_field_begin(ttype::struct_, 42);
  w.write_struct_begin();
  w.write_field_begin(ttype::bool_, 1);
  w.write_bool(true);
  w.write_field_stop();
  w.write_struct_end();
  w.write_field_begin(ttype::map, 43);
  w.write_map_begin(ttype::string, ttype::i32, 2);
  w.write_string("a");
  w.write_i32(1);
  w.write_string("bc");
  w.write_i32(2);
  w.write_field_begin(ttype::set, 44);
  w.write_set_begin(ttype::bool_, 2);
  w.write_bool(true);
  w.write_bool(false);
  w.write_field_begin(ttype::list, 45);
  w.write_list_begin(ttype::list, 2);
  w.write_list_begin(ttype::i32, 1);
  w.write_i32(9);
  w.write_list_begin(ttype::i32, 0);
  w.write_field_begin(ttype::uuid, 46);
  uint8_t id[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  w.write_uuid(id);
  w.write_field_begin(ttype::map, 47);
  w.write_map_begin(ttype::i32, ttype::struct_, 0);
  w.write_field_begin(ttype::list, 48);
  w.write_list_begin(ttype::byte, 20);
  for (int8_t i = 0; i < 20; ++i)
    w.write_byte(i);
  w.write_field_stop();
  w.write_struct_end();
  w.flush();
  return out;
}

} // namespace

TEST_CASE("compact integers are zigzag varints", "[compact]") {
  byte_buffer buf;
  compact_writer w{buf};
  auto bytes_of = [&](auto write) {
    w.buffer().clear();
    write();
    return to_hex(w.buffer());
  };
  CHECK(bytes_of([&] { w.write_i32(0); }) == "00");
  CHECK(bytes_of([&] { w.write_i32(-1); }) == "01");
  CHECK(bytes_of([&] { w.write_i32(1); }) == "02");
  CHECK(bytes_of([&] { w.write_i32(-64); }) == "7f");
  CHECK(bytes_of([&] { w.write_i32(64); }) == "80 01");
  CHECK(bytes_of([&] { w.write_i16(-300); }) == "d7 04");
  CHECK(bytes_of([&] { w.write_i32(std::numeric_limits<int32_t>::min()); })
        == "ff ff ff ff 0f");
  CHECK(bytes_of([&] { w.write_i32(std::numeric_limits<int32_t>::max()); })
        == "fe ff ff ff 0f");
  CHECK(bytes_of([&] { w.write_i64(std::numeric_limits<int64_t>::max()); })
        == "fe ff ff ff ff ff ff ff ff 01");
  CHECK(bytes_of([&] { w.write_i64(std::numeric_limits<int64_t>::min()); })
        == "ff ff ff ff ff ff ff ff ff 01");
  CHECK(bytes_of([&] { w.write_byte(-1); }) == "ff");
  CHECK(bytes_of([&] { w.write_double(1.0); }) == "00 00 00 00 00 00 f0 3f");
  CHECK(bytes_of([&] { w.write_string("kitex"); }) == "05 6b 69 74 65 78");
  CHECK(bytes_of([&] { w.write_bool(true); }) == "01"); // container element
  CHECK(bytes_of([&] { w.write_bool(false); }) == "02");
}

TEST_CASE("compact primitives round-trip", "[compact]") {
  byte_buffer buf;
  compact_writer w{buf};
  const int32_t i32s[] = {0,
                          1,
                          -1,
                          63,
                          -64,
                          64,
                          1 << 20,
                          std::numeric_limits<int32_t>::min(),
                          std::numeric_limits<int32_t>::max()};
  const int64_t i64s[]
    = {0, -1, int64_t{1} << 40, std::numeric_limits<int64_t>::min(),
       std::numeric_limits<int64_t>::max()};
  for (auto x : i32s)
    w.write_i32(x);
  for (auto x : i64s)
    w.write_i64(x);
  w.write_i16(std::numeric_limits<int16_t>::min());
  w.write_i16(std::numeric_limits<int16_t>::max());
  w.write_byte(-128);
  w.write_double(-0.125);
  w.write_bool(true);
  w.write_bool(false);
  w.write_binary(std::string("\0\xff", 2));
  uint8_t uuid[16] = {0xde, 0xad, 0xbe, 0xef};
  w.write_uuid(uuid);
  w.flush();
  limits lim;
  compact_reader r{buf, lim};
  for (auto x : i32s) {
    int32_t y = 0;
    REQUIRE(r.read_i32(y));
    CHECK(y == x);
  }
  for (auto x : i64s) {
    int64_t y = 0;
    REQUIRE(r.read_i64(y));
    CHECK(y == x);
  }
  int16_t i16 = 0;
  REQUIRE(r.read_i16(i16));
  CHECK(i16 == std::numeric_limits<int16_t>::min());
  REQUIRE(r.read_i16(i16));
  CHECK(i16 == std::numeric_limits<int16_t>::max());
  int8_t i8 = 0;
  REQUIRE(r.read_byte(i8));
  CHECK(i8 == -128);
  double d = 0;
  REQUIRE(r.read_double(d));
  CHECK(d == -0.125);
  bool b1 = false, b2 = true;
  REQUIRE(r.read_bool(b1));
  REQUIRE(r.read_bool(b2));
  CHECK(b1);
  CHECK(!b2);
  std::string s;
  REQUIRE(r.read_binary(s));
  CHECK(s == std::string("\0\xff", 2));
  uint8_t got[16] = {};
  REQUIRE(r.read_uuid(got));
  CHECK(std::equal(got, got + 16, uuid));
  CHECK(r.remaining() == 0);
  int32_t past_end;
  CHECK(!r.read_i32(past_end));
  CHECK(r.error() == protocol_error::truncated);
}

TEST_CASE("compact field headers: short form, long form, bool in the type",
          "[compact]") {
  byte_buffer buf;
  compact_writer w{buf};
  w.write_struct_begin();
  w.write_field_begin(ttype::i32, 1); // delta 1
  w.write_i32(5);
  w.write_field_begin(ttype::string, 2);
  w.write_string("a");
  w.write_field_begin(ttype::i64, 20); // jump of 18: long form
  w.write_i64(7);
  w.write_field_begin(ttype::i16, 21);
  w.write_i16(1);
  w.write_field_begin(ttype::bool_, 22);
  w.write_bool(true);
  w.write_field_begin(ttype::bool_, 23);
  w.write_bool(false);
  w.write_field_begin(ttype::byte, -1); // negative id: long form
  w.write_byte(42);
  w.write_field_begin(ttype::i32, 5); // 6 above -1: short form again
  w.write_i32(5);
  w.write_field_begin(ttype::i32, 3); // going down: long form
  w.write_i32(5);
  w.write_field_begin(ttype::bool_, 300); // long form with a bool type
  w.write_bool(true);
  w.write_field_stop();
  w.write_struct_end();
  w.flush();
  CHECK(to_hex(buf)
        == "15 0a 18 01 61 06 28 0e 14 02 11 12 03 01 2a 65 0a 05 06 0a "
           "01 d8 04 00");
  limits lim;
  compact_reader r{buf, lim};
  REQUIRE(r.enter());
  int32_t i32 = 0;
  int64_t i64 = 0;
  int16_t i16 = 0;
  int8_t i8 = 0;
  bool b = false;
  std::string s;
  expect_field(r, ttype::i32, 1);
  REQUIRE(r.read_i32(i32));
  CHECK(i32 == 5);
  expect_field(r, ttype::string, 2);
  REQUIRE(r.read_string(s));
  CHECK(s == "a");
  expect_field(r, ttype::i64, 20);
  REQUIRE(r.read_i64(i64));
  CHECK(i64 == 7);
  expect_field(r, ttype::i16, 21);
  REQUIRE(r.read_i16(i16));
  CHECK(i16 == 1);
  expect_field(r, ttype::bool_, 22);
  REQUIRE(r.read_bool(b));
  CHECK(b);
  expect_field(r, ttype::bool_, 23);
  REQUIRE(r.read_bool(b));
  CHECK(!b);
  expect_field(r, ttype::byte, -1);
  REQUIRE(r.read_byte(i8));
  CHECK(i8 == 42);
  expect_field(r, ttype::i32, 5);
  REQUIRE(r.read_i32(i32));
  expect_field(r, ttype::i32, 3);
  REQUIRE(r.read_i32(i32));
  expect_field(r, ttype::bool_, 300);
  // Skipping a bool field reads nothing: its value was in the header.
  auto at = r.position();
  REQUIRE(r.skip(ttype::bool_));
  CHECK(r.position() == at);
  expect_field(r, ttype::stop, 0);
  r.leave();
  CHECK(r.remaining() == 0);
}

TEST_CASE("compact nested structs restore the outer field id", "[compact]") {
  byte_buffer buf;
  compact_writer w{buf};
  w.write_struct_begin();
  w.write_field_begin(ttype::struct_, 1);
  w.write_struct_begin();
  w.write_field_begin(ttype::i32, 10);
  w.write_i32(1);
  w.write_field_begin(ttype::i32, 11);
  w.write_i32(2);
  w.write_field_stop();
  w.write_struct_end();
  w.write_field_begin(ttype::i32, 2); // delta 1 from field 1, not from 11
  w.write_i32(3);
  w.write_field_stop();
  w.write_struct_end();
  w.flush();
  CHECK(to_hex(buf) == "1c a5 02 15 04 00 15 06 00");
  limits lim;
  compact_reader r{buf, lim};
  REQUIRE(r.enter());
  expect_field(r, ttype::struct_, 1);
  REQUIRE(r.enter());
  int32_t x;
  expect_field(r, ttype::i32, 10);
  REQUIRE(r.read_i32(x));
  expect_field(r, ttype::i32, 11);
  REQUIRE(r.read_i32(x));
  expect_field(r, ttype::stop, 0);
  r.leave();
  expect_field(r, ttype::i32, 2);
  REQUIRE(r.read_i32(x));
  CHECK(x == 3);
  expect_field(r, ttype::stop, 0);
  r.leave();
  CHECK(r.remaining() == 0);
  SECTION("skipping the inner struct restores it too") {
    compact_reader r2{buf, lim};
    REQUIRE(r2.enter());
    expect_field(r2, ttype::struct_, 1);
    REQUIRE(r2.skip(ttype::struct_));
    expect_field(r2, ttype::i32, 2);
  }
}

TEST_CASE("compact nesting past the fixed id stack", "[compact]") {
  limits lim;
  lim.max_depth = 200;
  byte_buffer buf;
  compact_writer w{buf};
  write_nested(w, 150);
  w.flush();
  compact_reader r{buf, lim};
  CHECK(read_nested(r, 150));
  CHECK(r.error() == protocol_error::none);
  CHECK(r.remaining() == 0);
  compact_reader r2{buf, lim};
  CHECK(r2.skip(ttype::struct_));
  CHECK(r2.remaining() == 0);
}

TEST_CASE("compact list, set and map headers", "[compact]") {
  byte_buffer buf;
  compact_writer w{buf};
  auto bytes_of = [&](auto write) {
    w.buffer().clear();
    write();
    return to_hex(w.buffer());
  };
  CHECK(bytes_of([&] {
          w.write_list_begin(ttype::i32, 3);
          for (int32_t i : {1, 2, 3})
            w.write_i32(i);
        })
        == "35 02 04 06");
  CHECK(bytes_of([&] { w.write_list_begin(ttype::byte, 14); }) == "e3");
  CHECK(bytes_of([&] { w.write_list_begin(ttype::byte, 20); }) == "f3 14");
  CHECK(bytes_of([&] { w.write_set_begin(ttype::string, 0); }) == "08");
  CHECK(bytes_of([&] { w.write_list_begin(ttype::uuid, 1); }) == "1d");
  CHECK(bytes_of([&] {
          w.write_list_begin(ttype::bool_, 2);
          w.write_bool(true);
          w.write_bool(false);
        })
        == "21 01 02");
  CHECK(bytes_of([&] { w.write_map_begin(ttype::string, ttype::i32, 0); })
        == "00");
  CHECK(bytes_of([&] { w.write_map_begin(ttype::string, ttype::i32, 1); })
        == "01 85");
  CHECK(bytes_of([&] { w.write_map_begin(ttype::map, ttype::set, 300); })
        == "ac 02 ba");
  limits lim;
  ttype k, v;
  uint32_t n = 0;
  SECTION("long list form") {
    auto in = hex("f3 14");
    in.resize(in.size() + 20, 0);
    compact_reader r{in, lim};
    REQUIRE(r.read_list_begin(k, n));
    CHECK(k == ttype::byte);
    CHECK(n == 20);
  }
  SECTION("empty map: no type byte, types read as stop") {
    auto in = hex("00 aa");
    compact_reader r{in, lim};
    REQUIRE(r.read_map_begin(k, v, n));
    CHECK(n == 0);
    CHECK(k == ttype::stop);
    CHECK(v == ttype::stop);
    CHECK(r.position() == 1);
  }
  SECTION("map<string, i32>") {
    auto in = hex("02 85 01 61 02 02 62 63 04");
    compact_reader r{in, lim};
    REQUIRE(r.read_map_begin(k, v, n));
    CHECK(k == ttype::string);
    CHECK(v == ttype::i32);
    CHECK(n == 2);
    compact_reader r2{in, lim};
    CHECK(r2.skip(ttype::map));
    CHECK(r2.remaining() == 0);
  }
  SECTION("bool elements are type 1 or 2, values 1 true, 2 or 0 false") {
    for (auto text : {"31 01 02 00", "32 01 02 00"}) {
      auto in = hex(text);
      compact_reader r{in, lim};
      REQUIRE(r.read_list_begin(k, n));
      CHECK(k == ttype::bool_);
      REQUIRE(n == 3);
      bool b[3] = {false, true, true};
      for (auto& x : b)
        REQUIRE(r.read_bool(x));
      CHECK(b[0]);
      CHECK(!b[1]);
      CHECK(!b[2]);
    }
    auto bad = hex("11 03");
    compact_reader r{bad, lim};
    CHECK(!r.skip(ttype::list));
    CHECK(r.error() == protocol_error::invalid_data);
  }
}

TEST_CASE("compact message header", "[compact]") {
  byte_buffer buf;
  compact_writer{buf}.write_message_begin("Echo", message_type::call, 1);
  CHECK(to_hex(buf) == "82 21 01 04 45 63 68 6f");
  limits lim;
  message_header h;
  compact_reader r{buf, lim};
  REQUIRE(r.read_message_begin(h));
  CHECK(h.name == "Echo");
  CHECK(h.type == message_type::call);
  CHECK(h.seq_id == 1);
  CHECK(r.remaining() == 0);
  SECTION("other types and a negative sequence id (a plain varint)") {
    buf.clear();
    compact_writer{buf}.write_message_begin("", message_type::oneway, -1);
    CHECK(to_hex(buf) == "82 81 ff ff ff ff 0f 00");
    compact_reader r2{buf, lim};
    REQUIRE(r2.read_message_begin(h));
    CHECK(h.type == message_type::oneway);
    CHECK(h.seq_id == -1);
  }
  SECTION("wrong protocol id or version") {
    for (auto text :
         {"80 01 00 01 00 00 00 00", "82 22 01 00", "83 21 01 00"}) {
      INFO(text);
      auto in = hex(text);
      compact_reader r2{in, lim};
      CHECK(!r2.read_message_begin(h));
      CHECK(r2.error() == protocol_error::bad_version);
    }
  }
}

TEST_CASE("compact skip walks every type and stops after the stop byte",
          "[compact]") {
  auto in = every_type_message();
  in.push_back(0xaa); // the next message; must not be consumed
  limits lim;
  compact_reader r{in, lim};
  message_header h;
  REQUIRE(r.read_message_begin(h));
  CHECK(h.name == "Echo");
  CHECK(h.seq_id == 7);
  REQUIRE(r.skip(ttype::struct_));
  CHECK(r.position() == in.size() - 1);
  CHECK(r.error() == protocol_error::none);
}

TEST_CASE("compact: every prefix of a message is truncated, never more",
          "[compact]") {
  auto in = every_type_message();
  limits lim;
  for (size_t n = 0; n < in.size(); ++n) {
    compact_reader r{byte_span{in}.first(n), lim};
    INFO("prefix of " << n << " of " << in.size() << " bytes");
    message_header h;
    CHECK(!(r.read_message_begin(h) && r.skip(ttype::struct_)));
    CHECK(r.error() == protocol_error::truncated);
  }
}
