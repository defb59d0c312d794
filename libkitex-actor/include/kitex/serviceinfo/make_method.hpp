#pragma once

// make_method<M>() turns a method description M into a method_info. M is a
// struct (generated per IDL method) with:
//
//   static constexpr const char* name;      // IDL method name
//   static constexpr bool oneway;
//   using args_type = ...;                  // the typed message to a worker
//   using result_type = ...;                // the worker's reply type
//   template <class Reader> static bool read_args(Reader&, args_type&);
//   template <class Writer> static void write_args(Writer&, const args_type&);
//   template <class Writer>
//   static void write_result(Writer&, const result_type&);
//   static bool is_declared(const caf::error&);      // IDL exception?
//   template <class Writer>
//   static void write_exception(Writer&, const caf::error&);
//   template <class Reader>
//   static caf::expected<result_type> read_result(Reader&);
//
// Reader and Writer are the Binary and Compact readers and writers: a call
// is answered in the protocol it came in.
//
// Oneway methods need only name, oneway, args_type, read_args, write_args.
// A void method that is not oneway has result_type caf::unit_t: its worker
// replies with no value (a `caf::reacts_to` handler), write_result takes
// caf::unit_t and read_result returns caf::expected<caf::unit_t>.

#include <type_traits>
#include <utility>

#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/response_promise.hpp>
#include <caf/type_erased_tuple.hpp>
#include <caf/unit.hpp>

#include "kitex/metainfo/metainfo.hpp"
#include "kitex/remote/codec/envelope.hpp"
#include "kitex/remote/codec/with_reader.hpp"
#include "kitex/server/call_context.hpp"
#include "kitex/serviceinfo/service_info.hpp"

namespace kitex::serviceinfo {

namespace detail {

template<class M>
bool matches(const caf::type_erased_tuple& msg) {
  return msg.size() == 1 && msg.match_element<typename M::args_type>(0);
}

template<class M>
void write_args(remote::frame_encoder& enc, const caf::type_erased_tuple& msg) {
  auto& args = msg.get_as<typename M::args_type>(0);
  enc.write_body([&](auto& w) { M::write_args(w, args); });
}

template<class M>
std::shared_ptr<metainfo::call_meta>
meta_of(const caf::type_erased_tuple& msg) {
  auto& args = msg.get_as<typename M::args_type>(0);
  if constexpr (requires { args.meta.ptr; })
    return args.meta.ptr;
  else
    return nullptr;
}

template<class M>
void deliver_result(remote::protocol p, remote::byte_span body,
                    const remote::limits& lim, caf::response_promise& rp) {
  if constexpr (M::oneway) {
    rp.deliver(caf::unit);
  } else {
    auto res = remote::with_reader(p, body, lim,
                                   [](auto& r) { return M::read_result(r); });
    if (!res)
      rp.deliver(std::move(res.error()));
    else if constexpr (std::is_same_v<typename M::result_type, caf::unit_t>)
      rp.deliver(caf::unit); // expected<unit_t> holds no value
    else
      rp.deliver(std::move(*res));
  }
}

/// Sends `args` to the call's worker and completes the call with the
/// worker's reply: the result, a declared exception, or a framework error.
template<class M>
void await_worker(server::call_context& call, typename M::args_type args) {
  auto tok = call.token();
  auto on_error = [tok](caf::error& err) {
    if (M::is_declared(err))
      tok.reply([&](auto& w) { M::write_exception(w, err); });
    else
      tok.fail(err);
  };
  auto pending
    = call.self()->request(call.worker(), call.timeout(), std::move(args));
  if constexpr (std::is_same_v<typename M::result_type, caf::unit_t>) {
    // A void method's worker answers with an empty message.
    pending.then(
      [tok] { tok.reply([&](auto& w) { M::write_result(w, caf::unit); }); },
      on_error);
  } else {
    pending.then(
      [tok](typename M::result_type& res) {
        tok.reply([&](auto& w) { M::write_result(w, res); });
      },
      on_error);
  }
}

template<class M>
void serve(server::call_context& call) {
  typename M::args_type args;
  auto err = remote::with_reader(
    call.protocol(), call.args(), call.limits(), [&](auto& r) {
      return M::read_args(r, args) ? remote::protocol_error::none
                                   : remote::failure_of(r);
    });
  if (err != remote::protocol_error::none) {
    call.reject_args(err);
    return;
  }
  if constexpr (requires { args.meta; })
    args.meta = call.meta();
  if constexpr (M::oneway) {
    call.self()->send(call.worker(), std::move(args));
    call.oneway_sent();
  } else {
    await_worker<M>(call, std::move(args));
  }
}

} // namespace detail

template<class M>
method_info make_method() {
  method_info m;
  m.name = M::name;
  m.oneway = M::oneway;
  m.matches = detail::matches<M>;
  m.write_args = detail::write_args<M>;
  m.meta_of = detail::meta_of<M>;
  m.deliver_result = detail::deliver_result<M>;
  m.serve = detail::serve<M>;
  return m;
}

} // namespace kitex::serviceinfo
