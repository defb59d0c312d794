#pragma once

// The const pass of resolve(): links identifiers in const values (consts,
// `Enum.VALUE`, `inc.CONST`) to their definitions and checks that every
// const and field default fits its declared type, following typedefs:
//   - bool takes 0 / 1 (true / false); integer types take integers in range
//     and enum values; double takes integers and doubles;
//   - string, binary, uuid and senum take string literals;
//   - an enum takes its own values, by name or number;
//   - list and set take `[...]`, map takes `{k: v}`, a struct takes
//     `{"field": value}`;
//   - an identifier naming a const fits if that const's value fits.
// Named types must be resolved first.

#include <vector>

#include "kitex/idl/diagnostic.hpp"
#include "kitex/idl/parser.hpp"
#include "kitex/idl/symbols.hpp"

namespace kitex::idl {

/// Runs the const pass over all programs of `r`, reporting to `diags`.
void check_consts(parse_result& r, const symbols& syms,
                  std::vector<diagnostic>& diags);

} // namespace kitex::idl
