#include <variant>

#include "emit_service.hpp"
#include "naming.hpp"
#include "services.hpp"

namespace kitex::codegen {

namespace {

std::string result_type(const context& ctx, const method_view& m) {
  auto r = reply_type(ctx, m);
  return r == "void" ? "caf::unit_t" : r;
}

/// The `throws` fields of `m` with their C++ member names and types.
struct declared {
  const idl::field* field;
  std::string member;
  std::string type;
};

std::vector<declared> declared_of(const context& ctx, const method_view& m) {
  std::vector<declared> out;
  for (auto& f : m.fn->throws)
    out.push_back({&f, safe_identifier(f.name), ctx.cpp_type(f.type)});
  return out;
}

void emit_args_codec(code_writer& w, const method_view& m) {
  w.line("template <class Reader>");
  w.wrapped("bool " + m.desc + "::read_args(Reader& r, " + m.args + "& x) {");
  w.indent();
  w.line("return read(r, x);").close().blank();
  w.line("template <class Writer>");
  w.wrapped("void " + m.desc + "::write_args(Writer& w, const " + m.args
            + "& x) {");
  w.indent();
  w.line("write(w, x);").close().blank();
}

void emit_write_result(code_writer& w, const context& ctx,
                       const method_view& m) {
  auto rt = result_type(ctx, m);
  w.line("template <class Writer>");
  if (rt == "caf::unit_t") {
    w.open("void " + m.desc + "::write_result(Writer& w, caf::unit_t) {");
    w.line("w.write_struct_begin();");
  } else {
    w.wrapped("void " + m.desc + "::write_result(Writer& w, const " + rt
              + "& x) {");
    w.indent();
    w.line("w.write_struct_begin();");
    w.line("w.write_field_begin(" + ctx.wire_type(*m.fn->return_type)
           + ", 0);");
    w.line("write_value(w, x);");
  }
  w.line("w.write_field_stop();").line("w.write_struct_end();");
  w.close().blank();
}

void emit_exceptions(code_writer& w, const context& ctx, const method_view& m) {
  auto ds = declared_of(ctx, m);
  auto e = ds.empty() ? "[[maybe_unused]] const caf::error& e"
                      : "const caf::error& e";
  w.open("bool " + m.desc + "::is_declared(" + e + ") {");
  std::string cond;
  for (auto& d : ds)
    cond += std::string{cond.empty() ? "" : "\n    || "}
            + "kitex::get_exception<" + d.type + ">(e).has_value()";
  w.line("return " + (cond.empty() ? "false" : cond) + ";").close().blank();
  w.line("template <class Writer>");
  w.wrapped("void " + m.desc + "::write_exception(Writer& w, " + e + ") {");
  w.indent();
  w.line("w.write_struct_begin();");
  for (size_t i = 0; i < ds.size(); ++i) {
    auto x = "x_" + ds[i].member;
    auto head
      = "if (auto " + x + " = kitex::get_exception<" + ds[i].type + ">(e)) {";
    if (i == 0)
      w.open(head);
    else
      w.next("} else " + head);
    w.line("w.write_field_begin(ttype::struct_, "
           + std::to_string(ds[i].field->id) + ");");
    w.line("write_value(w, *" + x + ");");
  }
  if (!ds.empty())
    w.close();
  w.line("w.write_field_stop();").line("w.write_struct_end();");
  w.close().blank();
}

void emit_read_result(code_writer& w, const context& ctx,
                      const method_view& m) {
  auto rt = result_type(ctx, m);
  auto name = m.fn->name;
  w.line("template <class Reader>");
  w.wrapped("caf::expected<" + rt + "> " + m.desc
            + "::read_result(Reader& r) {");
  w.indent();
  w.line(m.result + " res;");
  w.line("if (!read(r, res))");
  w.line("  return kitex::make_error(kitex::errc::protocol_error,");
  w.line("                           std::string{\"bad " + name
         + " result: \"}");
  w.line(
    "                             + kitex::remote::to_string(r.error()));");
  if (m.returns_value())
    w.line("if (res.success)").line("  return std::move(*res.success);");
  for (auto& d : declared_of(ctx, m)) {
    w.line("if (res." + d.member + ")");
    w.line("  return kitex::make_declared_exception("
           + std::to_string(d.field->id) + ", std::move(*res." + d.member
           + "));");
  }
  if (m.returns_value())
    w.line("return kitex::make_remote_exception(5, \"" + name
           + " failed: unknown result\");");
  else
    w.line("return caf::unit;");
  w.close().blank();
}

void emit_info(code_writer& w, const context& ctx, const idl::service_def& s) {
  auto traits = safe_identifier(s.name);
  w.open("const kitex::serviceinfo::service_info& " + traits + "::info() {");
  w.line("static const kitex::serviceinfo::service_info instance{");
  w.line("  \"" + s.name + "\",");
  auto all = all_methods(ctx, s);
  for (size_t i = 0; i < all.size(); ++i) {
    auto desc = ctx.qualify(*all[i].prog, all[i].desc);
    w.line(std::string{i == 0 ? "  {" : "   "}
           + "kitex::serviceinfo::make_method<" + desc + ">()"
           + (i + 1 == all.size() ? "}};" : ","));
  }
  w.line("return instance;").close().blank();
}

/// One handler of make_behavior(): forwards the args to the handler.
std::string forwarder(const context& ctx, const method_view& m) {
  std::string call;
  for (auto& p : m.fn->params)
    call += (call.empty() ? "a." : ", a.") + safe_identifier(p.name);
  auto args = ctx.qualify(*m.prog, m.args);
  auto param = args + "& a";
  // The call's metainfo is current while the handler runs.
  auto scope = "kitex::metainfo::scope call_scope{a.meta};";
  auto invoke = "h->" + safe_identifier(m.fn->name) + "(" + call + ");";
  if (m.oneway())
    return "[h](" + param + ") {\n        " + scope + "\n        " + invoke
           + "\n      },";
  auto reply = reply_type(ctx, m);
  return "[h](" + param + ") -> caf::result<" + reply + "> {\n        " + scope
         + "\n        return " + invoke + "\n      },";
}

void emit_make_behavior(code_writer& w, const context& ctx,
                        const idl::service_def& s) {
  auto actor = actor_name(s);
  w.line("std::function<" + actor + "::behavior_type(" + actor + "::pointer)>");
  w.wrapped("make_behavior(std::shared_ptr<" + handler_name(s)
            + "> handler) {");
  w.indent();
  w.line("using behavior = " + actor + "::behavior_type;");
  w.open("return [handler](" + actor + "::pointer) -> behavior {");
  w.line("auto h = handler;");
  w.open("return {");
  for (auto& m : all_methods(ctx, s))
    w.line(forwarder(ctx, m));
  w.close("};").close("};").close();
}

} // namespace

void emit_service_definitions(code_writer& w, const context& ctx,
                              const idl::service_def& s) {
  auto own = own_methods(ctx.prog, s);
  for (auto& v : method_structs(ctx, own))
    emit_struct_definitions(w, ctx, v);
  w.section("service " + s.name);
  for (auto& m : own) {
    emit_args_codec(w, m);
    if (m.oneway())
      continue;
    emit_write_result(w, ctx, m);
    emit_exceptions(w, ctx, m);
    emit_read_result(w, ctx, m);
  }
  w.line(handler_name(s) + "::~" + handler_name(s) + "() = default;");
  if (all_methods(ctx, s).empty())
    return; // see emit_service_declarations()
  w.blank();
  emit_info(w, ctx, s);
  emit_make_behavior(w, ctx, s);
}

void emit_service_instantiations(code_writer& w, const context& ctx,
                                 const idl::service_def& s, const protocol& p) {
  auto own = own_methods(ctx.prog, s);
  for (auto& v : method_structs(ctx, own))
    emit_struct_instantiations(w, v, p);
  auto r = short_name(p.reader);
  auto wr = short_name(p.writer);
  for (auto& m : own) {
    auto d = m.desc + "::";
    w.wrapped("template bool " + d + "read_args<" + r + ">(" + r + "&, "
              + m.args + "&);");
    w.wrapped("template void " + d + "write_args<" + wr + ">(" + wr
              + "&, const " + m.args + "&);");
    if (m.oneway())
      continue;
    auto rt = result_type(ctx, m);
    auto in = rt == "caf::unit_t" ? rt : "const " + rt + "&";
    w.wrapped("template void " + d + "write_result<" + wr + ">(" + wr + "&, "
              + in + ");");
    w.wrapped("template void " + d + "write_exception<" + wr + ">(" + wr
              + "&, const caf::error&);");
    w.wrapped("template caf::expected<" + rt + "> " + d + "read_result<" + r
              + ">(" + r + "&);");
  }
}

} // namespace kitex::codegen
