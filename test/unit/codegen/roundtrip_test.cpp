// The generated types of the rich IDL: values round-trip through Binary
// and Compact, defaults and consts hold their IDL values, required fields
// are enforced, unknown fields skipped, limits applied, values printed.

#include <catch2/catch.hpp>

#include "codegen_test_util.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "rich_values.hpp"

using namespace kitex;
using kitex::remote::protocol_error;
using kitex::remote::thrift::binary_writer;
using kitex::remote::thrift::ttype;
using kitex::test::decode;
using kitex::test::encode;
namespace rich = kitex_test::rich;
namespace shared = kitex_test::shared;

namespace {

template<class T>
std::optional<T> compact_round_trip(const T& x) {
  remote::byte_buffer buf;
  remote::thrift::compact_writer w{buf};
  write(w, x);
  w.flush();
  remote::limits lim;
  remote::thrift::compact_reader r{buf, lim};
  T y;
  if (!read(r, y) || r.remaining() != 0)
    return std::nullopt;
  return y;
}

/// Bytes of an Item-shaped struct written field by field by `f`.
template<class F>
remote::byte_buffer struct_bytes(F f) {
  remote::byte_buffer buf;
  binary_writer w{buf};
  f(w);
  w.write_field_stop();
  w.flush();
  return buf;
}

} // namespace

TEST_CASE("a rich value round-trips through Thrift Binary") {
  auto x = test::make_rich();
  auto bytes = encode(x);
  auto y = decode<rich::Rich>(bytes);
  REQUIRE(y.value);
  CHECK(*y.value == x);
  CHECK(encode(*y.value) == bytes);
  x.value.reset(); // optional fields may be absent
  x.color.reset();
  x.tree.named.reset();
  auto z = decode<rich::Rich>(encode(x));
  REQUIRE(z.value);
  CHECK_FALSE(z.value->value);
  // An absent optional field with a default keeps the default.
  CHECK(z.value->color == shared::Color::RED);
  x.color = shared::Color::RED;
  CHECK(*z.value == x);
}

TEST_CASE("a rich value round-trips through Thrift Compact") {
  auto x = test::make_rich();
  auto y = compact_round_trip(x);
  REQUIRE(y);
  CHECK(*y == x);
  CHECK(compact_round_trip(test::make_value()) == test::make_value());
  CHECK(compact_round_trip(rich::Empty{}) == rich::Empty{});
}

TEST_CASE("fields and consts start with their IDL defaults") {
  rich::Item item;
  CHECK(item.id == 0);
  CHECK_FALSE(item.name);
  CHECK(item.status == rich::Status::ACTIVE);
  CHECK(item.created == 42);
  CHECK(item.tags == std::vector<std::string>{"new"});
  CHECK(item.corner == shared::Point{1, 100});
  // optional with a default: starts set to it, as in Apache Thrift C++
  CHECK(rich::Rich{}.color == shared::Color::RED);
  CHECK(rich::MAX_ITEMS == 100);
  CHECK(rich::BIG == 5000000000);
  CHECK(rich::GREETING == "hello \"world\"\n");
  CHECK(rich::NAMES == std::vector<std::string>{"a", "b"});
  CHECK(rich::WEIGHTS == std::map<std::string, int32_t>{{"x", 1}, {"y", 2}});
  CHECK(rich::PRIMES == std::set<int16_t>{2, 3, 5});
  CHECK(rich::DEFAULT_COLOR == shared::Color::GREEN);
  CHECK(static_cast<int32_t>(shared::Color::BLUE) == 6);
  CHECK(rich::PI == 3.25);
  CHECK(rich::START == rich::Status::ACTIVE);
  CHECK(rich::ORIGIN == shared::Point{1, 100});
  CHECK(rich::NIL_ID[0] == 0x00);
  CHECK(rich::NIL_ID[15] == 0xff);
}

TEST_CASE("a missing required field is invalid_data") {
  auto no_id = struct_bytes([](binary_writer& w) {
    w.write_field_begin(ttype::string, 2);
    w.write_string("nameless");
  });
  auto d = decode<rich::Item>(no_id);
  CHECK_FALSE(d.value);
  CHECK(d.error == protocol_error::invalid_data);
  auto r = test::make_rich();
  r.items[1].id = 0; // still present: 0 is a value
  CHECK(decode<rich::Rich>(encode(r)).value);
}

TEST_CASE("unknown fields and fields of another type are skipped") {
  auto bytes = struct_bytes([](binary_writer& w) {
    w.write_field_begin(ttype::i64, 1);
    w.write_i64(9);
    w.write_field_begin(ttype::i32, 2); // name, but not a string
    w.write_i32(5);
    w.write_field_begin(ttype::list, 50); // unknown
    w.write_list_begin(ttype::string, 2);
    w.write_string("x");
    w.write_string("y");
    w.write_field_begin(ttype::struct_, 51); // unknown
    w.write_field_begin(ttype::i32, 1);
    w.write_i32(1);
    w.write_field_stop();
  });
  auto d = decode<rich::Item>(bytes);
  REQUIRE(d.value);
  CHECK(d.value->id == 9);
  CHECK_FALSE(d.value->name);
  CHECK(d.value->tags == std::vector<std::string>{"new"}); // default kept
}

TEST_CASE("a container whose elements have the wrong type is invalid_data") {
  auto bytes = struct_bytes([](binary_writer& w) {
    w.write_field_begin(ttype::i64, 1);
    w.write_i64(1);
    w.write_field_begin(ttype::list, 6); // tags: list<string>
    w.write_list_begin(ttype::i32, 1);
    w.write_i32(3);
  });
  CHECK(decode<rich::Item>(bytes).error == protocol_error::invalid_data);
  auto empty = struct_bytes([](binary_writer& w) {
    w.write_field_begin(ttype::i64, 1);
    w.write_i64(1);
    w.write_field_begin(ttype::list, 6);
    w.write_list_begin(ttype::i32, 0); // empty: any element type
  });
  auto d = decode<rich::Item>(empty);
  REQUIRE(d.value);
  CHECK(d.value->tags.empty());
}

TEST_CASE("the reader's limits hold for generated types") {
  // Each level is a struct and a list: 2 of the default 64.
  rich::Tree deep{"0", {}, std::nullopt};
  for (int i = 1; i < 20; ++i)
    deep = rich::Tree{std::to_string(i), {deep}, std::nullopt};
  auto bytes = encode(deep);
  CHECK(decode<rich::Tree>(bytes).value == deep);
  remote::limits shallow;
  shallow.max_depth = 20;
  CHECK(decode<rich::Tree>(bytes, shallow).error
        == protocol_error::depth_limit);
  remote::limits small;
  small.max_container_size = 2;
  auto r = test::make_rich();
  CHECK(decode<rich::Rich>(encode(r), small).error
        == protocol_error::size_limit);
  small = {};
  small.max_string_size = 3;
  CHECK(decode<rich::Rich>(encode(r), small).error
        == protocol_error::size_limit);
  auto cut = encode(r);
  cut.resize(cut.size() / 2);
  CHECK(decode<rich::Rich>(cut).error == protocol_error::truncated);
}

TEST_CASE("only the set fields of an optional or union are written") {
  rich::Item with_name = test::make_item(1);
  rich::Item without = with_name;
  without.name.reset();
  // field header (3) + length (4) + "item1" (5)
  CHECK(encode(with_name).size() == encode(without).size() + 12);
  rich::Value v;
  v.text = "abc";
  // field header (3) + length (4) + "abc" (3) + stop (1)
  CHECK(encode(v).size() == 11);
}

TEST_CASE("generated types print readably") {
  auto item = test::make_item(1);
  CHECK(to_string(item)
        == "Item{id=1, name=\"item1\", status=BANNED, where=Point{x=1, "
           "y=-2}, created=99, tags=[\"a\", \"b\"], corner=Point{x=1, "
           "y=100}}");
  item.name.reset();
  CHECK(to_string(item).find("name=null") != std::string::npos);
  CHECK(to_string(static_cast<rich::Status>(99)) == "Status(99)");
  rich::Status s;
  CHECK(from_string("INACTIVE", s));
  CHECK(s == rich::Status::INACTIVE);
  CHECK_FALSE(from_string("nope", s));
  auto base = test::make_rich().base;
  CHECK(to_string(base)
        == "AllBase{b=true, by=-1, small=127, i16v=-300, i32v=70000, "
           "i64v=-5000000000, d=2.5, s=\"text\", bin=\"\\x00\\xff\\x01\", "
           "id=00112233-4455-6677-8899-aabbccddeeff}");
  std::ostringstream os;
  os << rich::Empty{};
  CHECK(os.str() == "Empty{}");
}

TEST_CASE("generated types are ordered values usable as set and map keys") {
  auto r = test::make_rich();
  CHECK(r.points.begin()->x == 1); // sorted by (x, y)
  CHECK(shared::Point{1, 2} < shared::Point{1, 3});
  CHECK(test::make_item(1) != test::make_item(2));
  auto copy = r;
  copy.tree.children[0].label = "changed";
  CHECK(copy != r);
}
