#pragma once

// The generated view of IDL services: per method an args struct, a result
// struct and a method description; per service a typed actor interface, a
// handler base class, a behavior adapter and the service traits.
//
// Names (the project's convention): for method `GetUser` of service
// `UserService`, `get_user_args`, `get_user_result` and `get_user_method`
// (prefixed with `user_service_` if another service of the file has a
// method of that name); interface `user_service_actor`; handler
// `UserServiceHandler`; traits `UserService`.

#include <string>
#include <vector>

#include "context.hpp"
#include "emit_types.hpp"

namespace kitex::codegen {

struct method_view {
  /// The program and service that declare the method.
  const idl::program* prog = nullptr;
  const idl::service_def* service = nullptr;
  const idl::function* fn = nullptr;
  /// Unqualified C++ names, in the namespace of `prog`.
  std::string args;
  std::string result;
  std::string desc;
  /// The args struct (the parameters) and the result struct (field 0
  /// `success` unless void, then the declared exceptions, all optional).
  idl::struct_def args_def;
  idl::struct_def result_def;

  bool oneway() const noexcept {
    return fn->oneway;
  }

  bool returns_value() const noexcept {
    return !fn->oneway && fn->return_type.has_value();
  }
};

/// The methods `s` (a service of `p`) declares itself.
std::vector<method_view> own_methods(const idl::program& p,
                                     const idl::service_def& s);

/// Every method `s` answers: those of the services it extends, base first,
/// then its own.
std::vector<method_view> all_methods(const context& ctx,
                                     const idl::service_def& s);

/// Views of the args and result structs of `ms` (pointing into `ms`).
std::vector<struct_view> method_structs(const context& ctx,
                                        const std::vector<method_view>& ms);

/// `<snake service>_actor`.
std::string actor_name(const idl::service_def& s);

/// `<Service>Handler`.
std::string handler_name(const idl::service_def& s);

/// The C++ type a method replies with: "void", or its return type.
std::string reply_type(const context& ctx, const method_view& m);

/// A handler function's parameter: `const T& name`, `T name` for numbers
/// and enums, `const std::optional<T>& name` for optional ones.
std::string param_decl(const context& ctx, const idl::field& f);

/// What a handler function returns: void for oneway methods, else
/// caf::expected of the reply type (caf::expected<void> for void).
std::string handler_return(const context& ctx, const method_view& m);

/// The field id a declared exception `e` is thrown as in the services of
/// `ctx.prog` (its first use), or 1 if none throws it.
int declared_field_id(const context& ctx, const idl::struct_def& e);

} // namespace kitex::codegen
