#pragma once

// "host:port" parsing shared by servers and clients ("[::1]:8888" works too).

#include <optional>
#include <string>
#include <string_view>

namespace kitex::remote {

struct host_port {
  std::string host;
  std::string port;
};

/// Splits "host:port"; an empty host means all interfaces (":8888").
std::optional<host_port> parse_host_port(std::string_view s);

} // namespace kitex::remote
