// Generated codecs are one template over the protocol: this codec, shaped
// like generated code, must compile and round-trip with Binary and Compact.

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using namespace kitex::remote::thrift;

namespace {

struct inner {
  bool flag = false;
  int32_t n = 0;
  friend bool operator==(const inner&, const inner&) = default;
};

struct sample {
  bool yes = false;
  bool no = true;
  int8_t i8 = 0;
  int16_t i16 = 0;
  int32_t i32 = 0;
  int64_t i64 = 0;
  double d = 0;
  std::string s;
  std::array<uint8_t, 16> id{};
  inner child;
  std::vector<inner> children;
  std::vector<bool> bits;
  std::set<std::string> names;
  std::map<std::string, int64_t> counts;
  int32_t negative_id = 0;
  friend bool operator==(const sample&, const sample&) = default;
};

template<class W>
void write(W& w, const inner& x) {
  w.write_struct_begin();
  w.write_field_begin(ttype::bool_, 1);
  w.write_bool(x.flag);
  w.write_field_begin(ttype::i32, 2);
  w.write_i32(x.n);
  w.write_field_stop();
  w.write_struct_end();
}

template<class W>
void write(W& w, const sample& x) {
  w.write_struct_begin();
  w.write_field_begin(ttype::bool_, 1);
  w.write_bool(x.yes);
  w.write_field_begin(ttype::bool_, 2);
  w.write_bool(x.no);
  w.write_field_begin(ttype::byte, 3);
  w.write_byte(x.i8);
  w.write_field_begin(ttype::i16, 4);
  w.write_i16(x.i16);
  w.write_field_begin(ttype::i32, 5);
  w.write_i32(x.i32);
  w.write_field_begin(ttype::i64, 6);
  w.write_i64(x.i64);
  w.write_field_begin(ttype::double_, 7);
  w.write_double(x.d);
  w.write_field_begin(ttype::string, 8);
  w.write_string(x.s);
  w.write_field_begin(ttype::uuid, 9);
  uint8_t id[16];
  std::copy(x.id.begin(), x.id.end(), id);
  w.write_uuid(id);
  w.write_field_begin(ttype::struct_, 30);
  write(w, x.child);
  w.write_field_begin(ttype::list, 31);
  w.write_list_begin(ttype::struct_, static_cast<uint32_t>(x.children.size()));
  for (auto& c : x.children)
    write(w, c);
  w.write_field_begin(ttype::list, 32);
  w.write_list_begin(ttype::bool_, static_cast<uint32_t>(x.bits.size()));
  for (bool b : x.bits)
    w.write_bool(b);
  w.write_field_begin(ttype::set, 33);
  w.write_set_begin(ttype::string, static_cast<uint32_t>(x.names.size()));
  for (auto& n : x.names)
    w.write_string(n);
  w.write_field_begin(ttype::map, 34);
  w.write_map_begin(ttype::string, ttype::i64,
                    static_cast<uint32_t>(x.counts.size()));
  for (auto& [k, v] : x.counts) {
    w.write_string(k);
    w.write_i64(v);
  }
  w.write_field_begin(ttype::i32, -5);
  w.write_i32(x.negative_id);
  w.write_field_begin(ttype::string, 99); // unknown to the reader
  w.write_string("skip me");
  w.write_field_stop();
  w.write_struct_end();
}

template<class R>
bool read(R& r, inner& x) {
  if (!r.enter())
    return false;
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      break;
    bool ok = id == 1 && t == ttype::bool_ ? r.read_bool(x.flag)
              : id == 2 && t == ttype::i32 ? r.read_i32(x.n)
                                           : r.skip(t);
    if (!ok)
      return false;
  }
  r.leave();
  return true;
}

template<class R>
bool read_containers(R& r, int16_t id, sample& x) {
  ttype k, v;
  uint32_t n;
  switch (id) {
    case 31:
      if (!r.read_list_begin(k, n))
        return false;
      x.children.resize(n);
      for (auto& c : x.children)
        if (!read(r, c))
          return false;
      return true;
    case 32:
      if (!r.read_list_begin(k, n))
        return false;
      for (uint32_t i = 0; i < n; ++i) {
        bool b;
        if (!r.read_bool(b))
          return false;
        x.bits.push_back(b);
      }
      return true;
    case 33:
      if (!r.read_set_begin(k, n))
        return false;
      for (uint32_t i = 0; i < n; ++i) {
        std::string s;
        if (!r.read_string(s))
          return false;
        x.names.insert(std::move(s));
      }
      return true;
    default:
      if (!r.read_map_begin(k, v, n))
        return false;
      for (uint32_t i = 0; i < n; ++i) {
        std::string s;
        int64_t c;
        if (!r.read_string(s) || !r.read_i64(c))
          return false;
        x.counts[s] = c;
      }
      return true;
  }
}

template<class R>
bool read_field(R& r, ttype t, int16_t id, sample& x) {
  switch (id) {
    case 1:
      return r.read_bool(x.yes);
    case 2:
      return r.read_bool(x.no);
    case 3:
      return r.read_byte(x.i8);
    case 4:
      return r.read_i16(x.i16);
    case 5:
      return r.read_i32(x.i32);
    case 6:
      return r.read_i64(x.i64);
    case 7:
      return r.read_double(x.d);
    case 8:
      return r.read_string(x.s);
    case 9: {
      uint8_t id[16];
      if (!r.read_uuid(id))
        return false;
      std::copy(id, id + 16, x.id.begin());
      return true;
    }
    case 30:
      return read(r, x.child);
    case 31:
    case 32:
    case 33:
    case 34:
      return read_containers(r, id, x);
    case -5:
      return r.read_i32(x.negative_id);
    default:
      return r.skip(t);
  }
}

template<class R>
bool read(R& r, sample& x) {
  if (!r.enter())
    return false;
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      break;
    if (!read_field(r, t, id, x))
      return false;
  }
  r.leave();
  return true;
}

sample make_sample() {
  sample x;
  x.yes = true;
  x.no = false;
  x.i8 = -8;
  x.i16 = -16000;
  x.i32 = -2'000'000'000;
  x.i64 = int64_t{1} << 62;
  x.d = 3.25;
  x.s = "kitex";
  x.id = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  x.child = {true, 17};
  x.children = {{false, 1}, {true, -1}, {}};
  x.bits = {true, false, true};
  x.names = {"a", "b"};
  x.counts = {{"x", -1}, {"y", 1}};
  x.negative_id = 42;
  return x;
}

struct binary_protocol {
  using reader = binary_reader;
  using writer = binary_writer;
};

struct compact_protocol {
  using reader = compact_reader;
  using writer = compact_writer;
};

} // namespace

TEMPLATE_TEST_CASE("one generated-style codec serves both protocols",
                   "[binary][compact]", binary_protocol, compact_protocol) {
  auto x = make_sample();
  byte_buffer buf;
  typename TestType::writer w{buf};
  w.write_message_begin("Sample", message_type::call, 3);
  write(w, x);
  w.flush();
  limits lim;
  typename TestType::reader r{buf, lim};
  message_header h;
  REQUIRE(r.read_message_begin(h));
  CHECK(h.name == "Sample");
  sample y;
  REQUIRE(read(r, y));
  CHECK(r.remaining() == 0);
  CHECK(y == x);
  SECTION("empty containers and default values") {
    sample empty;
    buf.clear();
    write(w, empty);
    w.flush();
    typename TestType::reader r2{buf, lim};
    sample z;
    z.no = false;
    REQUIRE(read(r2, z));
    CHECK(z == empty);
  }
}

TEST_CASE("binary write_struct_begin/end write nothing", "[binary]") {
  byte_buffer buf;
  binary_writer w{buf};
  w.write_struct_begin();
  w.write_struct_end();
  CHECK(w.buffer().empty());
}
