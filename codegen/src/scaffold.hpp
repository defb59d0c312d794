#pragma once

// The project `kitex-actor -service NAME idl.thrift` writes: the generated
// code in kitex_gen/, and a CMake project around it (CMakeLists.txt with
// find_package(KitexActor), main.cpp serving the IDL's last service, as
// Kitex does, handler.cpp with one stub per method, README.md). Files the
// user owns are written only once; kitex_gen/ is rewritten every time.

#include <string>

#include "generator.hpp"

namespace kitex::codegen {

/// The files of project `name` for `r.main()`; an error if it declares no
/// service.
[[nodiscard]] generation scaffold(const idl::parse_result& r,
                                  const std::string& name, const options& opts);

} // namespace kitex::codegen
