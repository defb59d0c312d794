#include "kitex/remote/transport.hpp"

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
  }
  return "unknown";
}

std::optional<transport> parse_transport(std::string_view s) {
  for (auto t : {transport::buffered, transport::framed, transport::ttheader,
                 transport::ttheader_framed})
    if (s == to_string(t))
      return t;
  return std::nullopt;
}

} // namespace kitex::remote
