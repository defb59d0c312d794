#pragma once

// The project `kitex-actor -service NAME idl.thrift` writes: the generated
// code in kitex_gen/, and a CMake project around it (CMakeLists.txt with
// find_package(KitexActor), main.cpp serving the IDL's last service, as
// Kitex does, handler.cpp with one stub per method, README.md). Files the
// user owns are written only once; kitex_gen/ is rewritten every time.
//
// Like Kitex's generator, a re-run after the IDL gained methods appends
// their stubs to handler.cpp: the handler class is declared in the
// generated kitex_gen/<service>_handler.hpp and handler.cpp defines its
// member functions outside the class, so new ones go at the end of the
// file and the user's code above stays as it is.

#include <optional>
#include <string>

#include "generator.hpp"

namespace kitex::codegen {

/// A user's file of an earlier run, as it is on disk.
struct existing_file {
  /// The name warnings give it (the path the user knows).
  std::string path;
  std::string content;
};

/// The files of project `name` for `r.main()`; an error if it declares no
/// service. `handler` is handler.cpp of an earlier run, if there is one:
/// the result then holds it with stubs appended for the service's methods
/// it does not define (a `note` names them), or marks it kept if it lacks
/// none. Methods it defines that the service no longer has are warnings;
/// their code stays.
[[nodiscard]] generation scaffold(const idl::parse_result& r,
                                  const std::string& name, const options& opts,
                                  const std::optional<existing_file>& handler
                                  = std::nullopt);

} // namespace kitex::codegen
