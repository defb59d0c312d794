#pragma once

// C++ expressions for IDL const values: the initializers of generated
// consts and of field defaults. A reference to another const is replaced by
// that const's value, so an initializer never depends on declaration order.

#include <string>
#include <string_view>

#include "context.hpp"

namespace kitex::codegen {

/// A C++ expression of type `ctx.cpp_type(t)` with value `v` (checked by
/// the front end to fit `t`).
std::string const_expr(const context& ctx, const idl::type_ref& t,
                       const idl::const_value& v);

/// `s` as a C++ string literal expression (std::string when it holds NUL).
std::string string_literal(std::string_view s);

} // namespace kitex::codegen
