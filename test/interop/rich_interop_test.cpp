// The rich IDL (test/unit/codegen/idl/rich.thrift) against a real Apache
// Thrift C++ peer (libthrift 0.17), in memory, over Binary and Compact: what
// our generated write() encodes, libthrift's generated read() decodes to the
// value libthrift itself would build, and back; in both directions a value
// survives the trip through the other implementation unchanged. Both sides
// are generated from rich.thrift without its uuid lines (libthrift 0.17 has
// no uuid); see CMakeLists.txt.

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/TProtocolException.h>
#include <thrift/transport/TBufferTransports.h>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "rich.kitex.hpp"
#include "rich_constants.h"
#include "rich_types.h"

namespace ours = kitex_test::rich;
namespace ours_shared = kitex_test::shared;
namespace theirs = apache_rich;
namespace theirs_shared = apache_shared;

// libthrift declares operator< of every struct and leaves the definition to
// the user; set<Point> and map<Point, string> need it.
bool apache_shared::Point::operator<(const Point& rhs) const {
  return x != rhs.x ? x < rhs.x : y < rhs.y;
}

namespace {

using apache::thrift::protocol::TProtocolException;
using apache::thrift::transport::TMemoryBuffer;
using kitex::remote::byte_buffer;
using kitex::remote::limits;
using kitex::remote::thrift::ttype;

struct binary {
  using writer = kitex::remote::thrift::binary_writer;
  using reader = kitex::remote::thrift::binary_reader;
  using apache = apache::thrift::protocol::TBinaryProtocol;
};

struct compact {
  using writer = kitex::remote::thrift::compact_writer;
  using reader = kitex::remote::thrift::compact_reader;
  using apache = apache::thrift::protocol::TCompactProtocol;
};

// -- the two codecs ---------------------------------------------------------

template<class P, class T>
byte_buffer our_encode(const T& x) {
  byte_buffer buf;
  typename P::writer w{buf};
  write(w, x);
  w.flush();
  return buf;
}

/// `bytes` decoded by our generated read(); nullopt unless all were read.
template<class P, class T>
std::optional<T> our_decode(const byte_buffer& bytes) {
  limits lim;
  typename P::reader r{bytes, lim};
  T x;
  if (!read(r, x) || r.remaining() != 0)
    return std::nullopt;
  return x;
}

template<class P, class T>
byte_buffer their_encode(const T& x) {
  auto mem = std::make_shared<TMemoryBuffer>();
  typename P::apache proto{mem};
  x.write(&proto);
  uint8_t* data = nullptr;
  uint32_t size = 0;
  mem->getBuffer(&data, &size);
  return byte_buffer(data, data + size);
}

/// `bytes` decoded by libthrift's generated read(); throws what it throws.
template<class P, class T>
T their_decode(const byte_buffer& bytes) {
  auto mem = std::make_shared<TMemoryBuffer>(
    const_cast<uint8_t*>(bytes.data()), static_cast<uint32_t>(bytes.size()),
    TMemoryBuffer::COPY);
  typename P::apache proto{mem};
  T x;
  x.read(&proto);
  CHECK(mem->available_read() == 0);
  return x;
}

// -- one value, built on each side --------------------------------------------

ours::Item our_item(int64_t id) {
  ours::Item x;
  x.id = id;
  if (id != 0) // item 0 has no name: an absent optional inside containers
    x.name = "item" + std::to_string(id);
  x.status = ours::Status::BANNED;
  x.where = ours_shared::Point{1, -2};
  x.created = 99;
  x.tags = {"a", "b"};
  x.corner = ours_shared::Point{-7, 8};
  return x;
}

theirs_shared::Point their_point(int32_t x, int32_t y) {
  theirs_shared::Point p;
  p.__set_x(x);
  p.__set_y(y);
  return p;
}

theirs::Item their_item(int64_t id) {
  theirs::Item x;
  x.__set_id(id);
  if (id != 0)
    x.__set_name("item" + std::to_string(id));
  x.__set_status(theirs::Status::BANNED);
  x.__set_where(their_point(1, -2));
  x.__set_created(99);
  x.__set_tags({"a", "b"});
  x.__set_corner(their_point(-7, 8));
  return x;
}

ours::Value our_value() {
  ours::Value number, text, item, inner, many;
  number.number = 5;
  text.text = "t";
  item.item = our_item(7);
  inner.many = std::vector<ours::Value>{number};
  many.many = std::vector<ours::Value>{number, text, item, inner};
  return many;
}

theirs::Value their_value() {
  theirs::Value number, text, item, inner, many;
  number.__set_number(5);
  text.__set_text("t");
  item.__set_item(their_item(7));
  inner.__set_many({number});
  many.__set_many({number, text, item, inner});
  return many;
}

// root{mid{leaf, leaf} (named: present, empty), leaf} named {"m": mid}.
ours::Tree our_tree() {
  ours::Tree leaf{"leaf", {}, std::nullopt};
  ours::Tree mid{"mid", {leaf, leaf}, std::map<std::string, ours::Tree>{}};
  ours::Tree root{"root", {mid, leaf}, std::nullopt};
  root.named.emplace();
  root.named->emplace("m", mid);
  return root;
}

theirs::Tree their_tree() {
  theirs::Tree leaf, mid, root;
  leaf.__set_label("leaf");
  mid.__set_label("mid");
  mid.__set_children({leaf, leaf});
  mid.__set_named({});
  root.__set_label("root");
  root.__set_children({mid, leaf});
  root.__set_named({{"m", mid}});
  return root;
}

const std::string blob("\0\xff\x01", 3);

ours::Rich our_rich() {
  ours::Rich r;
  r.base = ours::AllBase{true,
                         -1,
                         std::numeric_limits<int8_t>::min(),
                         std::numeric_limits<int16_t>::min(),
                         std::numeric_limits<int32_t>::max(),
                         std::numeric_limits<int64_t>::min(),
                         -1e-300,
                         "text \xc3\xa9",
                         blob};
  r.items = {our_item(1), our_item(2)};
  r.by_name = {{"one", our_item(1)}, {"", our_item(0)}};
  r.labels = {"x", "y", ""};
  r.nested = {{7, {{{"k", {1, 2, 3}}, {"e", {}}}, {}}}, {-1, {}}};
  r.grid = {{our_item(3)}, {}};
  r.status_names = {{ours::Status::ACTIVE, "on"},
                    {static_cast<ours::Status>(99), "unlisted"}};
  r.value = our_value();
  r.tree = our_tree();
  r.item_list = {our_item(5)};
  r.points = {{3, 4}, {1, 2}};
  r.point_names = {{{0, 0}, "origin"}, {{1, 1}, "one"}};
  r.flags = {true, false, true};
  r.color = ours_shared::Color::BLUE;
  r.req_text = "required";
  r.blobs = {"", std::string(3, '\0'), blob};
  r.groups = {{"g", {our_item(4), our_item(6)}}, {"none", {}}};
  return r;
}

theirs::Rich their_rich() {
  theirs::Rich r;
  theirs::AllBase b;
  b.__set_b(true);
  b.__set_by(-1);
  b.__set_small(std::numeric_limits<int8_t>::min());
  b.__set_i16v(std::numeric_limits<int16_t>::min());
  b.__set_i32v(std::numeric_limits<int32_t>::max());
  b.__set_i64v(std::numeric_limits<int64_t>::min());
  b.__set_d(-1e-300);
  b.__set_s("text \xc3\xa9");
  b.__set_bin(blob);
  r.__set_base(b);
  r.__set_items({their_item(1), their_item(2)});
  r.__set_by_name({{"one", their_item(1)}, {"", their_item(0)}});
  r.__set_labels({"x", "y", ""});
  r.__set_nested({{7, {{{"k", {1, 2, 3}}, {"e", {}}}, {}}}, {-1, {}}});
  r.__set_grid({{their_item(3)}, {}});
  r.__set_status_names({{theirs::Status::ACTIVE, "on"},
                        {static_cast<theirs::Status::type>(99), "unlisted"}});
  r.__set_value(their_value());
  r.__set_tree(their_tree());
  r.__set_item_list({their_item(5)});
  r.__set_points({their_point(3, 4), their_point(1, 2)});
  r.__set_point_names(
    {{their_point(0, 0), "origin"}, {their_point(1, 1), "one"}});
  r.__set_flags({true, false, true});
  r.__set_color(theirs_shared::Color::BLUE);
  r.__set_req_text("required");
  r.__set_blobs({"", std::string(3, '\0'), blob});
  r.__set_groups({{"g", {their_item(4), their_item(6)}}, {"none", {}}});
  return r;
}

/// Both directions for one pair of equal values `x` (ours) and `t` (theirs).
template<class P, class O, class T>
void check_both_ways(const O& x, const T& t) {
  SECTION("ours -> libthrift -> ours") {
    auto bytes = our_encode<P>(x);
    auto decoded = their_decode<P, T>(bytes);
    CHECK(decoded == t);
    auto back = their_encode<P>(decoded);
    CHECK(back == bytes); // same fields, same order, same encoding
    auto y = our_decode<P, O>(back);
    REQUIRE(y);
    CHECK(*y == x);
  }
  SECTION("libthrift -> ours -> libthrift") {
    auto bytes = their_encode<P>(t);
    auto decoded = our_decode<P, O>(bytes);
    REQUIRE(decoded);
    CHECK(*decoded == x);
    auto back = our_encode<P>(*decoded);
    CHECK(back == bytes);
    CHECK(their_decode<P, T>(back) == t);
  }
}

} // namespace

TEMPLATE_TEST_CASE("a rich value crosses libthrift both ways", "", binary,
                   compact) {
  check_both_ways<TestType>(our_rich(), their_rich());
}

TEMPLATE_TEST_CASE("absent optional fields stay absent through libthrift", "",
                   binary, compact) {
  auto x = our_rich();
  x.value.reset();
  x.tree.named.reset();
  auto t = their_rich();
  t.__isset.value = false;
  t.tree.__isset.named = false;
  t.tree.named.clear();
  SECTION("libthrift sees them unset") {
    auto decoded
      = their_decode<TestType, theirs::Rich>(our_encode<TestType>(x));
    CHECK_FALSE(decoded.__isset.value);
    CHECK_FALSE(decoded.tree.__isset.named);
    CHECK(decoded.req_text == "required");
  }
  SECTION("and so do we") {
    auto decoded = our_decode<TestType, ours::Rich>(their_encode<TestType>(t));
    REQUIRE(decoded);
    CHECK_FALSE(decoded->value);
    CHECK_FALSE(decoded->tree.named);
  }
  check_both_ways<TestType>(x, t);
}

// An optional field with a default (Rich.color = RED) starts set to it on
// both sides, as in libthrift: a value read without the field has it, and
// writes it back (docs/codegen.md).
TEMPLATE_TEST_CASE("an optional field's default agrees with libthrift's", "",
                   binary, compact) {
  CHECK(theirs::Rich{}.__isset.color);
  CHECK(theirs::Rich{}.color == theirs_shared::Color::RED);
  CHECK(ours::Rich{}.color == ours_shared::Color::RED);
  CHECK_FALSE(theirs::Rich{}.__isset.value); // no default: starts unset
  CHECK_FALSE(ours::Rich{}.value);
  SECTION("ours -> libthrift -> ours keeps RED") {
    auto x = our_rich();
    x.color = ours_shared::Color::RED;
    auto decoded
      = their_decode<TestType, theirs::Rich>(our_encode<TestType>(x));
    CHECK(decoded.__isset.color);
    CHECK(decoded.color == theirs_shared::Color::RED);
    auto back
      = our_decode<TestType, ours::Rich>(their_encode<TestType>(decoded));
    REQUIRE(back);
    CHECK(back->color == ours_shared::Color::RED);
    CHECK(*back == x);
  }
  SECTION("an absent field reads as the default on both sides") {
    auto x = our_rich();
    x.color.reset(); // not written
    auto bytes = our_encode<TestType>(x);
    auto theirs_decoded = their_decode<TestType, theirs::Rich>(bytes);
    CHECK(theirs_decoded.__isset.color);
    CHECK(theirs_decoded.color == theirs_shared::Color::RED);
    auto ours_decoded = our_decode<TestType, ours::Rich>(bytes);
    REQUIRE(ours_decoded);
    CHECK(ours_decoded->color == ours_shared::Color::RED);
  }
  // Default-constructed values are equal, field for field and byte for byte.
  check_both_ways<TestType>(ours::Rich{}, theirs::Rich{});
}

TEMPLATE_TEST_CASE("field defaults agree with libthrift's", "", binary,
                   compact) {
  ours::Item x;
  x.id = 3; // required
  theirs::Item t;
  t.__set_id(3);
  // Not the defaults by accident: the values libthrift starts with.
  CHECK(t.status == theirs::Status::ACTIVE);
  CHECK(t.created == 42);
  CHECK(t.corner == their_point(1, 100));
  check_both_ways<TestType>(x, t);
}

TEMPLATE_TEST_CASE("each union member, exceptions and an empty struct cross "
                   "libthrift",
                   "", binary, compact) {
  SECTION("a number") {
    ours::Value x;
    x.number = std::numeric_limits<int64_t>::max();
    theirs::Value t;
    t.__set_number(std::numeric_limits<int64_t>::max());
    check_both_ways<TestType>(x, t);
  }
  SECTION("an item") {
    ours::Value x;
    x.item = our_item(0);
    theirs::Value t;
    t.__set_item(their_item(0));
    check_both_ways<TestType>(x, t);
  }
  SECTION("an empty list of values") {
    ours::Value x;
    x.many.emplace();
    theirs::Value t;
    t.__set_many({});
    check_both_ways<TestType>(x, t);
  }
  SECTION("NotFound") {
    ours::NotFound x;
    x.what = "no such item";
    x.id = -9;
    theirs::NotFound t;
    t.__set_what_("no such item");
    t.__set_id(-9);
    check_both_ways<TestType>(x, t);
  }
  SECTION("Invalid") {
    ours::Invalid x;
    x.reason = "bad";
    theirs::Invalid t;
    t.__set_reason("bad");
    check_both_ways<TestType>(x, t);
  }
  SECTION("Empty") {
    check_both_ways<TestType>(ours::Empty{}, theirs::Empty{});
  }
}

TEMPLATE_TEST_CASE("both sides reject an item without its required id", "",
                   binary, compact) {
  byte_buffer bytes;
  typename TestType::writer w{bytes};
  w.write_struct_begin();
  w.write_field_begin(ttype::string, 2);
  w.write_string("nameless");
  w.write_field_stop();
  w.write_struct_end();
  CHECK_FALSE(our_decode<TestType, ours::Item>(bytes));
  CHECK_THROWS_AS((their_decode<TestType, theirs::Item>(bytes)),
                  TProtocolException);
}

TEST_CASE("the rich consts agree with libthrift's") {
  const auto& c = theirs::g_rich_constants;
  CHECK(ours::MAX_ITEMS == c.MAX_ITEMS);
  CHECK(ours::BIG == c.BIG);
  CHECK(ours::GREETING == c.GREETING);
  CHECK(ours::NAMES == c.NAMES);
  CHECK(ours::WEIGHTS == c.WEIGHTS);
  CHECK(ours::PRIMES == c.PRIMES);
  CHECK(static_cast<int32_t>(ours::DEFAULT_COLOR) == c.DEFAULT_COLOR);
  CHECK(ours::PI == c.PI);
  CHECK(static_cast<int32_t>(ours::START) == c.START);
  CHECK(ours::ORIGIN.x == c.ORIGIN.x);
  CHECK(ours::ORIGIN.y == c.ORIGIN.y);
  CHECK(static_cast<int32_t>(ours_shared::Color::BLUE)
        == theirs_shared::Color::BLUE);
}
