#pragma once

// client — an actor with the service's own typed interface, so the same
// caller code talks to a local service actor or to a remote one:
//
//   auto cli = kitex::client::make_client<echo::EchoServer>(rt, "echo",
//       kitex::client::with_host_ports({"127.0.0.1:8888"}));
//   self->request(cli, 2s, echo::echo_args{req}).then(...);      // in actors
//   auto r = kitex::client::call<echo::Response>(rt, cli, args); // plain code
//
// Timeouts: give the RPC timeout to the client (with_rpc_timeout; each
// connection sweeps its calls' deadlines) and, on the hot path, make the
// request itself with caf::infinite. In CAF 0.17 a finite request timeout
// costs a clock entry and a wake-up of CAF's clock thread per call, and the
// entry stays until it fires (bench/client/client_bench.cpp does it this
// way; a finite one costs it ~25 % of its CPU at c=1).
//
// Behind the handle (docs/actors.md): the client actor (pool of per-address
// connection actors, picked round robin) delegates each call to a connection
// actor, which encodes it, pipelines it on its socket, matches the reply by
// seq id and answers the caller directly.

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/unit.hpp>

#include "kitex/client/options.hpp"
#include "kitex/error.hpp"
#include "kitex/metainfo/metainfo.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/serviceinfo/service_info.hpp"

namespace kitex::client {

/// Spawns a client actor for `info` (dynamically typed; make_client casts it
/// to the service's typed interface).
caf::actor spawn_client(runtime::runtime& rt,
                        const serviceinfo::service_info& info,
                        client_options opts);

/// Kitex's NewClient(destService, opts...): a handle of Service::actor_type.
template<class Service, class... Opts>
typename Service::actor_type
make_client(runtime::runtime& rt, std::string dest_service, Opts&&... opts) {
  client_options co;
  co.dest_service = std::move(dest_service);
  (opts(co), ...);
  return caf::actor_cast<typename Service::actor_type>(
    spawn_client(rt, Service::info(), std::move(co)));
}

/// Default bound for calls made from plain code.
constexpr auto default_call_timeout = std::chrono::seconds{10};

/// Blocking call from plain (non-actor) code. Result is the method's reply
/// type, or void for oneway methods.
template<class Result, class Handle, class Args>
caf::expected<std::conditional_t<std::is_void_v<Result>, caf::unit_t, Result>>
call(runtime::runtime& rt, const Handle& target, Args args,
     caf::timespan timeout = default_call_timeout) {
  using value_type
    = std::conditional_t<std::is_void_v<Result>, caf::unit_t, Result>;
  metainfo::forward_current(args);
  caf::scoped_actor self{rt.system()};
  std::optional<value_type> val;
  caf::error err;
  auto dyn = caf::actor_cast<caf::actor>(target);
  if constexpr (std::is_void_v<Result>) {
    self->request(dyn, timeout, std::move(args))
      .receive([&] { val = caf::unit; }, [&](caf::error& e) { err = e; });
  } else {
    self->request(dyn, timeout, std::move(args))
      .receive([&](Result& r) { val = std::move(r); },
               [&](caf::error& e) { err = e; });
  }
  if (val)
    return std::move(*val);
  if (!err)
    err = make_error(errc::remote_or_network, "call ended without a reply");
  return err;
}

/// Callback form: `cb(caf::expected<Result>)` runs on a CAF thread once the
/// call completes. Non-blocking.
template<class Result, class Handle, class Args, class F>
void call_async(runtime::runtime& rt, const Handle& target, Args args, F cb,
                caf::timespan timeout = default_call_timeout) {
  metainfo::forward_current(args);
  auto dyn = caf::actor_cast<caf::actor>(target);
  rt.system().spawn([dyn, timeout, a = std::move(args),
                     cb = std::move(cb)](caf::event_based_actor* self) mutable {
    self->request(dyn, timeout, std::move(a))
      .then(
        [self, cb](Result& r) mutable {
          cb(caf::expected<Result>{std::move(r)});
          self->quit();
        },
        [self, cb](caf::error& e) mutable {
          cb(caf::expected<Result>{std::move(e)});
          self->quit();
        });
  });
}

/// Future form of call_async.
template<class Result, class Handle, class Args>
std::future<caf::expected<Result>>
call_future(runtime::runtime& rt, const Handle& target, Args args,
            caf::timespan timeout = default_call_timeout) {
  auto p = std::make_shared<std::promise<caf::expected<Result>>>();
  auto fut = p->get_future();
  call_async<Result>(
    rt, target, std::move(args),
    [p](caf::expected<Result> r) { p->set_value(std::move(r)); }, timeout);
  return fut;
}

} // namespace kitex::client
