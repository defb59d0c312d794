#include "kitex/remote/codec/thrift/binary_protocol.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "unit/remote/alloc_probe.hpp"
#include "unit/remote/hex.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using namespace kitex::remote::thrift;
using kitex::test::bytes_allocated_by;
using kitex::test::hex;
using kitex::test::to_hex;

namespace {

/// A struct value nested `levels` deep (the outer struct counts as one):
/// each level holds its child as field 1, then a stop byte.
byte_buffer nested_structs(int levels) {
  byte_buffer out;
  for (int i = 1; i < levels; ++i)
    out.insert(out.end(), {0x0c, 0x00, 0x01});
  out.insert(out.end(), static_cast<size_t>(levels), 0x00);
  return out;
}

/// A list value nested `levels` deep: list<list<...<i32>>>, one element each.
byte_buffer nested_lists(int levels) {
  byte_buffer out;
  for (int i = 1; i < levels; ++i)
    out.insert(out.end(), {0x0f, 0x00, 0x00, 0x00, 0x01});
  out.insert(out.end(), {0x08, 0x00, 0x00, 0x00, 0x00});
  return out;
}

/// A struct holding one field of every type, as generated code writes it.
byte_buffer every_type_struct() {
  byte_buffer out;
  binary_writer w{out};
  w.write_field_begin(ttype::bool_, 1);
  w.write_bool(true);
  w.write_field_begin(ttype::byte, 2);
  w.write_byte(-7);
  w.write_field_begin(ttype::double_, 3);
  w.write_double(2.5);
  w.write_field_begin(ttype::i16, 4);
  w.write_i16(-300);
  w.write_field_begin(ttype::i32, 5);
  w.write_i32(70000);
  w.write_field_begin(ttype::i64, 6);
  w.write_i64(-5);
  w.write_field_begin(ttype::string, 7);
  w.write_string("hello");
  w.write_field_begin(ttype::struct_, 8);
  w.write_field_begin(ttype::i32, 1);
  w.write_i32(1);
  w.write_field_stop();
  w.write_field_begin(ttype::map, 9);
  w.write_map_begin(ttype::string, ttype::i32, 2);
  w.write_string("a");
  w.write_i32(1);
  w.write_string("bc");
  w.write_i32(2);
  w.write_field_begin(ttype::set, 10);
  w.write_set_begin(ttype::i16, 3);
  for (int16_t x : {int16_t{1}, int16_t{2}, int16_t{3}})
    w.write_i16(x);
  w.write_field_begin(ttype::list, 11);
  w.write_list_begin(ttype::list, 2);
  w.write_list_begin(ttype::i32, 1);
  w.write_i32(9);
  w.write_list_begin(ttype::i32, 0);
  w.write_field_begin(ttype::uuid, 12);
  uint8_t id[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  w.write_uuid(id);
  w.write_field_stop();
  w.flush();
  return out;
}

} // namespace

TEST_CASE("binary protocol round-trips every primitive", "[binary]") {
  byte_buffer buf;
  binary_writer w{buf};
  w.write_bool(true);
  w.write_byte(-1);
  w.write_i16(-2);
  w.write_i32(0x01020304);
  w.write_i64(std::numeric_limits<int64_t>::min());
  w.write_double(-0.125);
  w.write_string("kitex");
  w.flush();
  CHECK(to_hex(byte_span{buf}.first(8)) == "01 ff ff fe 01 02 03 04");
  limits lim;
  binary_reader r{buf, lim};
  bool b = false;
  int8_t i8 = 0;
  int16_t i16 = 0;
  int32_t i32 = 0;
  int64_t i64 = 0;
  double d = 0;
  std::string s;
  REQUIRE(r.read_bool(b));
  REQUIRE(r.read_byte(i8));
  REQUIRE(r.read_i16(i16));
  REQUIRE(r.read_i32(i32));
  REQUIRE(r.read_i64(i64));
  REQUIRE(r.read_double(d));
  REQUIRE(r.read_string(s));
  CHECK(b);
  CHECK(i8 == -1);
  CHECK(i16 == -2);
  CHECK(i32 == 0x01020304);
  CHECK(i64 == std::numeric_limits<int64_t>::min());
  CHECK(d == -0.125);
  CHECK(s == "kitex");
  CHECK(r.remaining() == 0);
  CHECK(!r.read_bool(b));
  CHECK(r.error() == protocol_error::truncated);
}

TEST_CASE("message header is strict and rejects the old form", "[binary]") {
  byte_buffer buf;
  binary_writer{buf}.write_message_begin("Echo", message_type::call, 1);
  CHECK(to_hex(buf) == "80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01");
  limits lim;
  message_header h;
  binary_reader r{buf, lim};
  REQUIRE(r.read_message_begin(h));
  CHECK(h.name == "Echo");
  CHECK(h.type == message_type::call);
  CHECK(h.seq_id == 1);
  // Non-strict Apache form: name length first, then a type byte.
  auto old = hex("00 00 00 04 45 63 68 6f 01 00 00 00 01");
  binary_reader r2{old, lim};
  CHECK(!r2.read_message_begin(h));
  CHECK(r2.error() == protocol_error::bad_version);
}

TEST_CASE("string sizes are checked before anything is allocated",
          "[binary][limits]") {
  limits lim;
  std::string s;
  SECTION("longer than the bytes present") {
    auto in = hex("00 00 10 00 61 62");
    binary_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.read_string(s)); }) == 0);
    CHECK(r.error() == protocol_error::truncated);
  }
  SECTION("2 GiB declared") {
    auto in = hex("7f ff ff ff 61 62");
    binary_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.read_string(s)); }) == 0);
    CHECK(r.error() == protocol_error::size_limit);
  }
  SECTION("negative") {
    auto in = hex("ff ff ff fe 61 62");
    binary_reader r{in, lim};
    CHECK(!r.read_string(s));
    CHECK(r.error() == protocol_error::negative_size);
  }
  SECTION("above max_string_size") {
    lim.max_string_size = 1;
    auto in = hex("00 00 00 02 61 62");
    binary_reader r{in, lim};
    CHECK(!r.read_string(s));
    CHECK(r.error() == protocol_error::size_limit);
  }
}

TEST_CASE("list<i32> with count 0x7fffffff in 12 bytes fails fast",
          "[binary][limits]") {
  // Field 1 list<i32>, count 0x7fffffff, then one element's worth of bytes.
  auto in = hex("0f 00 01 08 7f ff ff ff 00 00 00 01");
  REQUIRE(in.size() == 12);
  limits lim;
  SECTION("above max_container_size") {
    binary_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.skip_struct_body()); }) == 0);
    CHECK(r.error() == protocol_error::size_limit);
    CHECK(r.position() == 8); // stopped at the count, no element visited
  }
  SECTION("no container limit: count x 4 bytes checked in 64 bits") {
    lim.max_container_size = std::numeric_limits<uint32_t>::max();
    binary_reader r{in, lim};
    CHECK(bytes_allocated_by([&] { CHECK(!r.skip_struct_body()); }) == 0);
    CHECK(r.error() == protocol_error::truncated);
    CHECK(r.position() == 8);
  }
}

TEST_CASE("container counts are bounded by the bytes present",
          "[binary][limits]") {
  limits lim;
  ttype k;
  ttype v;
  uint32_t n = 0;
  // map<i64, i64>: 1000 entries need 16000 bytes.
  auto map = hex("0a 0a 00 00 03 e8 00 00 00 00");
  binary_reader r{map, lim};
  CHECK(!r.read_map_begin(k, v, n));
  CHECK(r.error() == protocol_error::truncated);
  auto neg_list = hex("08 80 00 00 00");
  binary_reader r2{neg_list, lim};
  CHECK(!r2.read_list_begin(k, n));
  CHECK(r2.error() == protocol_error::negative_size);
  auto neg_map = hex("08 08 ff ff ff ff");
  binary_reader r3{neg_map, lim};
  CHECK(!r3.read_map_begin(k, v, n));
  CHECK(r3.error() == protocol_error::negative_size);
}

TEST_CASE("skip walks every type and stops after the stop byte", "[binary]") {
  auto in = every_type_struct();
  in.push_back(0xaa); // the next message; must not be consumed
  limits lim;
  binary_reader r{in, lim};
  REQUIRE(r.skip_struct_body());
  CHECK(r.position() == in.size() - 1);
  CHECK(r.error() == protocol_error::none);
}

TEST_CASE("skip reports truncation at every byte boundary", "[binary]") {
  auto in = every_type_struct();
  limits lim;
  for (size_t n = 0; n < in.size(); ++n) {
    binary_reader r{byte_span{in}.first(n), lim};
    INFO("prefix of " << n << " bytes");
    CHECK(!r.skip_struct_body());
    CHECK(r.error() == protocol_error::truncated);
  }
}

TEST_CASE("nesting deeper than max_depth fails with depth_limit",
          "[binary][limits]") {
  limits lim; // max_depth 64
  SECTION("structs") {
    auto ok = nested_structs(64);
    binary_reader r{ok, lim};
    CHECK(r.skip(ttype::struct_));
    CHECK(r.remaining() == 0);
    auto deep = nested_structs(65);
    binary_reader r2{deep, lim};
    CHECK(!r2.skip(ttype::struct_));
    CHECK(r2.error() == protocol_error::depth_limit);
  }
  SECTION("lists") {
    auto ok = nested_lists(64);
    binary_reader r{ok, lim};
    CHECK(r.skip(ttype::list));
    CHECK(r.remaining() == 0);
    auto deep = nested_lists(65);
    binary_reader r2{deep, lim};
    CHECK(!r2.skip(ttype::list));
    CHECK(r2.error() == protocol_error::depth_limit);
  }
  SECTION("a configured limit") {
    lim.max_depth = 3;
    auto deep = nested_structs(4);
    binary_reader r{deep, lim};
    CHECK(!r.skip(ttype::struct_));
    CHECK(r.error() == protocol_error::depth_limit);
  }
}

TEST_CASE("unknown ttypes are invalid data", "[binary]") {
  limits lim;
  for (int t : {0x01, 0x05, 0x07, 0x09, 0x11, 0x80, 0xff}) {
    INFO("field type " << t);
    byte_buffer in{
      static_cast<uint8_t>(t), 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00};
    binary_reader r{in, lim};
    CHECK(!r.skip_struct_body());
    CHECK(r.error() == protocol_error::invalid_data);
  }
  SECTION("as a list element type, even in an empty list") {
    auto in = hex("0f 00 01 05 00 00 00 00 00");
    binary_reader r{in, lim};
    CHECK(!r.skip_struct_body());
    CHECK(r.error() == protocol_error::invalid_data);
  }
  SECTION("as a map key type") {
    auto in = hex("0d 00 01 01 08 00 00 00 01 00 00 00 00 00");
    binary_reader r{in, lim};
    CHECK(!r.skip_struct_body());
    CHECK(r.error() == protocol_error::invalid_data);
  }
}

TEST_CASE("application exception encodes as Kitex does",
          "[binary][exception]") {
  byte_buffer buf;
  binary_writer w{buf};
  write_application_exception(
    w, {"unknown method", exception_type::unknown_method});
  w.flush();
  auto expected = hex("0b 00 01 00 00 00 0e");
  kitex::test::append(expected, "unknown method");
  auto tail = hex("08 00 02 00 00 00 01 00");
  expected.insert(expected.end(), tail.begin(), tail.end());
  CHECK(to_hex(buf) == to_hex(expected));
  limits lim;
  binary_reader r{buf, lim};
  application_exception x;
  REQUIRE(read_application_exception(r, x));
  CHECK(x.message == "unknown method");
  CHECK(x.type == exception_type::unknown_method);
  CHECK(r.remaining() == 0);
}

TEST_CASE("application exception reader skips unknown fields",
          "[binary][exception]") {
  byte_buffer buf;
  binary_writer w{buf};
  w.write_field_begin(ttype::list, 3); // unknown field
  w.write_list_begin(ttype::string, 1);
  w.write_string("x");
  w.write_field_begin(ttype::i32, 1); // known id, wrong type
  w.write_i32(5);
  w.write_field_begin(ttype::i32, 2);
  w.write_i32(1234); // not a known type id: kept as is
  w.write_field_begin(ttype::string, 1);
  w.write_string("boom");
  w.write_field_stop();
  w.flush();
  limits lim;
  binary_reader r{buf, lim};
  application_exception x;
  REQUIRE(read_application_exception(r, x));
  CHECK(x.message == "boom");
  CHECK(static_cast<int32_t>(x.type) == 1234);
  CHECK(r.remaining() == 0);
}
