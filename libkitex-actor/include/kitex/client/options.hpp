#pragma once

// Client options, Kitex's client.WithXxx as with_xxx, with Kitex's defaults
// (Framed transport, 50 ms connect timeout, no RPC timeout) except the
// payload limit, which Kitex does not have.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "kitex/remote/limits.hpp"
#include "kitex/remote/protocol.hpp"
#include "kitex/remote/transport.hpp"

namespace kitex::client {

struct client_options {
  /// Target service name (Kitex WithDestService).
  std::string dest_service;
  /// This caller's own service name (Kitex WithClientBasicInfo), sent as
  /// TTHeader int key 3 when not empty.
  std::string from_service;
  /// On TTHeader, also write the integer keys Kitex's
  /// ClientTTHeaderHandler writes (to service and method, message and
  /// transport type, RPC and connect timeouts), so a server can honour the
  /// RPC timeout. The IDL service name (`isn`) and metainfo are always sent.
  bool ttheader_meta = true;
  /// On TTHeader, send a `crc32c` payload checksum (Kitex CodecConfig
  /// CRC32Check). Replies that carry one are always checked.
  bool payload_checksum = false;
  /// Static instances "host:port" (Kitex WithHostPorts).
  std::vector<std::string> host_ports;
  remote::transport transport = remote::transport::framed;
  /// Payload protocol (Kitex speaks only Binary; Compact is for Apache
  /// Thrift peers).
  remote::protocol protocol = remote::protocol::binary;
  /// Whole-call timeout; zero means none (the caller's request timeout
  /// still bounds the call).
  std::chrono::milliseconds rpc_timeout{0};
  std::chrono::milliseconds connect_timeout{50};
  /// A reply frame that started must complete within this time.
  std::chrono::milliseconds read_write_timeout{5000};
  /// Long connections kept per address; calls are pipelined on them and
  /// spread round robin.
  size_t connections_per_host = 2;
  /// Mux connections (Kitex WithMuxConnection): TTHeader with the
  /// out-of-order flag, so the server may answer in any order and tells the
  /// client with a control frame (seq id 0, `crrst`) when it shuts down.
  bool mux = false;
  remote::limits limits;
};

using option = std::function<void(client_options&)>;

option with_host_ports(std::vector<std::string> host_ports);
option with_transport_protocol(remote::transport t);
option with_protocol(remote::protocol p);
option with_from_service(std::string name);
option with_ttheader_meta(bool enable);
option with_payload_checksum(bool enable);
option with_rpc_timeout(std::chrono::milliseconds d);
option with_connect_timeout(std::chrono::milliseconds d);
option with_read_write_timeout(std::chrono::milliseconds d);
option with_long_connection(size_t connections_per_host);
/// `n` mux connections per address over TTHeader (Framed TTHeader stays
/// so; any other transport becomes TTHeader).
option with_mux_connection(size_t n);
option with_limits(remote::limits lim);

} // namespace kitex::client
