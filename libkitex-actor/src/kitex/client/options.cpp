#include "kitex/client/options.hpp"

namespace kitex::client {

option with_host_ports(std::vector<std::string> host_ports) {
  return [hp = std::move(host_ports)](client_options& o) { o.host_ports = hp; };
}

option with_transport_protocol(remote::transport t) {
  return [t](client_options& o) { o.transport = t; };
}

option with_protocol(remote::protocol p) {
  return [p](client_options& o) { o.protocol = p; };
}

option with_from_service(std::string name) {
  return [n = std::move(name)](client_options& o) { o.from_service = n; };
}

option with_ttheader_meta(bool enable) {
  return [enable](client_options& o) { o.ttheader_meta = enable; };
}

option with_mux_connection(size_t n) {
  return [n](client_options& o) {
    o.mux = true;
    o.connections_per_host = n;
    if (o.transport != remote::transport::ttheader_framed)
      o.transport = remote::transport::ttheader;
  };
}

option with_payload_checksum(bool enable) {
  return [enable](client_options& o) { o.payload_checksum = enable; };
}

option with_rpc_timeout(std::chrono::milliseconds d) {
  return [d](client_options& o) { o.rpc_timeout = d; };
}

option with_connect_timeout(std::chrono::milliseconds d) {
  return [d](client_options& o) { o.connect_timeout = d; };
}

option with_read_write_timeout(std::chrono::milliseconds d) {
  return [d](client_options& o) { o.read_write_timeout = d; };
}

option with_long_connection(size_t connections_per_host) {
  return [n = connections_per_host](client_options& o) {
    o.connections_per_host = n == 0 ? 1 : n;
  };
}

option with_limits(remote::limits lim) {
  return [lim](client_options& o) { o.limits = lim; };
}

} // namespace kitex::client
