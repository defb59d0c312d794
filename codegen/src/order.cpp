#include "order.hpp"

#include <functional>
#include <map>
#include <string>
#include <variant>

namespace kitex::codegen {

namespace {

/// Depth-first topological sort over definition indexes of one program.
class topo_sort {
public:
  using edges_fn = std::function<std::vector<size_t>(size_t)>;

  explicit topo_sort(edges_fn edges) : edges_(std::move(edges)) {}

  /// Visits `i` after everything it depends on.
  void visit(size_t i) {
    auto& st = state_[i];
    if (st == active)
      cycles_.push_back(i); // `i` depends on itself
    if (st != fresh)
      return;
    st = active;
    for (auto j : edges_(i))
      visit(j);
    state_[i] = done;
    order_.push_back(i);
  }

  const std::vector<size_t>& order() const noexcept {
    return order_;
  }

  /// Nodes that closed a dependency cycle.
  const std::vector<size_t>& cycles() const noexcept {
    return cycles_;
  }

private:
  enum mark { fresh, active, done };
  edges_fn edges_;
  std::map<size_t, mark> state_;
  std::vector<size_t> order_;
  std::vector<size_t> cycles_;
};

/// Adds the typedefs of `ctx.prog` that `t` names anywhere inside.
void typedef_refs(const context& ctx, const idl::type_ref& t,
                  std::vector<size_t>& out) {
  for (auto& p : t.params)
    typedef_refs(ctx, p, out);
  if (t.kind != idl::type_kind::named || t.target.file != ctx.file)
    return;
  if (std::holds_alternative<idl::typedef_def>(ctx.definition(t.target)))
    out.push_back(t.target.index);
}

/// Adds the structs of `ctx.prog` that `t` names anywhere inside.
void any_struct_refs(const context& ctx, const idl::type_ref& t,
                     std::vector<size_t>& out) {
  auto& tt = ctx.true_type(t);
  for (auto& p : tt.params)
    any_struct_refs(ctx, p, out);
  if (tt.kind == idl::type_kind::named && tt.target.file == ctx.file
      && ctx.struct_of(tt) != nullptr)
    out.push_back(tt.target.index);
}

/// The structs of `ctx.prog` that struct `s` needs complete: those it
/// holds by value, and all it names in a field with a default value (the
/// initializer builds them).
std::vector<size_t> struct_deps(const context& ctx, const idl::struct_def& s) {
  std::vector<size_t> out;
  for (auto& f : s.fields) {
    if (f.default_value) {
      any_struct_refs(ctx, f.type, out);
      continue;
    }
    auto& tt = ctx.true_type(f.type);
    if (tt.kind == idl::type_kind::named && tt.target.file == ctx.file
        && ctx.struct_of(tt) != nullptr)
      out.push_back(tt.target.index);
  }
  return out;
}

} // namespace

std::vector<const idl::typedef_def*> typedef_order(const context& ctx) {
  auto& defs = ctx.prog.definitions;
  topo_sort sort{[&](size_t i) {
    std::vector<size_t> out;
    typedef_refs(ctx, std::get<idl::typedef_def>(defs[i]).type, out);
    return out;
  }};
  for (size_t i = 0; i < defs.size(); ++i)
    if (std::holds_alternative<idl::typedef_def>(defs[i]))
      sort.visit(i); // cycles are front-end errors
  std::vector<const idl::typedef_def*> out;
  for (auto i : sort.order())
    out.push_back(&std::get<idl::typedef_def>(defs[i]));
  return out;
}

namespace {

topo_sort sort_structs(const context& ctx) {
  auto& defs = ctx.prog.definitions;
  topo_sort sort{[&ctx](size_t i) {
    return struct_deps(ctx, std::get<idl::struct_def>(ctx.prog.definitions[i]));
  }};
  for (size_t i = 0; i < defs.size(); ++i)
    if (std::holds_alternative<idl::struct_def>(defs[i]))
      sort.visit(i);
  return sort;
}

} // namespace

std::vector<const idl::struct_def*> struct_order(const context& ctx) {
  auto sort = sort_structs(ctx);
  std::vector<const idl::struct_def*> out;
  for (auto i : sort.order())
    out.push_back(&std::get<idl::struct_def>(ctx.prog.definitions[i]));
  return out;
}

void check_struct_layout(const context& ctx) {
  auto sort = sort_structs(ctx);
  for (auto i : sort.cycles()) {
    auto& s = std::get<idl::struct_def>(ctx.prog.definitions[i]);
    ctx.error(s.loc, "'" + s.name
                       + "' contains itself by value; C++ needs a list, set "
                         "or map on the way (e.g. list<"
                       + s.name + ">)");
  }
}

} // namespace kitex::codegen
