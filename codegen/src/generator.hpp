#pragma once

// kitex::codegen — the C++ code generator of libkitex-actor. From a parsed
// and resolved IDL (kitex::idl::parse_file) it generates, per IDL file,
// `<name>.kitex.hpp` and `<name>.kitex.cpp`: the IDL types as C++ value
// types with Thrift codecs, and per service the typed actor interface,
// method descriptions, service info, handler base class and behavior
// adapter that kitex::server and kitex::client use. See docs/codegen.md.
//
//   auto parsed = kitex::idl::parse_file("echo.thrift", {"idl/"});
//   auto out = kitex::codegen::generate(parsed, {});
//   for (auto& f : out.files) ... write f.name, f.content ...

#include <cstdint>
#include <string>
#include <vector>

#include "kitex/idl/diagnostic.hpp"
#include "kitex/idl/parser.hpp"

namespace kitex::codegen {

/// The generator's version, shown by `kitex-actor --version`.
std::string version();

struct options {
  /// First CAF type ID of the generated type-ID blocks. The IDL files of
  /// one run get consecutive ranges, included files first.
  uint32_t type_id_offset = 1000;
  /// If not 0, the IDs must stay below this (kitex_generate() passes the
  /// start of the next target's range).
  uint32_t type_id_limit = 0;
};

struct generated_file {
  /// File name, relative to the output directory.
  std::string name;
  std::string content;
  /// Written only if the file does not exist yet (the user's files of a
  /// project: main.cpp, handler.cpp, ...).
  bool keep_existing = false;
  /// What writing it changes in a user's file, for the command line to
  /// print (`appended stubs for Div` when a re-run extends handler.cpp).
  std::string note;
};

struct generation {
  std::vector<generated_file> files;
  /// Errors found while generating (the IDL's own errors stay in the
  /// parse_result).
  std::vector<idl::diagnostic> diagnostics;

  bool ok() const noexcept {
    return !idl::has_errors(diagnostics);
  }
};

/// Generates the files of `r.main()` and of every file it includes.
/// `r` must be ok().
[[nodiscard]] generation generate(const idl::parse_result& r,
                                  const options& opts);

/// The IDL files of `r` in generation order: included files before the
/// files that include them, the main file last.
std::vector<std::string> generation_order(const idl::parse_result& r);

} // namespace kitex::codegen
