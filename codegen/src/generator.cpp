#include "generator.hpp"

#include <functional>
#include <map>
#include <set>
#include <variant>

#include "context.hpp"
#include "emit_files.hpp"
#include "naming.hpp"
#include "order.hpp"
#include "services.hpp"

#ifndef KITEX_CODEGEN_VERSION
#  define KITEX_CODEGEN_VERSION "0.0.0"
#endif

namespace kitex::codegen {

namespace {

/// Reports generated names of `ctx.prog` that collide: two definitions
/// whose C++ names match, or a definition and a generated helper.
void check_names(const context& ctx) {
  std::map<std::string, std::string> seen;
  auto add = [&](const std::string& name, const std::string& what,
                 const idl::location& at) {
    auto [i, fresh] = seen.emplace(name, what);
    if (!fresh)
      ctx.error(at, "the C++ name '" + name + "' of " + what
                      + " is already the name of " + i->second);
  };
  for (auto& d : ctx.prog.definitions) {
    auto& n = idl::node_of(d);
    add(safe_identifier(n.name),
        std::string{idl::kind_name(d)} + " '" + n.name + "'", n.loc);
  }
  for (auto& d : ctx.prog.definitions) {
    auto* s = std::get_if<idl::service_def>(&d);
    if (s == nullptr)
      continue;
    auto what = [&](const std::string& x) {
      return x + " of service '" + s->name + "'";
    };
    if (all_methods(ctx, *s).empty())
      ctx.diagnostics.push_back(idl::diagnostic{
        s->loc.file, s->loc.line, s->loc.column,
        "service '" + s->name
          + "' has no methods: only its handler class is generated (a CAF "
            "typed actor needs a message)",
        false});
    add(actor_name(*s), what("the interface"), s->loc);
    add(handler_name(*s), what("the handler"), s->loc);
    for (auto& m : own_methods(ctx.prog, *s)) {
      auto of = " of method '" + s->name + "." + m.fn->name + "'";
      add(m.args, "the args struct" + of, m.fn->loc);
      add(m.desc, "the method description" + of, m.fn->loc);
      if (!m.oneway())
        add(m.result, "the result struct" + of, m.fn->loc);
    }
  }
  add(identifier_from(ctx.prog.name) + "_type_ids", "the type-ID block alias",
      idl::location{ctx.prog.path, 0, 0});
}

void check_type_ids(const context& ctx, uint32_t first, size_t count,
                    const options& opts) {
  uint64_t end = uint64_t{first} + count;
  uint64_t limit = opts.type_id_limit != 0 ? opts.type_id_limit : 65536;
  if (end > limit)
    ctx.error(idl::location{ctx.prog.path, 0, 0},
              "CAF type IDs " + std::to_string(first) + ".."
                + std::to_string(end - 1) + " pass the limit "
                + std::to_string(limit)
                + "; give the IDL a larger range (TYPE_ID_OFFSET)");
}

void check_file_names(const idl::parse_result& r,
                      std::vector<idl::diagnostic>& diags) {
  std::map<std::string, std::string> seen;
  for (auto& [file, p] : r.programs) {
    auto [i, fresh] = seen.emplace(header_file_name(p), p.path);
    if (!fresh)
      diags.push_back(idl::diagnostic{p.path, 0, 0,
                                      "generates " + i->first + " as "
                                        + i->second + " does; rename one",
                                      true});
  }
}

} // namespace

std::string version() {
  return KITEX_CODEGEN_VERSION;
}

std::vector<std::string> generation_order(const idl::parse_result& r) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& f) {
    if (!seen.insert(f).second)
      return;
    auto* p = r.find(f);
    if (p == nullptr)
      return;
    for (auto& inc : p->includes)
      visit(inc.file);
    out.push_back(f);
  };
  visit(r.main_file);
  return out;
}

generation generate(const idl::parse_result& r, const options& opts) {
  generation out;
  check_file_names(r, out.diagnostics);
  auto next = opts.type_id_offset;
  for (auto& file : generation_order(r)) {
    auto& prog = r.programs.at(file);
    context ctx{r, prog, file, cpp_namespace(prog), out.diagnostics};
    check_names(ctx);
    check_struct_layout(ctx);
    auto count = type_id_types(ctx).size();
    check_type_ids(ctx, next, count, opts);
    out.files.push_back(
      {header_file_name(prog), emit_header(ctx, next), false, {}});
    out.files.push_back({source_file_name(prog), emit_source(ctx), false, {}});
    next += static_cast<uint32_t>(count);
  }
  return out;
}

} // namespace kitex::codegen
