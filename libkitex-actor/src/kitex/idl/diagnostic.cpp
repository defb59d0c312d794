#include "kitex/idl/diagnostic.hpp"

#include <algorithm>

namespace kitex::idl {

std::string to_string(const diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ':';
    out += std::to_string(d.line);
    out += ':';
    out += std::to_string(d.column);
  }
  out += d.error ? ": error: " : ": warning: ";
  out += d.message;
  return out;
}

bool has_errors(const std::vector<diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(),
                     [](const diagnostic& d) { return d.error; });
}

} // namespace kitex::idl
