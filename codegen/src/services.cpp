#include "services.hpp"

#include <iterator>
#include <variant>

#include "naming.hpp"

namespace kitex::codegen {

namespace {

/// True if more than one service of `p` has a method named `name`.
bool shared_method_name(const idl::program& p, const std::string& name) {
  int n = 0;
  for (auto& d : p.definitions)
    if (auto* s = std::get_if<idl::service_def>(&d))
      for (auto& f : s->functions)
        n += f.name == name ? 1 : 0;
  return n > 1;
}

idl::struct_def make_args(const idl::function& f, const std::string& name) {
  idl::struct_def out;
  out.name = name;
  out.loc = f.loc;
  out.fields = f.params;
  return out;
}

idl::struct_def make_result(const idl::function& f, const std::string& name) {
  idl::struct_def out;
  out.name = name;
  out.loc = f.loc;
  if (f.return_type) {
    idl::field success;
    success.name = "success";
    success.id = 0;
    success.req = idl::requiredness::optional;
    success.type = *f.return_type;
    out.fields.push_back(std::move(success));
  }
  for (auto ex : f.throws) {
    ex.req = idl::requiredness::optional;
    ex.default_value.reset();
    out.fields.push_back(std::move(ex));
  }
  return out;
}

/// The program that defines service `s`.
const idl::program& owner_of(const context& ctx, const idl::service_def& s) {
  for (auto& [file, p] : ctx.result.programs)
    for (auto& d : p.definitions)
      if (std::get_if<idl::service_def>(&d) == &s)
        return p;
  return ctx.prog;
}

} // namespace

std::vector<method_view> own_methods(const idl::program& p,
                                     const idl::service_def& s) {
  std::vector<method_view> out;
  for (auto& f : s.functions) {
    auto base = snake_case(f.name);
    if (shared_method_name(p, f.name))
      base = snake_case(s.name) + "_" + base;
    method_view m;
    m.prog = &p;
    m.service = &s;
    m.fn = &f;
    m.args = base + "_args";
    m.result = base + "_result";
    m.desc = base + "_method";
    m.args_def = make_args(f, m.args);
    m.result_def = make_result(f, m.result);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<method_view> all_methods(const context& ctx,
                                     const idl::service_def& s) {
  std::vector<method_view> out;
  if (s.extends_target.resolved()) {
    auto& base_prog = ctx.program(s.extends_target.file);
    auto& base = std::get<idl::service_def>(
      base_prog.definitions.at(s.extends_target.index));
    out = all_methods(ctx, base);
  }
  auto own = own_methods(owner_of(ctx, s), s);
  out.insert(out.end(), std::make_move_iterator(own.begin()),
             std::make_move_iterator(own.end()));
  return out;
}

std::vector<struct_view> method_structs(const context& ctx,
                                        const std::vector<method_view>& ms) {
  std::vector<struct_view> out;
  auto prefix = dotted_namespace(ctx.ns);
  for (auto& m : ms) {
    auto shown = m.service->name + "." + m.fn->name;
    out.push_back(struct_view{&m.args_def, m.args, shown + ".args",
                              prefix + "." + shown, true});
    if (!m.oneway())
      out.push_back(struct_view{&m.result_def, m.result, shown + ".result",
                                prefix + "." + shown + ".result", false});
  }
  return out;
}

std::string actor_name(const idl::service_def& s) {
  return snake_case(s.name) + "_actor";
}

std::string handler_name(const idl::service_def& s) {
  return s.name + "Handler";
}

std::string reply_type(const context& ctx, const method_view& m) {
  if (!m.returns_value())
    return "void";
  return ctx.cpp_type(*m.fn->return_type);
}

std::string param_decl(const context& ctx, const idl::field& f) {
  auto type = ctx.cpp_type(f.type);
  if (f.req == idl::requiredness::optional)
    return "const std::optional<" + type + ">& " + safe_identifier(f.name);
  if (ctx.is_scalar(f.type))
    return type + " " + safe_identifier(f.name);
  return "const " + type + "& " + safe_identifier(f.name);
}

std::string handler_return(const context& ctx, const method_view& m) {
  if (m.oneway())
    return "void";
  return "caf::expected<" + reply_type(ctx, m) + ">";
}

int declared_field_id(const context& ctx, const idl::struct_def& e) {
  for (auto& d : ctx.prog.definitions)
    if (auto* s = std::get_if<idl::service_def>(&d))
      for (auto& f : s->functions)
        for (auto& t : f.throws)
          if (ctx.struct_of(t.type) == &e)
            return t.id;
  return 1;
}

} // namespace kitex::codegen
