// Encode and decode of generated types, ours (binary_writer into a reused
// byte_buffer, binary_reader) against libthrift 0.17's generated code
// (TBinaryProtocol over a reused TMemoryBuffer): the echo Request with a
// 1 KiB msg, and the rich IDL's Rich struct (test/interop builds both
// libthrift sides, namespaces apache_echo and apache_rich).

#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "echo.kitex.hpp"
#include "echo_types.h"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "rich.kitex.hpp"
#include "rich_types.h"

bool apache_shared::Point::operator<(const Point& rhs) const {
  return x != rhs.x ? x < rhs.x : y < rhs.y;
}

namespace {

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TMemoryBuffer;
namespace ours = kitex_test::rich;

echo::Request our_request() {
  return echo::Request{"echo", std::string(1024, 'x')};
}

apache_echo::Request their_request() {
  apache_echo::Request x;
  x.__set_action("echo");
  x.__set_msg(std::string(1024, 'x'));
  return x;
}

ours::Item our_item(int64_t id) {
  ours::Item x;
  x.id = id;
  x.name = "item" + std::to_string(id);
  x.where = kitex_test::shared::Point{1, -2};
  x.tags = {"a", "b", "c"};
  return x;
}

/// A Rich with 16 items in lists and maps, a tree and nested containers.
ours::Rich our_rich() {
  ours::Rich r;
  r.base = ours::AllBase{true, 1, 2, 3, 4, 5, 6.5, "text", "bin"};
  for (int i = 0; i < 8; ++i) {
    r.items.push_back(our_item(i));
    r.by_name.emplace("k" + std::to_string(i), our_item(i));
  }
  r.labels = {"x", "y", "z"};
  r.nested = {{7, {{{"k", {1, 2, 3}}, {"e", {}}}}}};
  r.grid = {{our_item(3)}, {our_item(4)}};
  r.status_names = {{ours::Status::ACTIVE, "on"}};
  ours::Tree leaf{"leaf", {}, std::nullopt};
  r.tree = ours::Tree{"root", {leaf, leaf, leaf}, std::nullopt};
  r.points = {{3, 4}, {1, 2}};
  r.flags = {true, false, true};
  r.req_text = "required";
  r.blobs = {std::string(64, 'b')};
  return r;
}

/// libthrift's Rich: our_rich() decoded by libthrift, so both are equal.
apache_rich::Rich their_rich() {
  kitex::remote::byte_buffer buf;
  kitex::remote::thrift::binary_writer w{buf};
  write(w, our_rich());
  w.flush();
  auto mem = std::make_shared<TMemoryBuffer>(buf.data(), buf.size(),
                                             TMemoryBuffer::COPY);
  TBinaryProtocol proto{mem};
  apache_rich::Rich x;
  x.read(&proto);
  return x;
}

template<class T>
void ours_encode(benchmark::State& st, const T& x) {
  kitex::remote::byte_buffer buf;
  for (auto _ : st) {
    buf.clear();
    kitex::remote::thrift::binary_writer w{buf};
    write(w, x);
    w.flush();
    benchmark::DoNotOptimize(buf.data());
  }
  st.SetBytesProcessed(st.iterations() * buf.size());
}

template<class T>
void ours_decode(benchmark::State& st, const T& x) {
  kitex::remote::byte_buffer buf;
  kitex::remote::thrift::binary_writer w{buf};
  write(w, x);
  w.flush();
  kitex::remote::limits lim;
  for (auto _ : st) {
    kitex::remote::thrift::binary_reader r{buf, lim};
    T y;
    if (!read(r, y))
      st.SkipWithError("decode failed");
    benchmark::DoNotOptimize(y);
  }
  st.SetBytesProcessed(st.iterations() * buf.size());
}

template<class T>
void thrift_encode(benchmark::State& st, const T& x) {
  auto mem = std::make_shared<TMemoryBuffer>(4096);
  TBinaryProtocol proto{mem};
  uint32_t n = 0;
  for (auto _ : st) {
    mem->resetBuffer();
    n = x.write(&proto);
    benchmark::DoNotOptimize(n);
  }
  st.SetBytesProcessed(st.iterations() * n);
}

/// A TMemoryBuffer whose read budget (0.17's MaxMessageSize, counted across
/// resetBuffer()) can be restored between iterations.
struct reusable_buffer : TMemoryBuffer {
  using TMemoryBuffer::resetConsumedMessageSize;
};

template<class T>
void thrift_decode(benchmark::State& st, const T& x) {
  auto out = std::make_shared<TMemoryBuffer>(4096);
  TBinaryProtocol wproto{out};
  auto n = x.write(&wproto);
  std::string bytes = out->getBufferAsString();
  auto mem = std::make_shared<reusable_buffer>();
  TBinaryProtocol proto{mem};
  for (auto _ : st) {
    mem->resetBuffer(reinterpret_cast<uint8_t*>(bytes.data()),
                     static_cast<uint32_t>(bytes.size()));
    mem->resetConsumedMessageSize();
    T y;
    y.read(&proto);
    benchmark::DoNotOptimize(y);
  }
  st.SetBytesProcessed(st.iterations() * n);
}

} // namespace

BENCHMARK_CAPTURE(ours_encode, echo_request, our_request());
BENCHMARK_CAPTURE(thrift_encode, echo_request, their_request());
BENCHMARK_CAPTURE(ours_decode, echo_request, our_request());
BENCHMARK_CAPTURE(thrift_decode, echo_request, their_request());
BENCHMARK_CAPTURE(ours_encode, rich, our_rich());
BENCHMARK_CAPTURE(thrift_encode, rich, their_rich());
BENCHMARK_CAPTURE(ours_decode, rich, our_rich());
BENCHMARK_CAPTURE(thrift_decode, rich, their_rich());

BENCHMARK_MAIN();
