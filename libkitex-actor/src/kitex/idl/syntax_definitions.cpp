// Headers and definitions of the IDL grammar; see syntax.hpp.

#include <limits>

#include "kitex/idl/syntax.hpp"

namespace kitex::idl {

void syntax::run() {
  while (!at_end()) {
    auto start = pos_;
    const auto& t = peek();
    bool ok = false;
    if (is_word("include") || is_word("cpp_include") || is_word("namespace")) {
      ok = parse_header();
    } else if (t.kind == token_kind::identifier && starts_top_level(t.text)) {
      seen_definition_ = true;
      ok = parse_definition();
    } else {
      error(t, "expected a definition, found " + describe(t));
    }
    if (!ok)
      recover(start);
  }
}

/// Skips to the next word that can begin a definition, always making
/// progress.
void syntax::recover(size_t start) {
  if (pos_ == start)
    take();
  while (!at_end()
         && !(peek().kind == token_kind::identifier
              && starts_top_level(peek().text)))
    take();
}

// -- headers ------------------------------------------------------------------

bool syntax::parse_header() {
  if (seen_definition_)
    error(peek(), "'" + peek().text + "' must come before all definitions");
  if (is_word("namespace"))
    return parse_namespace();
  return parse_include();
}

bool syntax::parse_include() {
  const auto& keyword = take();
  const auto& file = peek();
  if (file.kind != token_kind::string) {
    error(file, "expected a file name string after '" + keyword.text
                  + "', found " + describe(file));
    return false;
  }
  take();
  if (keyword.text == "cpp_include")
    out_.cpp_includes.push_back(file.text);
  else
    out_.includes.push_back(include_decl{file.text, {}, {}, loc(keyword)});
  accept_separator();
  return true;
}

bool syntax::parse_namespace() {
  namespace_decl ns;
  ns.loc = loc(take());
  const auto& lang = peek();
  if (!accept('*')) {
    if (lang.kind != token_kind::identifier) {
      error(lang, "expected a language or '*' after 'namespace', found "
                    + describe(lang));
      return false;
    }
    take();
  }
  ns.language = lang.text;
  const auto& name = peek();
  if (name.kind != token_kind::identifier && name.kind != token_kind::string) {
    error(name, "expected a namespace name, found " + describe(name));
    return false;
  }
  ns.name = take().text;
  if (!parse_annotations(ns.annotations))
    return false;
  accept_separator();
  out_.namespaces.push_back(std::move(ns));
  return true;
}

// -- definitions --------------------------------------------------------------

bool syntax::parse_definition() {
  const auto& word = peek().text;
  if (word == "typedef")
    return parse_typedef();
  if (word == "const")
    return parse_const();
  if (word == "enum")
    return parse_enum();
  if (word == "senum")
    return parse_senum();
  if (word == "struct")
    return parse_struct(struct_kind::struct_);
  if (word == "union")
    return parse_struct(struct_kind::union_);
  if (word == "exception")
    return parse_struct(struct_kind::exception);
  return parse_service();
}

bool syntax::parse_typedef() {
  typedef_def d;
  d.doc = take().doc;
  if (!parse_type(d.type, 0) || !expect_name(d, "typedef name")
      || !parse_annotations(d.annotations))
    return false;
  accept_separator();
  out_.definitions.emplace_back(std::move(d));
  return true;
}

bool syntax::parse_const() {
  const_def d;
  d.doc = take().doc;
  if (!parse_type(d.type, 0) || !expect_name(d, "const name")
      || !expect('=', "after the const name") || !parse_const_value(d.value, 0)
      || !parse_annotations(d.annotations))
    return false;
  accept_separator();
  out_.definitions.emplace_back(std::move(d));
  return true;
}

bool syntax::parse_enum() {
  enum_def d;
  d.doc = take().doc;
  if (!expect_name(d, "enum name") || !expect('{', "to open the enum"))
    return false;
  int64_t next = 0;
  while (!accept('}')) {
    if (unclosed(d, "enum") || !parse_enum_value(d, next))
      return false;
  }
  if (!parse_annotations(d.annotations))
    return false;
  accept_separator();
  out_.definitions.emplace_back(std::move(d));
  return true;
}

/// Thrift numbers enum values without `= N` as previous + 1, from 0.
bool syntax::parse_enum_value(enum_def& e, int64_t& next) {
  enum_value v;
  v.doc = peek().doc;
  if (!expect_name(v, "enum value name"))
    return false;
  int64_t value = next;
  if (accept('=')) {
    const auto& t = peek();
    if (t.kind != token_kind::integer) {
      error(t, "expected an integer value for '" + v.name + "', found "
                 + describe(t));
      return false;
    }
    value = t.integer;
    v.explicit_value = true;
    take();
  }
  if (value < std::numeric_limits<int32_t>::min()
      || value > std::numeric_limits<int32_t>::max()) {
    error(tokens_[pos_ - 1], "value " + std::to_string(value) + " of '" + v.name
                               + "' out of range for i32");
    return false;
  }
  v.value = static_cast<int32_t>(value);
  next = value + 1;
  if (!parse_annotations(v.annotations))
    return false;
  accept_separator();
  e.values.push_back(std::move(v));
  return true;
}

bool syntax::parse_senum() {
  senum_def d;
  d.doc = take().doc;
  if (!expect_name(d, "senum name") || !expect('{', "to open the senum"))
    return false;
  warn(d.loc, "senum is deprecated; use an enum or string consts");
  while (!accept('}')) {
    if (unclosed(d, "senum"))
      return false;
    if (peek().kind != token_kind::string) {
      error(peek(), "expected a string literal in senum '" + d.name
                      + "', found " + describe(peek()));
      return false;
    }
    d.values.push_back(take().text);
    accept_separator();
  }
  if (!parse_annotations(d.annotations))
    return false;
  accept_separator();
  out_.definitions.emplace_back(std::move(d));
  return true;
}

bool syntax::parse_struct(struct_kind kind) {
  struct_def d;
  d.kind = kind;
  const auto& keyword = take();
  d.doc = keyword.doc;
  if (!expect_name(d, keyword.text + " name"))
    return false;
  accept_word("xsd_all"); // legacy, no meaning
  if (!expect('{', "to open " + keyword.text + " '" + d.name + "'")
      || !parse_fields(d.fields, '}', d, keyword.text)
      || !parse_annotations(d.annotations))
    return false;
  accept_separator();
  out_.definitions.emplace_back(std::move(d));
  return true;
}

bool syntax::parse_service() {
  service_def d;
  d.doc = take().doc;
  if (!expect_name(d, "service name"))
    return false;
  if (accept_word("extends")) {
    const auto& t = peek();
    if (t.kind != token_kind::identifier || is_reserved(t.text)) {
      error(t, "expected a service name after 'extends', found " + describe(t));
      return false;
    }
    d.extends = t.text;
    d.extends_loc = loc(take());
  }
  if (!expect('{', "to open service '" + d.name + "'"))
    return false;
  while (!accept('}')) {
    d.functions.emplace_back();
    if (unclosed(d, "service") || !parse_function(d.functions.back()))
      return false;
  }
  if (!parse_annotations(d.annotations))
    return false;
  accept_separator();
  out_.definitions.emplace_back(std::move(d));
  return true;
}

bool syntax::parse_function(function& out) {
  out.doc = peek().doc;
  out.oneway = accept_word("oneway");
  if (!accept_word("void")) {
    out.return_type.emplace();
    if (!parse_type(*out.return_type, 0))
      return false;
  }
  if (!expect_name(out, "function name")
      || !expect('(', "to open the parameters of '" + out.name + "'")
      || !parse_fields(out.params, ')', out, "function"))
    return false;
  if (accept_word("throws")) {
    if (!expect('(', "after 'throws'")
        || !parse_fields(out.throws, ')', out, "function"))
      return false;
  }
  if (!parse_annotations(out.annotations))
    return false;
  accept_separator();
  return true;
}

} // namespace kitex::idl
