#include "emit_service.hpp"

#include "naming.hpp"
#include "services.hpp"

namespace kitex::codegen {

namespace {

/// `result_type` of a method description: the reply, caf::unit_t for void.
std::string result_type(const context& ctx, const method_view& m) {
  auto r = reply_type(ctx, m);
  return r == "void" ? "caf::unit_t" : r;
}

void emit_interface(code_writer& w, const context& ctx,
                    const idl::service_def& s,
                    const std::vector<method_view>& all) {
  w.line("/// The typed interface of " + s.name
         + "'s workers and of its clients: one");
  w.line("/// args message per method, answered with the method's result.");
  w.open("using " + actor_name(s) + " = caf::typed_actor<");
  for (size_t i = 0; i < all.size(); ++i) {
    auto& m = all[i];
    auto args = ctx.qualify(*m.prog, m.args);
    auto reply = reply_type(ctx, m);
    auto entry = reply == "void"
                   ? "caf::reacts_to<" + args + ">"
                   : "caf::replies_to<" + args + ">::with<" + reply + ">";
    w.line(entry + (i + 1 == all.size() ? ">;" : ","));
  }
  w.dedent();
}

void emit_method_description(code_writer& w, const context& ctx,
                             const method_view& m) {
  w.line("/// " + m.service->name + "." + m.fn->name
         + " for kitex::serviceinfo::make_method().");
  w.open("struct " + m.desc + " {");
  w.line("static constexpr const char* name = \"" + m.fn->name + "\";");
  w.line(std::string{"static constexpr bool oneway = "}
         + (m.oneway() ? "true;" : "false;"));
  w.line("using args_type = " + m.args + ";");
  auto rt = m.oneway() ? std::string{"void"} : result_type(ctx, m);
  w.line("using result_type = " + rt + ";");
  w.line("template <class Reader>");
  w.wrapped("static bool read_args(Reader& r, " + m.args + "& x);");
  w.line("template <class Writer>");
  w.wrapped("static void write_args(Writer& w, const " + m.args + "& x);");
  if (!m.oneway()) {
    auto in = rt == "caf::unit_t" ? rt : "const " + rt + "&";
    w.line("template <class Writer>");
    w.wrapped("static void write_result(Writer& w, " + in + " x);");
    w.line("static bool is_declared(const caf::error& e);");
    w.line("template <class Writer>");
    w.wrapped("static void write_exception(Writer& w, const caf::error& e);");
    w.line("template <class Reader>");
    w.wrapped("static caf::expected<" + rt + "> read_result(Reader& r);");
  }
  w.close("};").blank();
}

void emit_handler_class(code_writer& w, const context& ctx,
                        const idl::service_def& s,
                        const std::vector<method_view>& own) {
  w.line("/// " + s.name
         + " as a plain class: implement one function per "
           "method and");
  w.line("/// serve it with make_behavior(). All workers share the handler "
         "and call");
  w.line("/// it from several threads at once. Return a declared exception "
         "as");
  w.line("/// make_error(TheException{...}); a C++ exception thrown out of a "
         "function");
  w.line("/// kills the worker (its caller sees a panic, the worker "
         "restarts).");
  auto base = s.extends_target.resolved()
                ? " : public "
                    + ctx.qualify(ctx.program(s.extends_target.file),
                                  handler_name(std::get<idl::service_def>(
                                    ctx.definition(s.extends_target))))
                : std::string{};
  w.open("class " + handler_name(s) + base + " {");
  w.label("public:");
  w.line("virtual ~" + handler_name(s) + "();");
  for (auto& m : own) {
    w.blank();
    emit_doc(w, m.fn->doc);
    std::string params;
    for (auto& p : m.fn->params)
      params += (params.empty() ? "" : ", ") + param_decl(ctx, p);
    w.wrapped("virtual " + handler_return(ctx, m) + " "
              + safe_identifier(m.fn->name) + "(" + params + ") = 0;");
  }
  w.close("};").blank();
}

void emit_traits(code_writer& w, const idl::service_def& s) {
  auto actor = actor_name(s);
  w.line("/// The service traits of " + s.name + ", for make_client<" + s.name
         + ">() and");
  w.line("/// server::add_service<" + s.name + ">().");
  w.open("struct " + safe_identifier(s.name) + " {");
  w.line("using actor_type = " + actor + ";");
  w.line("using handler_type = " + handler_name(s) + ";");
  w.line("static const kitex::serviceinfo::service_info& info();");
  w.close("};").blank();
  w.line("/// A worker behavior that forwards every call of " + s.name
         + " to `handler`:");
  w.line("///   srv.add_service<" + s.name
         + ">(make_behavior(std::make_shared<MyHandler>()));");
  w.line("std::function<" + actor + "::behavior_type(" + actor + "::pointer)>");
  w.wrapped("make_behavior(std::shared_ptr<" + handler_name(s) + "> handler);");
}

} // namespace

void emit_service_declarations(code_writer& w, const context& ctx,
                               const idl::service_def& s) {
  auto own = own_methods(ctx.prog, s);
  w.section("service " + s.name);
  emit_doc(w, s.doc);
  for (auto& v : method_structs(ctx, own)) {
    emit_struct_declaration(w, ctx, v);
    w.blank();
  }
  auto all = all_methods(ctx, s);
  if (all.empty()) {
    // A CAF typed actor needs a message: only the handler class, for the
    // services that extend this one.
    emit_handler_class(w, ctx, s, own);
    return;
  }
  emit_interface(w, ctx, s, all);
  w.blank();
  for (auto& m : own)
    emit_method_description(w, ctx, m);
  emit_handler_class(w, ctx, s, own);
  emit_traits(w, s);
}

} // namespace kitex::codegen
