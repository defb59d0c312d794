#pragma once

// call_context — what a method's serve() function sees of the connection
// that received the call: the args bytes, the worker to call, and a
// reply_token to complete the call later from a response handler that runs
// in the same connection actor.

#include <cstdint>
#include <utility>

#include <caf/actor.hpp>
#include <caf/duration.hpp>
#include <caf/fwd.hpp>

#include "kitex/metainfo/metainfo.hpp"
#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/protocol.hpp"

namespace kitex::serviceinfo {
struct method_info;
} // namespace kitex::serviceinfo

namespace kitex::server {

/// A non-owning reference to a generic callable `f(auto& writer)`, callable
/// with the Binary or the Compact writer (the reply's protocol decides).
class body_writer {
public:
  template<class F>
  body_writer(F& f) // NOLINT: implicit on purpose
    : obj_(&f), binary_([](void* obj, remote::thrift::binary_writer& w) {
        (*static_cast<F*>(obj))(w);
      }),
      compact_([](void* obj, remote::thrift::compact_writer& w) {
        (*static_cast<F*>(obj))(w);
      }) {}

  void operator()(remote::thrift::binary_writer& w) const {
    binary_(obj_, w);
  }

  void operator()(remote::thrift::compact_writer& w) const {
    compact_(obj_, w);
  }

private:
  void* obj_;
  void (*binary_)(void*, remote::thrift::binary_writer&);
  void (*compact_)(void*, remote::thrift::compact_writer&);
};

class reply_sink;

/// Identifies one call awaiting its reply; cheap to copy into lambdas.
struct reply_token {
  reply_sink* sink = nullptr;
  const serviceinfo::method_info* method = nullptr;
  /// Identifies the call in its connection (a late reply is dropped).
  uint64_t call_id = 0;
  int32_t seq_id = 0;
  uint16_t header_flags = 0;
  uint8_t transport = 0;
  uint8_t protocol = 0;
  /// The request carried a `crc32c`: the reply carries one too.
  bool checksum = false;

  /// Writes a Reply whose result struct is written by `f(auto& writer)`.
  template<class F>
  void reply(F&& f) const;

  /// Writes an Exception (TApplicationException) for a framework error.
  void fail(const caf::error& e) const;
};

/// Implemented by the server connection actor's state.
class reply_sink {
public:
  virtual ~reply_sink();
  virtual void reply(const reply_token& tok, body_writer body) = 0;
  virtual void fail(const reply_token& tok, const caf::error& e) = 0;
};

template<class F>
void reply_token::reply(F&& f) const {
  sink->reply(*this, body_writer{f});
}

inline void reply_token::fail(const caf::error& e) const {
  sink->fail(*this, e);
}

class call_context {
public:
  virtual ~call_context();
  /// The connection actor (response handlers run in it).
  virtual caf::event_based_actor* self() = 0;
  /// The args struct's bytes.
  virtual remote::byte_span args() = 0;
  /// The protocol they are in (the reply uses the same).
  virtual remote::protocol protocol() = 0;
  /// The server's limits, for the args reader.
  virtual const remote::limits& limits() = 0;
  /// The call's metainfo (empty on transports without headers).
  virtual metainfo::handle meta() = 0;
  /// The worker that handles this call.
  virtual const caf::actor& worker() = 0;
  /// The CAF request timeout for the worker's reply. Connections return
  /// caf::infinite and enforce the handler timeout themselves: CAF 0.17
  /// keeps a clock entry for every timed request until it expires, even
  /// after the reply, which under load holds memory for the whole timeout.
  virtual caf::duration timeout() = 0;
  /// The args failed to decode with `e`: answers with a protocol-error
  /// exception.
  virtual void reject_args(remote::protocol_error e) = 0;
  /// A oneway call was handed to the worker.
  virtual void oneway_sent() = 0;
  /// Token to complete a two-way call.
  virtual reply_token token() = 0;
};

} // namespace kitex::server
