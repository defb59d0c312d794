#include "kitex/idl/syntax.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace kitex::idl {

namespace {

/// Nesting deeper than this (types or const literals) is reported rather
/// than risking the stack.
constexpr int max_depth = 256;

// clang-format off
constexpr std::string_view reserved_words[] = {
  "binary", "bool", "byte", "const", "cpp_include",
  "double", "enum", "exception", "extends", "i16", "i32", "i64", "i8",
  "include", "list", "map", "namespace", "oneway", "optional", "required",
  "senum", "service", "set", "string", "struct", "throws", "typedef", "union",
  "void",
};

constexpr std::string_view top_level_words[] = {
  "include", "cpp_include", "namespace", "typedef", "const",
  "enum", "senum", "struct", "union", "exception", "service",
};

/// C++ keywords that are not already Thrift words: legal in an IDL, but
/// generated code cannot use them as they are.
constexpr std::string_view cpp_keywords[] = {
  "alignas", "alignof", "and", "and_eq", "asm", "auto",
  "bitand", "bitor", "break", "case", "catch", "char", "char8_t", "char16_t",
  "char32_t", "class", "co_await", "co_return", "co_yield", "compl",
  "concept", "const_cast", "consteval", "constexpr", "constinit", "continue",
  "decltype", "default", "delete", "do", "dynamic_cast", "else", "explicit",
  "export", "extern", "false", "float", "for", "friend", "goto", "if",
  "inline", "int", "long", "mutable", "new", "noexcept", "not", "not_eq",
  "nullptr", "operator", "or", "or_eq", "private", "protected", "public",
  "register", "reinterpret_cast", "requires", "return", "short", "signed",
  "sizeof", "static", "static_assert", "static_cast", "switch", "template",
  "this", "thread_local", "throw", "true", "try", "typeid", "typename",
  "unsigned", "using", "virtual", "volatile", "wchar_t", "while", "xor",
  "xor_eq",
};
// clang-format on

struct base_name {
  std::string_view word;
  base_type type;
};

constexpr std::array base_names = {
  base_name{"bool", base_type::bool_},
  base_name{"byte", base_type::byte},
  base_name{"i8", base_type::i8},
  base_name{"i16", base_type::i16},
  base_name{"i32", base_type::i32},
  base_name{"i64", base_type::i64},
  base_name{"double", base_type::double_},
  base_name{"string", base_type::string},
  base_name{"binary", base_type::binary},
  base_name{"uuid", base_type::uuid},
};

} // namespace

bool is_reserved(std::string_view word) noexcept {
  return std::find(std::begin(reserved_words), std::end(reserved_words), word)
         != std::end(reserved_words);
}

bool starts_top_level(std::string_view word) noexcept {
  return std::find(std::begin(top_level_words), std::end(top_level_words), word)
         != std::end(top_level_words);
}

void parse_tokens(const std::vector<token>& tokens, program& out,
                  std::vector<diagnostic>& diags) {
  syntax{tokens, out, diags}.run();
}

// -- tokens -------------------------------------------------------------------

const token& syntax::peek(size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const token& syntax::take() {
  const auto& t = peek();
  if (pos_ + 1 < tokens_.size())
    ++pos_;
  return t;
}

bool syntax::is_punct(char c, size_t ahead) const {
  const auto& t = peek(ahead);
  return t.kind == token_kind::punct && t.text[0] == c;
}

bool syntax::is_word(std::string_view w, size_t ahead) const {
  const auto& t = peek(ahead);
  return t.kind == token_kind::identifier && t.text == w;
}

bool syntax::at_end() const {
  return peek().kind == token_kind::end;
}

bool syntax::accept(char c) {
  if (!is_punct(c))
    return false;
  take();
  return true;
}

bool syntax::accept_word(std::string_view w) {
  if (!is_word(w))
    return false;
  take();
  return true;
}

void syntax::accept_separator() {
  if (!accept(','))
    accept(';');
}

bool syntax::expect(char c, std::string_view context) {
  if (accept(c))
    return true;
  error(peek(), std::string{"expected '"} + c + "' " + std::string{context}
                  + ", found " + describe(peek()));
  return false;
}

bool syntax::expect_name(node& n, std::string_view what) {
  const auto& t = peek();
  if (t.kind != token_kind::identifier || is_reserved(t.text)) {
    error(t, "expected " + std::string{what} + ", found " + describe(t));
    return false;
  }
  if (t.text.find('.') != std::string::npos) {
    error(t, "'" + t.text + "' is not a valid " + std::string{what}
               + ": names cannot contain '.'");
    return false;
  }
  n.name = t.text;
  n.loc = loc(t);
  if (std::find(std::begin(cpp_keywords), std::end(cpp_keywords), t.text)
      != std::end(cpp_keywords))
    warn(n.loc, "'" + t.text + "' is a C++ keyword");
  take();
  return true;
}

location syntax::loc(const token& t) const {
  return location{out_.path, t.line, t.column};
}

void syntax::error(const token& at, std::string message) {
  diags_.push_back(
    diagnostic{out_.path, at.line, at.column, std::move(message), true});
}

void syntax::warn(const location& at, std::string message) {
  diags_.push_back(
    diagnostic{at.file, at.line, at.column, std::move(message), false});
}

bool syntax::unclosed(const node& owner, std::string_view kind) {
  const auto& t = peek();
  bool keyword = t.kind == token_kind::identifier && starts_top_level(t.text);
  if (!keyword && t.kind != token_kind::end)
    return false;
  error(t, "expected '}' to close " + std::string{kind} + " '" + owner.name
             + "', found " + describe(t));
  return true;
}

// -- annotations and types ----------------------------------------------------

bool syntax::parse_annotations(annotation_list& out) {
  if (!accept('('))
    return true;
  while (!accept(')')) {
    const auto& key = peek();
    if (key.kind != token_kind::identifier) {
      error(key, "expected an annotation name or ')', found " + describe(key));
      return false;
    }
    annotation a{key.text, "1", loc(key)};
    take();
    if (accept('=')) {
      if (peek().kind != token_kind::string) {
        error(peek(), "expected a string literal as value of annotation '"
                        + a.key + "', found " + describe(peek()));
        return false;
      }
      a.value = take().text;
    }
    out.push_back(std::move(a));
    accept_separator();
  }
  return true;
}

bool syntax::parse_type(type_ref& out, int depth) {
  const auto& t = peek();
  out.loc = loc(t);
  if (depth > max_depth) {
    error(t, "types nested too deeply");
    return false;
  }
  auto base = std::find_if(base_names.begin(), base_names.end(),
                           [&](auto& b) { return is_word(b.word); });
  if (base != base_names.end()) {
    out.kind = type_kind::base;
    out.base = base->type;
    take();
  } else if (is_word("list") || is_word("set") || is_word("map")) {
    if (!parse_container(out, depth))
      return false;
  } else if (t.kind == token_kind::identifier && !is_reserved(t.text)) {
    out.kind = type_kind::named;
    out.name = t.text;
    take();
  } else {
    error(t, "expected a type, found " + describe(t));
    return false;
  }
  return parse_annotations(out.annotations);
}

bool syntax::parse_container(type_ref& out, int depth) {
  auto word = take().text;
  out.kind = word == "list"  ? type_kind::list
             : word == "set" ? type_kind::set
                             : type_kind::map;
  parse_cpp_type(out); // Thrift's place for set and map
  if (!expect('<', "after '" + word + "'"))
    return false;
  out.params.emplace_back();
  if (!parse_type(out.params.back(), depth + 1))
    return false;
  if (out.kind == type_kind::map) {
    if (!expect(',', "between the key and value types of a map"))
      return false;
    out.params.emplace_back();
    if (!parse_type(out.params.back(), depth + 1))
      return false;
  }
  if (!expect('>', "to close '" + word + "<'"))
    return false;
  parse_cpp_type(out); // Thrift's place for list
  return true;
}

void syntax::parse_cpp_type(type_ref& out) {
  if (is_word("cpp_type") && peek(1).kind == token_kind::string) {
    take();
    out.cpp_type = take().text;
  }
}

// -- const values -------------------------------------------------------------

bool syntax::parse_const_value(const_value& out, int depth) {
  const auto& t = peek();
  out.loc = loc(t);
  if (depth > max_depth) {
    error(t, "constant nested too deeply");
    return false;
  }
  switch (t.kind) {
    case token_kind::integer:
      out.kind = const_kind::integer;
      out.integer = t.integer;
      break;
    case token_kind::floating:
      out.kind = const_kind::floating;
      out.floating = t.floating;
      break;
    case token_kind::string:
      out.kind = const_kind::string;
      out.text = t.text;
      break;
    case token_kind::identifier:
      out.text = t.text;
      out.kind = t.text == "true" || t.text == "false" ? const_kind::integer
                                                       : const_kind::identifier;
      out.integer = t.text == "true" ? 1 : 0;
      break;
    default:
      if (is_punct('['))
        return parse_const_list(out, depth);
      if (is_punct('{'))
        return parse_const_map(out, depth);
      error(t, "expected a constant value, found " + describe(t));
      return false;
  }
  take();
  return true;
}

bool syntax::parse_const_list(const_value& out, int depth) {
  out.kind = const_kind::list;
  take();
  while (!accept(']')) {
    if (at_end()) {
      error(peek(), "expected ']' to close the list, found end of file");
      return false;
    }
    out.list.emplace_back();
    if (!parse_const_value(out.list.back(), depth + 1))
      return false;
    accept_separator();
  }
  return true;
}

bool syntax::parse_const_map(const_value& out, int depth) {
  out.kind = const_kind::map;
  take();
  while (!accept('}')) {
    if (at_end()) {
      error(peek(), "expected '}' to close the map, found end of file");
      return false;
    }
    out.map.emplace_back();
    auto& e = out.map.back();
    if (!parse_const_value(e.key, depth + 1)
        || !expect(':', "between a map key and its value")
        || !parse_const_value(e.value, depth + 1))
      return false;
    accept_separator();
  }
  return true;
}

// -- fields -------------------------------------------------------------------

bool syntax::parse_field_id(field& out, int& next_auto_id) {
  const auto& t = peek();
  if (t.kind != token_kind::integer || !is_punct(':', 1)) {
    out.id = next_auto_id--;
    out.implicit_id = true;
    return true;
  }
  if (t.integer < std::numeric_limits<int16_t>::min()
      || t.integer > std::numeric_limits<int16_t>::max()) {
    error(t, "field id " + t.text + " out of range for i16");
    return false;
  }
  out.id = static_cast<int>(t.integer);
  if (out.id <= 0)
    warn(loc(t), "field id " + t.text + " is not positive");
  take();
  take();
  return true;
}

bool syntax::parse_field(field& out, int& next_auto_id) {
  const auto& first = peek();
  out.doc = first.doc;
  auto start = loc(first);
  if (!parse_field_id(out, next_auto_id))
    return false;
  if (accept_word("required"))
    out.req = requiredness::required;
  else if (accept_word("optional"))
    out.req = requiredness::optional;
  if (!parse_type(out.type, 0) || !expect_name(out, "field name"))
    return false;
  out.loc = start;
  if (out.implicit_id)
    warn(out.loc, "field '" + out.name + "' has no id; it gets "
                    + std::to_string(out.id));
  if (accept('=')) {
    out.default_value.emplace();
    if (!parse_const_value(*out.default_value, 0))
      return false;
  }
  if (!parse_annotations(out.annotations))
    return false;
  accept_separator();
  return true;
}

bool syntax::parse_fields(std::vector<field>& out, char close,
                          const node& owner, std::string_view kind) {
  int next_auto_id = -1;
  while (!accept(close)) {
    if (close == '}' && unclosed(owner, kind))
      return false;
    if (at_end()) {
      error(peek(), std::string{"expected '"} + close + "', found end of file");
      return false;
    }
    out.emplace_back();
    if (!parse_field(out.back(), next_auto_id))
      return false;
  }
  return true;
}

} // namespace kitex::idl
