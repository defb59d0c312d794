#include "kitex/remote/host_port.hpp"

namespace kitex::remote {

std::optional<host_port> parse_host_port(std::string_view s) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == s.size())
    return std::nullopt;
  auto host = s.substr(0, colon);
  auto port = s.substr(colon + 1);
  for (auto c : port)
    if (c < '0' || c > '9')
      return std::nullopt;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty())
    host = "0.0.0.0";
  return host_port{std::string{host}, std::string{port}};
}

} // namespace kitex::remote
