#pragma once

// Reads Thrift IDL: a file and everything it includes, each file once. An
// include is looked up next to the including file first, then in each
// search path (`-I`) in order, as the Apache Thrift compiler does. After
// parsing, resolve() links every name to its definition and checks the
// meaning (see resolve.hpp), so a result that is ok() is ready for the code
// generator.
//
//   auto r = kitex::idl::parse_file("echo.thrift", {"idl/"});
//   if (!r.ok())
//     for (auto& d : r.diagnostics)
//       std::cerr << to_string(d) << '\n';

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kitex/idl/diagnostic.hpp"
#include "kitex/idl/model.hpp"

namespace kitex::idl {

struct parse_result {
  /// Key of the main program in `programs`.
  std::string main_file;
  /// The main program and all it includes, directly or not, keyed by
  /// canonical path (the main program of parse_string() by its virtual
  /// name). Complete and resolved only if ok().
  std::map<std::string, program> programs;
  /// Errors and warnings in the order they were found.
  std::vector<diagnostic> diagnostics;

  /// True if no diagnostic is an error.
  bool ok() const noexcept;

  /// The main program, or nullptr if it could not be read.
  const program* main() const noexcept;

  /// The program with key `file`, or nullptr.
  const program* find(const std::string& file) const noexcept;
};

/// Parses the IDL file at `path` and its includes, then resolves names.
[[nodiscard]] parse_result
parse_file(const std::string& path,
           const std::vector<std::string>& search_paths = {});

/// Parses `text` as if read from `virtual_name` (which names it in
/// diagnostics and anchors relative includes), then resolves names.
[[nodiscard]] parse_result
parse_string(std::string_view text, const std::string& virtual_name,
             const std::vector<std::string>& search_paths = {});

} // namespace kitex::idl
