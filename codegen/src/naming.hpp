#pragma once

// Names of generated C++ entities: identifiers safe from C++ keywords,
// snake_case of IDL names, namespaces and file names of programs.

#include <string>
#include <string_view>

#include "kitex/idl/model.hpp"

namespace kitex::codegen {

/// `GetUserInfo` -> `get_user_info`, `getHTTPCode` -> `get_http_code`.
std::string snake_case(std::string_view name);

/// `name`, with `_` appended if it is a C++ keyword or a macro of the C
/// library (`NULL`, `EOF`, ...), so any IDL identifier is usable in C++.
std::string safe_identifier(std::string_view name);

/// `text` with every character that cannot be in an identifier turned
/// into `_` (for names derived from file names).
std::string identifier_from(std::string_view text);

/// The C++ namespace of `p`: `namespace cpp a.b` -> "a::b"; the file name
/// when the IDL names no cpp (or `*`) namespace.
std::string cpp_namespace(const idl::program& p);

/// `a::b` -> `a.b` (names shown to CAF and in printouts).
std::string dotted_namespace(const std::string& ns);

/// The project name of `p`'s CAF type-ID block, e.g. "echo_echo" (namespace
/// and file name), unique per IDL file in a program.
std::string type_id_block_name(const idl::program& p);

/// "<file>.kitex.hpp" and "<file>.kitex.cpp".
std::string header_file_name(const idl::program& p);
std::string source_file_name(const idl::program& p);

} // namespace kitex::codegen
