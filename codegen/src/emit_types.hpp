#pragma once

// Emitters of the IDL types: enums, typedefs, consts, and structs (IDL
// structs, unions, exceptions and the args/result structs of methods). Each
// struct gets value semantics (==, <=>), operator<< / to_string, a CAF
// inspect(), and read()/write() templates over the protocol, defined in the
// .cpp and explicitly instantiated there for every protocol in protocols().

#include <string>
#include <vector>

#include "code_writer.hpp"
#include "context.hpp"

namespace kitex::codegen {

/// A protocol the generated codecs are instantiated for.
struct protocol {
  /// Header that defines it, e.g. "kitex/remote/codec/thrift/...".
  std::string header;
  std::string reader;
  std::string writer;
};

/// The protocols of every generated .cpp (the single place to add one).
const std::vector<protocol>& protocols();

/// `a::b::name` -> `name`.
std::string short_name(const std::string& qualified);

/// A struct as the emitters see it.
struct struct_view {
  const idl::struct_def* def = nullptr;
  /// Unqualified C++ name.
  std::string name;
  /// Name shown by to_string(), e.g. "Request" or "EchoServer.Echo.args".
  std::string display_name;
  /// Name given to CAF, e.g. "echo.Request".
  std::string type_name;
  /// An args struct: it also has the call's metainfo handle `meta`.
  bool has_meta = false;
};

/// The view of an IDL struct, union or exception of `ctx.prog`.
struct_view view_of(const context& ctx, const idl::struct_def& s);

void emit_enum_declaration(code_writer& w, const context& ctx,
                           const idl::enum_def& e);
void emit_enum_definitions(code_writer& w, const context& ctx,
                           const idl::enum_def& e);

void emit_typedef(code_writer& w, const context& ctx,
                  const idl::typedef_def& t);
void emit_senum(code_writer& w, const idl::senum_def& e);
void emit_const(code_writer& w, const context& ctx, const idl::const_def& c);

/// The struct with its operators and the declarations of its functions.
void emit_struct_declaration(code_writer& w, const context& ctx,
                             const struct_view& s);
/// read(), write(), operator<< and to_string() of the struct.
void emit_struct_definitions(code_writer& w, const context& ctx,
                             const struct_view& s);
/// `template bool read<R>(R&, S&);` and the same for write.
void emit_struct_instantiations(code_writer& w, const struct_view& s,
                                const protocol& p);

/// `/// doc` lines for a node's doc comment (nothing if it has none).
void emit_doc(code_writer& w, const std::string& doc);

} // namespace kitex::codegen
