#pragma once

// The order of generated definitions. IDL may use a name before defining it;
// C++ may not. Enums come first and every struct is forward declared, so
// only two orders matter: a typedef after the typedefs it names, and a
// struct after the structs it holds by value (directly or in a
// std::optional), whose size it needs.

#include <vector>

#include "context.hpp"

namespace kitex::codegen {

/// The typedefs of `ctx.prog`, each after the typedefs of the same program
/// it names.
std::vector<const idl::typedef_def*> typedef_order(const context& ctx);

/// The structs, unions and exceptions of `ctx.prog`, each after those of
/// the same program it holds by value.
std::vector<const idl::struct_def*> struct_order(const context& ctx);

/// Reports structs that hold themselves by value (`struct A { 1: B b }
/// struct B { 1: A a }`): they have no C++ layout.
void check_struct_layout(const context& ctx);

} // namespace kitex::codegen
