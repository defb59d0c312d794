#include "kitex/server/options.hpp"

namespace kitex::server {

option with_service_addr(std::string host_port) {
  return [hp = std::move(host_port)](server_options& o) { o.address = hp; };
}

option with_exit_wait_time(std::chrono::milliseconds d) {
  return [d](server_options& o) { o.exit_wait_time = d; };
}

option with_read_write_timeout(std::chrono::milliseconds d) {
  return [d](server_options& o) { o.read_write_timeout = d; };
}

option with_handler_timeout(std::chrono::milliseconds d) {
  return [d](server_options& o) { o.handler_timeout = d; };
}

option with_enable_context_timeout(bool enable) {
  return [enable](server_options& o) { o.context_timeout = enable; };
}

option with_limits(remote::limits lim) {
  return [lim](server_options& o) { o.limits = lim; };
}

option with_max_connections(size_t n) {
  return [n](server_options& o) { o.max_connections = n; };
}

service_option with_workers(size_t n) {
  return [n](service_options& o) { o.workers = n == 0 ? 1 : n; };
}

service_option with_restart_policy(runtime::restart_policy p) {
  return [p](service_options& o) { o.policy = p; };
}

} // namespace kitex::server
