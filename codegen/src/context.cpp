#include "context.hpp"

#include <variant>

#include "kitex/idl/resolve.hpp"
#include "naming.hpp"

namespace kitex::codegen {

namespace {

std::string base_cpp_type(idl::base_type b) {
  switch (b) {
    case idl::base_type::bool_:
      return "bool";
    case idl::base_type::byte:
    case idl::base_type::i8:
      return "int8_t";
    case idl::base_type::i16:
      return "int16_t";
    case idl::base_type::i32:
      return "int32_t";
    case idl::base_type::i64:
      return "int64_t";
    case idl::base_type::double_:
      return "double";
    case idl::base_type::string:
    case idl::base_type::binary:
      return "std::string";
    case idl::base_type::uuid:
      return "std::array<uint8_t, 16>";
  }
  return "void";
}

std::string base_wire_type(idl::base_type b) {
  switch (b) {
    case idl::base_type::bool_:
      return "bool_";
    case idl::base_type::byte:
    case idl::base_type::i8:
      return "byte";
    case idl::base_type::i16:
      return "i16";
    case idl::base_type::i32:
      return "i32";
    case idl::base_type::i64:
      return "i64";
    case idl::base_type::double_:
      return "double_";
    case idl::base_type::string:
    case idl::base_type::binary:
      return "string";
    case idl::base_type::uuid:
      return "uuid";
  }
  return "stop";
}

} // namespace

void context::error(const idl::location& at, std::string message) const {
  diagnostics.push_back(
    idl::diagnostic{at.file, at.line, at.column, std::move(message), true});
}

const idl::program& context::program(const std::string& file) const {
  return result.programs.at(file);
}

const idl::definition&
context::definition(const idl::definition_ref& ref) const {
  return program(ref.file).definitions.at(ref.index);
}

std::string context::qualify(const idl::program& owner,
                             const std::string& name) const {
  auto owner_ns = cpp_namespace(owner);
  if (owner_ns == ns)
    return name;
  return "::" + owner_ns + "::" + name;
}

std::string context::name_of(const idl::definition_ref& ref) const {
  auto& d = definition(ref);
  return qualify(program(ref.file), safe_identifier(idl::node_of(d).name));
}

const idl::type_ref& context::true_type(const idl::type_ref& t) const {
  return idl::true_type(result, t);
}

std::string context::cpp_type(const idl::type_ref& t) const {
  switch (t.kind) {
    case idl::type_kind::base:
      return base_cpp_type(t.base);
    case idl::type_kind::list:
      return "std::vector<" + cpp_type(t.params.at(0)) + ">";
    case idl::type_kind::set:
      return "std::set<" + cpp_type(t.params.at(0)) + ">";
    case idl::type_kind::map:
      return "std::map<" + cpp_type(t.params.at(0)) + ", "
             + cpp_type(t.params.at(1)) + ">";
    case idl::type_kind::named:
      if (std::holds_alternative<idl::senum_def>(definition(t.target)))
        return "std::string";
      return name_of(t.target);
  }
  return "void";
}

std::string context::wire_type(const idl::type_ref& t) const {
  auto& tt = true_type(t);
  switch (tt.kind) {
    case idl::type_kind::base:
      return "ttype::" + base_wire_type(tt.base);
    case idl::type_kind::list:
      return "ttype::list";
    case idl::type_kind::set:
      return "ttype::set";
    case idl::type_kind::map:
      return "ttype::map";
    case idl::type_kind::named:
      break;
  }
  auto& d = definition(tt.target);
  if (std::holds_alternative<idl::enum_def>(d))
    return "ttype::i32";
  if (std::holds_alternative<idl::senum_def>(d))
    return "ttype::string";
  return "ttype::struct_";
}

bool context::is_scalar(const idl::type_ref& t) const {
  auto& tt = true_type(t);
  if (tt.kind == idl::type_kind::base)
    return tt.base != idl::base_type::string
           && tt.base != idl::base_type::binary
           && tt.base != idl::base_type::uuid;
  return enum_of(t) != nullptr;
}

const idl::struct_def* context::struct_of(const idl::type_ref& t) const {
  auto& tt = true_type(t);
  if (tt.kind != idl::type_kind::named)
    return nullptr;
  return std::get_if<idl::struct_def>(&definition(tt.target));
}

const idl::enum_def* context::enum_of(const idl::type_ref& t) const {
  auto& tt = true_type(t);
  if (tt.kind != idl::type_kind::named)
    return nullptr;
  return std::get_if<idl::enum_def>(&definition(tt.target));
}

} // namespace kitex::codegen
