#pragma once

// Protocol dispatch at the edge of generated code: with_reader() builds the
// reader of a message's protocol and hands it to a generic callable, so the
// generated read() templates run with no virtual call per field.

#include <utility>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/protocol.hpp"

namespace kitex::remote {

/// Calls `f(reader)` with a reader of protocol `p` over `in` and returns
/// what it returns.
template<class F>
decltype(auto) with_reader(protocol p, byte_span in, const limits& lim, F&& f) {
  if (p == protocol::compact) {
    thrift::compact_reader r{in, lim};
    return std::forward<F>(f)(r);
  }
  thrift::binary_reader r{in, lim};
  return std::forward<F>(f)(r);
}

/// The first error of a reader whose read returned false; a read that
/// failed without recording one is invalid data.
template<class Reader>
protocol_error failure_of(const Reader& r) {
  auto e = r.error();
  return e == protocol_error::none ? protocol_error::invalid_data : e;
}

} // namespace kitex::remote
