#pragma once

// server — a supervision tree that serves Thrift over TTHeader / Framed /
// Buffered on one port (docs/actors.md):
//
//   server supervisor (one_for_one)
//    └─ service "<Name>" supervisor (restart policy from service_options)
//        └─ workers 1..N  (the user's handler behavior)
//   acceptor (asio) → one server connection actor per socket
//
// start() binds and listens; run() = start() + wait for SIGINT/SIGTERM +
// stop(); stop() is the graceful stop: close the listener, mark replies with
// crrst, wait for in-flight calls up to exit_wait_time, close connections,
// stop the services.

#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/scheduled_actor.hpp>

#include "kitex/error.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/runtime/supervisor.hpp"
#include "kitex/server/options.hpp"
#include "kitex/serviceinfo/service_info.hpp"

namespace kitex::server {

/// Spawns one worker; called by the service supervisor on start and restart.
using worker_factory = std::function<caf::actor(caf::actor_system&)>;

/// Turns a handler exception into a kitex panic error that names the
/// exception, logs it, and lets the worker die (so it is restarted).
caf::error worker_exception_handler(caf::scheduled_actor* self,
                                    std::exception_ptr& eptr);

namespace detail {

template<class F>
struct first_arg;

template<class R, class A, class... As>
struct first_arg<R (*)(A, As...)> {
  using type = A;
};

template<class C, class R, class A, class... As>
struct first_arg<R (C::*)(A, As...) const> {
  using type = A;
};

template<class F, class = void>
struct callable_first_arg : first_arg<std::decay_t<F>> {};

template<class F>
struct callable_first_arg<F, std::void_t<decltype(&F::operator())>>
  : first_arg<decltype(&F::operator())> {};

} // namespace detail

/// Wraps a behavior function `impl(self)` (typed or dynamically typed,
/// stateful or not) into a worker factory that installs the panic handler.
template<class Impl>
worker_factory make_worker_factory(Impl impl) {
  using self_ptr = typename detail::callable_first_arg<Impl>::type;
  return [impl](caf::actor_system& sys) {
    auto h = sys.spawn([impl](self_ptr self) {
      self->set_exception_handler(worker_exception_handler);
      return impl(self);
    });
    return caf::actor_cast<caf::actor>(h);
  };
}

struct server_stats {
  uint64_t connections = 0;
  int64_t inflight = 0;
  uint64_t requests = 0;
};

class server {
public:
  server(runtime::runtime& rt, server_options opts);
  ~server();

  server(server&&) noexcept;
  server& operator=(server&&) noexcept;

  /// Registers a service; the first one is also the default for requests
  /// without an IDL service name. Call before start().
  void add_service(const serviceinfo::service_info& info,
                   worker_factory factory, service_options opts);

  /// Same, with a behavior function and with_xxx service options.
  template<class Service, class Impl, class... Opts>
  void add_service(Impl impl, Opts&&... opts) {
    service_options so;
    (opts(so), ...);
    add_service(Service::info(), make_worker_factory(std::move(impl)), so);
  }

  /// Spawns the supervision tree, binds and listens. Returns the bound port.
  [[nodiscard]] caf::expected<uint16_t> start();

  /// start(), then blocks until SIGINT/SIGTERM (or runtime::request_stop),
  /// then stop(). Returns the process exit code.
  int run();

  /// Graceful stop (idempotent, blocking up to exit_wait_time + a little).
  void stop();

  /// The bound port (0 before start).
  uint16_t port() const noexcept;

  /// The top supervisor (empty before start).
  caf::actor supervisor() const;

  /// Published worker handles of the named service (null if unknown).
  std::shared_ptr<runtime::child_handles>
  workers(const std::string& service) const;

  server_stats stats() const;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

/// Kitex's server.NewServer: make_server(rt, with_service_addr(...), ...).
template<class... Opts>
server make_server(runtime::runtime& rt, Opts&&... opts) {
  server_options so;
  (opts(so), ...);
  return server{rt, std::move(so)};
}

} // namespace kitex::server
