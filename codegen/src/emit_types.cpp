#include "emit_types.hpp"

#include <set>

#include "const_values.hpp"
#include "naming.hpp"

namespace kitex::codegen {

namespace {

/// A field as a C++ member.
struct member {
  const idl::field* field = nullptr;
  std::string name;
  /// The value type; the member is std::optional<type> if `optional`.
  std::string type;
  std::string wire;
  bool optional = false;
  bool required = false;
  /// An optional field (not of a union) with an IDL default: it starts set
  /// to the default, as in Apache Thrift C++ and Kitex Go.
  bool starts_set = false;
};

std::vector<member> members_of(const context& ctx, const idl::struct_def& s) {
  bool is_union = s.kind == idl::struct_kind::union_;
  std::vector<member> out;
  for (auto& f : s.fields) {
    member m;
    m.field = &f;
    m.name = safe_identifier(f.name);
    m.type = ctx.cpp_type(f.type);
    m.wire = ctx.wire_type(f.type);
    m.optional = is_union || f.req == idl::requiredness::optional;
    m.required = !is_union && f.req == idl::requiredness::required;
    m.starts_set = !is_union && f.req == idl::requiredness::optional
                   && f.default_value.has_value();
    out.push_back(std::move(m));
  }
  return out;
}

std::string member_declaration(const context& ctx, const member& m) {
  auto& f = *m.field;
  if (m.starts_set)
    return "std::optional<" + m.type + "> " + m.name + " = std::optional<"
           + m.type + ">{" + const_expr(ctx, f.type, *f.default_value) + "};";
  if (m.optional)
    return "std::optional<" + m.type + "> " + m.name + ";";
  if (f.default_value)
    return m.type + " " + m.name + " = "
           + const_expr(ctx, f.type, *f.default_value) + ";";
  if (ctx.is_scalar(f.type))
    return m.type + " " + m.name + "{};";
  return m.type + " " + m.name + ";";
}

/// The field dispatch of read(): one branch per field id and wire type,
/// everything else skipped.
void emit_read_fields(code_writer& w, const std::vector<member>& ms) {
  if (ms.empty())
    w.line("if (!r.skip(t))").line("  return false;");
  for (size_t i = 0; i < ms.size(); ++i) {
    auto& m = ms[i];
    auto cond = "id == " + std::to_string(m.field->id) + " && t == " + m.wire;
    if (i == 0)
      w.open("if (" + cond + ") {");
    else
      w.next("} else if (" + cond + ") {");
    auto target = m.optional ? "x." + m.name + ".emplace()" : "x." + m.name;
    w.line("if (!read_value(r, " + target + "))").line("  return false;");
    if (m.required)
      w.line("has_" + m.name + " = true;");
  }
  if (!ms.empty())
    w.next("} else if (!r.skip(t)) {").line("return false;").close();
}

void emit_read(code_writer& w, const struct_view& s,
               const std::vector<member>& ms) {
  w.line("template <class Reader>");
  auto param
    = ms.empty() ? "[[maybe_unused]] " + s.name + "& x" : s.name + "& x";
  w.wrapped("bool read(Reader& r, " + param + ") {");
  w.indent();
  w.line("if (!r.enter())").line("  return false;");
  std::vector<std::string> required;
  for (auto& m : ms)
    if (m.required) {
      w.line("bool has_" + m.name + " = false;");
      required.push_back("!has_" + m.name);
    }
  w.open("for (;;) {");
  w.line("ttype t;").line("int16_t id;");
  w.line("if (!r.read_field_begin(t, id))").line("  return false;");
  w.line("if (t == ttype::stop)").line("  break;");
  emit_read_fields(w, ms);
  w.close().line("r.leave();");
  if (!required.empty()) {
    std::string cond;
    for (auto& r : required)
      cond += (cond.empty() ? "" : " || ") + r;
    w.line("if (" + cond + ")");
    w.line("  return r.fail(protocol_error::invalid_data);");
  }
  w.line("return true;").close();
}

void emit_write(code_writer& w, const struct_view& s,
                const std::vector<member>& ms) {
  w.line("template <class Writer>");
  auto param = ms.empty() ? "[[maybe_unused]] const " + s.name + "& x"
                          : "const " + s.name + "& x";
  w.wrapped("void write(Writer& w, " + param + ") {");
  w.indent();
  w.line("w.write_struct_begin();");
  for (auto& m : ms) {
    auto header = "w.write_field_begin(" + m.wire + ", "
                  + std::to_string(m.field->id) + ");";
    if (m.optional) {
      w.open("if (x." + m.name + ") {");
      w.line(header).line("write_value(w, *x." + m.name + ");");
      w.close();
    } else {
      w.line(header).line("write_value(w, x." + m.name + ");");
    }
  }
  w.line("w.write_field_stop();").line("w.write_struct_end();").close();
}

/// operator<, lexicographic over the fields. Written out (not a defaulted
/// <=>) so recursive types, whose defaulted <=> would depend on itself,
/// are ordered too.
void emit_less(code_writer& w, const struct_view& s,
               const std::vector<member>& ms) {
  auto param = [&](const char* n) {
    return std::string{ms.empty() ? "[[maybe_unused]] " : ""} + "const "
           + s.name + "& " + n;
  };
  w.wrapped("bool operator<(" + param("a") + ", " + param("b") + ") {");
  w.indent();
  if (ms.empty()) {
    w.line("return false;").close();
    return;
  }
  for (size_t i = 0; i + 1 < ms.size(); ++i) {
    auto& m = ms[i].name;
    w.line("if (a." + m + " != b." + m + ")");
    w.line("  return a." + m + " < b." + m + ";");
  }
  auto& last = ms.back().name;
  w.line("return a." + last + " < b." + last + ";").close();
}

void emit_print(code_writer& w, const struct_view& s,
                const std::vector<member>& ms) {
  auto param = ms.empty() ? "[[maybe_unused]] const " + s.name + "& x"
                          : "const " + s.name + "& x";
  w.wrapped("std::ostream& operator<<(std::ostream& os, " + param + ") {");
  w.indent();
  w.line("os << \"" + s.display_name + "{\";");
  for (size_t i = 0; i < ms.size(); ++i) {
    w.line("os << \"" + std::string{i == 0 ? "" : ", "} + ms[i].field->name
           + "=\";");
    w.line("kitex::runtime::print_value(os, x." + ms[i].name + ");");
  }
  w.line("return os << '}';").close().blank();
  w.open("std::string to_string(const " + s.name + "& x) {");
  w.line("std::ostringstream os;").line("os << x;");
  w.line("return std::move(os).str();").close();
}

} // namespace

const std::vector<protocol>& protocols() {
  // Every generated .cpp instantiates its codecs for each of these; to add
  // a protocol, add it here.
  static const std::vector<protocol> xs{
    {"kitex/remote/codec/thrift/binary_protocol.hpp",
     "kitex::remote::thrift::binary_reader",
     "kitex::remote::thrift::binary_writer"},
    {"kitex/remote/codec/thrift/compact_protocol.hpp",
     "kitex::remote::thrift::compact_reader",
     "kitex::remote::thrift::compact_writer"},
  };
  return xs;
}

std::string short_name(const std::string& qualified) {
  auto colon = qualified.rfind("::");
  return colon == std::string::npos ? qualified : qualified.substr(colon + 2);
}

void emit_doc(code_writer& w, const std::string& doc) {
  if (!doc.empty())
    w.comment(doc, "///");
}

struct_view view_of(const context& ctx, const idl::struct_def& s) {
  auto name = safe_identifier(s.name);
  return struct_view{&s, name, s.name, dotted_namespace(ctx.ns) + "." + s.name,
                     false};
}

void emit_enum_declaration(code_writer& w, const context&,
                           const idl::enum_def& e) {
  auto name = safe_identifier(e.name);
  emit_doc(w, e.doc);
  w.open("enum class " + name + " : int32_t {");
  for (auto& v : e.values) {
    emit_doc(w, v.doc);
    w.line(safe_identifier(v.name) + " = " + std::to_string(v.value) + ",");
  }
  w.close("};").blank();
  w.line("/// The IDL name of `x`, or \"" + e.name
         + "(<number>)\" for a value the IDL does not list.");
  w.line("std::string to_string(" + name + " x);");
  w.line("/// Sets `x` to the value named `text`; false if none is.");
  w.line("bool from_string(std::string_view text, " + name + "& x);");
  w.line("std::ostream& operator<<(std::ostream& os, " + name + " x);");
}

void emit_enum_definitions(code_writer& w, const context&,
                           const idl::enum_def& e) {
  auto name = safe_identifier(e.name);
  w.open("std::string to_string(" + name + " x) {");
  w.open("switch (x) {");
  std::set<int32_t> seen; // an IDL may give two names one value
  for (auto& v : e.values)
    if (seen.insert(v.value).second)
      w.line("case " + name + "::" + safe_identifier(v.name) + ":")
        .line("  return \"" + v.name + "\";");
  w.close();
  w.line("return \"" + e.name
         + "(\" + std::to_string(static_cast<int32_t>(x)) + \")\";");
  w.close().blank();
  w.open("bool from_string(std::string_view text, " + name + "& x) {");
  for (auto& v : e.values) {
    w.open("if (text == \"" + v.name + "\") {");
    w.line("x = " + name + "::" + safe_identifier(v.name) + ";");
    w.line("return true;").close();
  }
  w.line("return false;").close().blank();
  w.open("std::ostream& operator<<(std::ostream& os, " + name + " x) {");
  w.line("return os << to_string(x);").close();
}

void emit_typedef(code_writer& w, const context& ctx,
                  const idl::typedef_def& t) {
  emit_doc(w, t.doc);
  w.line("using " + safe_identifier(t.name) + " = " + ctx.cpp_type(t.type)
         + ";");
}

void emit_senum(code_writer& w, const idl::senum_def& e) {
  emit_doc(w, e.doc);
  w.line("using " + safe_identifier(e.name) + " = std::string; // senum");
}

void emit_const(code_writer& w, const context& ctx, const idl::const_def& c) {
  emit_doc(w, c.doc);
  auto prefix = ctx.is_scalar(c.type) ? "inline constexpr " : "inline const ";
  w.line(prefix + ctx.cpp_type(c.type) + " " + safe_identifier(c.name) + " = "
         + const_expr(ctx, c.type, c.value) + ";");
}

void emit_struct_declaration(code_writer& w, const context& ctx,
                             const struct_view& s) {
  auto ms = members_of(ctx, *s.def);
  emit_doc(w, s.def->doc);
  w.open("struct " + s.name + " {");
  for (auto& m : ms) {
    emit_doc(w, m.field->doc);
    w.line(member_declaration(ctx, m));
  }
  if (s.has_meta) {
    w.line("/// The call's metainfo (docs/protocols.md); not on the wire, not "
           "compared.");
    w.line("kitex::metainfo::handle meta;");
  }
  if (!ms.empty() || s.has_meta)
    w.blank();
  auto args = "(const " + s.name + "&, const " + s.name + "&)";
  w.wrapped("friend bool operator==" + args + " = default;");
  w.close("};").blank();
  w.wrapped("bool operator<(const " + s.name + "& a, const " + s.name
            + "& b);");
  w.wrapped("std::ostream& operator<<(std::ostream& os, const " + s.name
            + "& x);");
  w.line("std::string to_string(const " + s.name + "& x);").blank();
  w.line("template <class Inspector>");
  w.wrapped("typename Inspector::result_type inspect(Inspector& f, " + s.name
            + "& x) {");
  w.indent();
  w.wrapped("return kitex::runtime::inspect_thrift(f, x, \"" + s.type_name
            + "\");");
  w.close().blank();
  w.line("template <class Reader>");
  w.wrapped("[[nodiscard]] bool read(Reader& r, " + s.name + "& x);");
  w.line("template <class Writer>");
  w.line("void write(Writer& w, const " + s.name + "& x);");
}

void emit_struct_definitions(code_writer& w, const context& ctx,
                             const struct_view& s) {
  auto ms = members_of(ctx, *s.def);
  w.section(s.display_name);
  emit_read(w, s, ms);
  w.blank();
  emit_write(w, s, ms);
  w.blank();
  emit_print(w, s, ms);
  w.blank();
  emit_less(w, s, ms);
}

void emit_struct_instantiations(code_writer& w, const struct_view& s,
                                const protocol& p) {
  auto r = short_name(p.reader);
  auto wr = short_name(p.writer);
  w.wrapped("template bool read<" + r + ">(" + r + "&, " + s.name + "&);");
  w.wrapped("template void write<" + wr + ">(" + wr + "&, const " + s.name
            + "&);");
}

} // namespace kitex::codegen
