#include "kitex/remote/transport.hpp"

#include "kitex/remote/protocol.hpp"

namespace kitex::remote {

const char* to_string(transport t) {
  switch (t) {
    case transport::buffered:
      return "buffered";
    case transport::framed:
      return "framed";
    case transport::ttheader:
      return "ttheader";
    case transport::ttheader_framed:
      return "ttheader-framed";
    case transport::theader:
      return "theader";
  }
  return "unknown";
}

std::optional<transport> parse_transport(std::string_view s) {
  for (auto t : {transport::buffered, transport::framed, transport::ttheader,
                 transport::ttheader_framed, transport::theader})
    if (s == to_string(t))
      return t;
  return std::nullopt;
}

const char* to_string(protocol p) {
  switch (p) {
    case protocol::binary:
      return "binary";
    case protocol::compact:
      return "compact";
  }
  return "unknown";
}

std::optional<protocol> parse_protocol(std::string_view s) {
  for (auto p : {protocol::binary, protocol::compact})
    if (s == to_string(p))
      return p;
  return std::nullopt;
}

} // namespace kitex::remote
