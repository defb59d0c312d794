#pragma once

// Diagnostics of the Thrift IDL front end. Every problem found in an IDL file
// (syntax, missing include, unknown type, ill-typed const) is returned as a
// value; nothing throws.

#include <string>
#include <vector>

namespace kitex::idl {

/// One error or warning, at a 1-based line and byte column of `file`. A line
/// of 0 means the problem concerns the file as a whole (e.g. unreadable).
struct diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  bool error = true;
};

/// Renders `file:line:column: error: message` (or `warning:`), the format of
/// compilers, so editors can jump to it. Drops `line:column` when line is 0.
std::string to_string(const diagnostic& d);

/// True if any of `ds` is an error.
bool has_errors(const std::vector<diagnostic>& ds);

} // namespace kitex::idl
