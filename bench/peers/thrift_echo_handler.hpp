#pragma once

// The Apache Thrift echo handler shared by the thrift-nb and thrift-th peers:
// Echo replies {action, msg} exactly as examples/echo's handler does for an
// ordinary action; Notify does nothing.

#include <string>

#include "EchoServer.h" // generated at build time from echo.thrift

namespace bench {

class thrift_echo_handler : public echo::EchoServerIf {
public:
  void Echo(echo::Response& out, const echo::Request& req) override {
    out.action = req.action;
    out.msg = req.msg;
  }

  void Notify(const echo::Request&) override {}
};

/// Splits "host:port"; returns false if there is no port.
inline bool split_host_port(const std::string& addr, std::string& host,
                            int& port) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos)
    return false;
  host = addr.substr(0, colon);
  port = std::stoi(addr.substr(colon + 1));
  return port > 0 && port < 65536;
}

} // namespace bench
