#pragma once

// Name resolution and semantic checks of parsed IDL. resolve() fills every
// `definition_ref` of the model (named types, const identifiers, service
// `extends`) and reports:
//   - two definitions with one name in a file, clashing include names;
//   - duplicate field ids or names, function names, enum value names;
//   - unknown types, names of consts or services used as types, typedef
//     and extends cycles, an `extends` that is not a service;
//   - oneway functions that return a value or throw, `throws` entries that
//     are not exceptions;
//   - const values and field defaults that do not fit their type.
// parse_file() and parse_string() run it already; the lookup helpers below
// are for consumers of the model.

#include "kitex/idl/model.hpp"
#include "kitex/idl/parser.hpp"

namespace kitex::idl {

/// Resolves and checks all programs of `r`, appending to r.diagnostics.
/// Returns false if it found errors. Run it once per result.
[[nodiscard]] bool resolve(parse_result& r);

/// The definition `ref` points at, or nullptr if unresolved.
const definition* lookup(const parse_result& r,
                         const definition_ref& ref) noexcept;

/// The enum value `ref` points at, or nullptr if it names none.
const enum_value* lookup_enum_value(const parse_result& r,
                                    const definition_ref& ref) noexcept;

/// `t` with typedefs followed: the base, container, enum, senum or struct
/// type it stands for. Returns `t` itself if it is not a resolved typedef.
const type_ref& true_type(const parse_result& r, const type_ref& t) noexcept;

} // namespace kitex::idl
