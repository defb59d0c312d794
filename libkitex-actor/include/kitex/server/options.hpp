#pragma once

// Server options, Kitex's server.WithXxx as with_xxx. Defaults are Kitex's
// except where Kitex's default is unsafe (it has no payload limit; we do).

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "kitex/remote/limits.hpp"
#include "kitex/runtime/supervisor.hpp"

namespace kitex::server {

struct server_options {
  /// Listen address "host:port" (Kitex: ":8888").
  std::string address = "0.0.0.0:8888";
  /// Graceful-shutdown budget for in-flight calls.
  std::chrono::milliseconds exit_wait_time{5000};
  /// A started frame must complete within this time.
  std::chrono::milliseconds read_write_timeout{5000};
  /// How long a connection waits for a worker's reply before answering
  /// with an internal-error exception.
  std::chrono::milliseconds handler_timeout{60000};
  /// Also bound a call by the caller's RPC timeout, when its TTHeader says
  /// one (int key 12; Kitex's WithEnableContextTimeout).
  bool context_timeout = false;
  /// Size and depth limits for everything read from clients.
  remote::limits limits;
  /// Connections beyond this are accepted and closed at once.
  size_t max_connections = 10000;
  /// Bytes queued for a client that does not read before it is dropped.
  size_t max_pending_write = 16 * 1024 * 1024;
  /// Restart policy of the server's own supervisor (over its services).
  runtime::restart_policy policy
    = runtime::one_for_one_policy(5, std::chrono::seconds{10});
};

using option = std::function<void(server_options&)>;

option with_service_addr(std::string host_port);
option with_exit_wait_time(std::chrono::milliseconds d);
option with_read_write_timeout(std::chrono::milliseconds d);
option with_handler_timeout(std::chrono::milliseconds d);
option with_enable_context_timeout(bool enable);
option with_limits(remote::limits lim);
option with_max_connections(size_t n);

/// Per-service options for server::add_service.
struct service_options {
  /// Worker actors running the handler; calls are spread round robin.
  size_t workers = 4;
  /// How the service supervisor restarts crashed workers. Handler panics
  /// restart the worker but do not count toward the intensity.
  runtime::restart_policy policy = service_default_policy();

  static runtime::restart_policy service_default_policy() {
    auto p = runtime::one_for_one_policy(5, std::chrono::seconds{10});
    p.panics_count = false;
    return p;
  }
};

using service_option = std::function<void(service_options&)>;

service_option with_workers(size_t n);
service_option with_restart_policy(runtime::restart_policy p);

} // namespace kitex::server
