#pragma once

// context — what every emitter needs: the parsed IDL, the program being
// generated, its C++ namespace, and the mapping of IDL types to C++.
//
// IDL -> C++:  bool -> bool, byte/i8 -> int8_t, i16/i32/i64 -> intN_t,
// double -> double, string/binary -> std::string, uuid ->
// std::array<uint8_t, 16>, list<T> -> std::vector<T>, set<T> ->
// std::set<T>, map<K,V> -> std::map<K,V>, senum -> std::string; enums,
// structs and typedefs by name (qualified when they live in another
// namespace).

#include <string>
#include <vector>

#include "kitex/idl/diagnostic.hpp"
#include "kitex/idl/model.hpp"
#include "kitex/idl/parser.hpp"

namespace kitex::codegen {

struct context {
  const idl::parse_result& result;
  const idl::program& prog;
  /// Key of `prog` in result.programs.
  std::string file;
  /// C++ namespace of `prog`, e.g. "echo" or "a::b".
  std::string ns;
  std::vector<idl::diagnostic>& diagnostics;

  /// Reports an error at `at`.
  void error(const idl::location& at, std::string message) const;

  /// The program with key `file`.
  const idl::program& program(const std::string& file) const;

  /// The definition `ref` names (resolved by the front end).
  const idl::definition& definition(const idl::definition_ref& ref) const;

  /// `name` of a definition in `owner`, qualified ("::ns::name") when
  /// `owner` has another namespace than the program being generated.
  std::string qualify(const idl::program& owner, const std::string& name) const;

  /// The C++ name of the definition `ref` names.
  std::string name_of(const idl::definition_ref& ref) const;

  /// `t` with typedefs followed.
  const idl::type_ref& true_type(const idl::type_ref& t) const;

  /// The C++ type of `t` (typedefs keep their name).
  std::string cpp_type(const idl::type_ref& t) const;

  /// The Thrift wire type of `t`, e.g. "ttype::string".
  std::string wire_type(const idl::type_ref& t) const;

  /// True for types passed by value: numbers, bools and enums.
  bool is_scalar(const idl::type_ref& t) const;

  /// The struct, union or exception `t` is (after typedefs), or nullptr.
  const idl::struct_def* struct_of(const idl::type_ref& t) const;

  /// The enum `t` is (after typedefs), or nullptr.
  const idl::enum_def* enum_of(const idl::type_ref& t) const;
};

} // namespace kitex::codegen
