#pragma once

// The Thrift IDL model: what parse_file() builds from .thrift files and
// resolve() completes with the targets of every name. The code generator
// emits C++ from it and generic calls walk it at run time, so it keeps all
// the source says: definitions in order, annotations `(k = "v")`, doc
// comments and source locations. Plain copyable values, no CAF.
//
// A program is one file. Names are looked up in the program's own
// definitions; `inc.Name` names definition `Name` of the file included as
// `include "path/inc.thrift"`.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kitex::idl {

/// "No index", as in std::string::npos.
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// A position in an IDL file. Lines and columns count from 1; a column counts
/// bytes (a tab is one column).
struct location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One `key = "value"` of an annotation list. A key given without a value
/// gets the value "1", as in Apache Thrift.
struct annotation {
  std::string key;
  std::string value;
  location loc;
};

using annotation_list = std::vector<annotation>;

/// The value of the first annotation named `key`, or nullptr.
const std::string* find_annotation(const annotation_list& xs,
                                   std::string_view key);

/// Where a resolved name points; filled by resolve().
struct definition_ref {
  /// Key of the program in parse_result::programs.
  std::string file;
  /// Index into program::definitions.
  std::size_t index = npos;
  /// Index into enum_def::values when the name is an enum value.
  std::size_t value = npos;

  bool resolved() const noexcept {
    return index != npos;
  }
};

// -- types --------------------------------------------------------------------

/// Thrift base types. `byte` and `i8` are the same on the wire; both are
/// kept so generated code can follow the spelling.
enum class base_type : uint8_t {
  bool_,
  byte,
  i8,
  i16,
  i32,
  i64,
  double_,
  string,
  binary,
  uuid,
};

/// The IDL spelling of `t`, e.g. "i32".
std::string_view to_string(base_type t) noexcept;

enum class type_kind : uint8_t { base, list, set, map, named };

/// A type as written where it is used: a base type, a container, or a name.
struct type_ref {
  type_kind kind = type_kind::base;
  base_type base = base_type::i32;
  /// Element type of a list or set; key then value type of a map.
  std::vector<type_ref> params;
  /// For named types, the name as written: "Foo" or "inc.Foo".
  std::string name;
  /// The `cpp_type "..."` of a container, empty if none.
  std::string cpp_type;
  annotation_list annotations;
  location loc;
  /// For named types, the typedef, enum, senum or struct it names.
  definition_ref target;
};

/// The IDL spelling of `t`, e.g. "map<string,list<inc.Foo>>".
std::string to_string(const type_ref& t);

/// Builds a base type (for tests and generated models).
type_ref make_base_type(base_type t);

// -- const values -------------------------------------------------------------

enum class const_kind : uint8_t {
  integer,
  floating,
  string,
  identifier,
  list,
  map,
};

struct const_entry;

/// A const literal, nested to any depth. `true` and `false` are integers 1
/// and 0 (as in Apache Thrift) whose `text` keeps the spelling.
struct const_value {
  const_kind kind = const_kind::integer;
  int64_t integer = 0;
  double floating = 0;
  /// A decoded string literal, or an identifier such as `Color.RED`,
  /// `MAX_SIZE` or `inc.Color.RED`.
  std::string text;
  /// Elements of a list literal `[...]`.
  std::vector<const_value> list;
  /// Entries of a map literal `{k: v, ...}`, in source order.
  std::vector<const_entry> map;
  location loc;
  /// For identifiers, the const or enum value it names.
  definition_ref target;
};

struct const_entry {
  const_value key;
  const_value value;
};

// -- definitions --------------------------------------------------------------

/// What every named node has.
struct node {
  std::string name;
  annotation_list annotations;
  /// Text of the `/** ... */` or `///` comment right before the node, with
  /// the comment markers removed; empty if none.
  std::string doc;
  location loc;
};

enum class requiredness : uint8_t { default_, required, optional };

/// A field of a struct, union or exception, a parameter or a `throws` entry.
struct field : node {
  /// Field id. Fields written without an id get -1, -2, ... in order, as
  /// Apache Thrift assigns them.
  int id = 0;
  bool implicit_id = false;
  requiredness req = requiredness::default_;
  type_ref type;
  std::optional<const_value> default_value;
};

struct typedef_def : node {
  type_ref type;
};

struct enum_value : node {
  int32_t value = 0;
  /// False if the value was implied: 0 for the first, else previous + 1.
  bool explicit_value = false;
};

struct enum_def : node {
  std::vector<enum_value> values;

  /// Index of the value named `wanted`, or npos.
  std::size_t find(std::string_view wanted) const noexcept;
};

/// A string enum (deprecated in Thrift, accepted for old IDLs).
struct senum_def : node {
  std::vector<std::string> values;
};

struct const_def : node {
  type_ref type;
  const_value value;
};

enum class struct_kind : uint8_t { struct_, union_, exception };

/// A struct, union or exception.
struct struct_def : node {
  struct_kind kind = struct_kind::struct_;
  std::vector<field> fields;

  /// Index of the field named `wanted`, or npos.
  std::size_t find(std::string_view wanted) const noexcept;
};

struct function : node {
  bool oneway = false;
  /// Empty for `void`.
  std::optional<type_ref> return_type;
  std::vector<field> params;
  std::vector<field> throws;
};

struct service_def : node {
  /// The extended service as written ("Base" or "inc.Base"); empty if none.
  std::string extends;
  location extends_loc;
  /// The extended service; filled by resolve().
  definition_ref extends_target;
  std::vector<function> functions;
};

using definition = std::variant<typedef_def, enum_def, senum_def, const_def,
                                struct_def, service_def>;

/// The name, annotations, doc and location of any definition.
const node& node_of(const definition& d) noexcept;

/// "typedef", "enum", "senum", "const", "struct", "union", "exception" or
/// "service".
std::string_view kind_name(const definition& d) noexcept;

// -- programs -----------------------------------------------------------------

struct namespace_decl {
  /// The language ("cpp", "go", ...) or "*".
  std::string language;
  std::string name;
  annotation_list annotations;
  location loc;
};

struct include_decl {
  /// The path as written in the IDL.
  std::string path;
  /// Key of the included program in parse_result::programs.
  std::string file;
  /// The prefix that names its definitions: the file name without
  /// directory and `.thrift`.
  std::string name;
  location loc;
};

/// One IDL file.
struct program {
  /// The path the file was read from (or the virtual name of a string).
  std::string path;
  /// The file name without directory and extension.
  std::string name;
  std::vector<namespace_decl> namespaces;
  std::vector<include_decl> includes;
  std::vector<std::string> cpp_includes;
  std::vector<definition> definitions;

  /// The namespace for `language`, else the `*` one, else nullptr.
  const std::string* namespace_for(std::string_view language) const noexcept;

  /// Index of the definition named `wanted`, or npos.
  std::size_t find(std::string_view wanted) const noexcept;
};

} // namespace kitex::idl
