#include "kitex/idl/model.hpp"

namespace kitex::idl {

const std::string* find_annotation(const annotation_list& xs,
                                   std::string_view key) {
  for (auto& x : xs)
    if (x.key == key)
      return &x.value;
  return nullptr;
}

std::string_view to_string(base_type t) noexcept {
  switch (t) {
    case base_type::bool_:
      return "bool";
    case base_type::byte:
      return "byte";
    case base_type::i8:
      return "i8";
    case base_type::i16:
      return "i16";
    case base_type::i32:
      return "i32";
    case base_type::i64:
      return "i64";
    case base_type::double_:
      return "double";
    case base_type::string:
      return "string";
    case base_type::binary:
      return "binary";
    case base_type::uuid:
      return "uuid";
  }
  return "?";
}

std::string to_string(const type_ref& t) {
  switch (t.kind) {
    case type_kind::base:
      return std::string{to_string(t.base)};
    case type_kind::named:
      return t.name;
    case type_kind::list:
    case type_kind::set: {
      std::string out = t.kind == type_kind::list ? "list<" : "set<";
      if (!t.params.empty())
        out += to_string(t.params[0]);
      return out + '>';
    }
    case type_kind::map: {
      std::string out = "map<";
      if (t.params.size() == 2)
        out += to_string(t.params[0]) + ',' + to_string(t.params[1]);
      return out + '>';
    }
  }
  return "?";
}

type_ref make_base_type(base_type t) {
  type_ref out;
  out.kind = type_kind::base;
  out.base = t;
  return out;
}

std::size_t enum_def::find(std::string_view wanted) const noexcept {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i].name == wanted)
      return i;
  return npos;
}

std::size_t struct_def::find(std::string_view wanted) const noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == wanted)
      return i;
  return npos;
}

const node& node_of(const definition& d) noexcept {
  return std::visit([](const auto& x) -> const node& { return x; }, d);
}

std::string_view kind_name(const definition& d) noexcept {
  struct visitor {
    std::string_view operator()(const typedef_def&) const {
      return "typedef";
    }
    std::string_view operator()(const enum_def&) const {
      return "enum";
    }
    std::string_view operator()(const senum_def&) const {
      return "senum";
    }
    std::string_view operator()(const const_def&) const {
      return "const";
    }
    std::string_view operator()(const struct_def& s) const {
      if (s.kind == struct_kind::union_)
        return "union";
      return s.kind == struct_kind::exception ? "exception" : "struct";
    }
    std::string_view operator()(const service_def&) const {
      return "service";
    }
  };
  return std::visit(visitor{}, d);
}

const std::string*
program::namespace_for(std::string_view language) const noexcept {
  const std::string* wildcard = nullptr;
  for (auto& ns : namespaces) {
    if (ns.language == language)
      return &ns.name;
    if (ns.language == "*" && wildcard == nullptr)
      wildcard = &ns.name;
  }
  return wildcard;
}

std::size_t program::find(std::string_view wanted) const noexcept {
  for (std::size_t i = 0; i < definitions.size(); ++i)
    if (node_of(definitions[i]).name == wanted)
      return i;
  return npos;
}

} // namespace kitex::idl
