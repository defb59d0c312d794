#include "kitex/idl/resolve.hpp"

#include <set>
#include <utility>

#include "kitex/idl/const_check.hpp"
#include "kitex/idl/symbols.hpp"

namespace kitex::idl {

namespace {

/// Typedef chains longer than this are cycles (reported by the resolver).
constexpr int max_typedef_chain = 1000;

/// Links named types and `extends` to their definitions and checks
/// everything but const values, which const_check.cpp handles.
class resolver {
public:
  explicit resolver(parse_result& r) : result_(r), symbols_(r, diags_) {}

  bool run();

private:
  void check_definition(const std::string& file, definition& d);
  void resolve_type(const std::string& file, type_ref& t);
  void check_enum(const enum_def& e);
  void check_fields(const std::string& file, std::vector<field>& fields,
                    const std::string& owner);
  void check_service(const std::string& file, service_def& s);
  void resolve_extends(const std::string& file, service_def& s);
  void check_function(const std::string& file, function& f);
  void check_throws(const function& f);
  void check_cycles(const std::string& file, const program& p);

  void error(const location& at, std::string message) {
    report(diags_, at, std::move(message));
  }

  parse_result& result_;
  std::vector<diagnostic> diags_;
  symbols symbols_;
};

bool resolver::run() {
  for (auto& [file, p] : result_.programs)
    for (auto& d : p.definitions)
      check_definition(file, d);
  for (auto& [file, p] : result_.programs)
    check_cycles(file, p);
  check_consts(result_, symbols_, diags_);
  auto& out = result_.diagnostics;
  out.insert(out.end(), diags_.begin(), diags_.end());
  return !has_errors(diags_);
}

void resolver::check_definition(const std::string& file, definition& d) {
  if (auto* t = std::get_if<typedef_def>(&d)) {
    resolve_type(file, t->type);
  } else if (auto* e = std::get_if<enum_def>(&d)) {
    check_enum(*e);
  } else if (auto* c = std::get_if<const_def>(&d)) {
    resolve_type(file, c->type);
  } else if (auto* s = std::get_if<struct_def>(&d)) {
    check_fields(file, s->fields,
                 std::string{kind_name(d)} + " '" + s->name + "'");
  } else if (auto* sv = std::get_if<service_def>(&d)) {
    check_service(file, *sv);
  }
}

void resolver::resolve_type(const std::string& file, type_ref& t) {
  for (auto& p : t.params)
    resolve_type(file, p);
  if (t.kind != type_kind::named)
    return;
  auto ref = symbols_.find(file, t.name);
  if (!ref.resolved()) {
    if (symbols_.unknown_prefix(file, t.name))
      error(t.loc, "unknown type '" + t.name + "': no include named '"
                     + t.name.substr(0, t.name.find('.')) + "'");
    else
      error(t.loc, "unknown type '" + t.name + "'");
    return;
  }
  auto& d = *lookup(result_, ref);
  if (std::holds_alternative<const_def>(d)
      || std::holds_alternative<service_def>(d)) {
    error(t.loc, "'" + t.name + "' is a " + std::string{kind_name(d)}
                   + ", not a type");
    return;
  }
  t.target = std::move(ref);
}

void resolver::check_enum(const enum_def& e) {
  std::map<std::string_view, const enum_value*> seen;
  for (auto& v : e.values) {
    auto [it, added] = seen.emplace(v.name, &v);
    if (!added)
      error(v.loc, "duplicate enum value '" + v.name + "' in enum '" + e.name
                     + "' (first at " + where(it->second->loc) + ")");
  }
}

void resolver::check_fields(const std::string& file, std::vector<field>& fields,
                            const std::string& owner) {
  std::map<int, const field*> ids;
  std::map<std::string_view, const field*> names;
  for (auto& f : fields) {
    resolve_type(file, f.type);
    auto [id, new_id] = ids.emplace(f.id, &f);
    if (!new_id)
      error(f.loc, "duplicate field id " + std::to_string(f.id) + " in " + owner
                     + " (also used by '" + id->second->name + "' at "
                     + where(id->second->loc) + ")");
    auto [name, new_name] = names.emplace(f.name, &f);
    if (!new_name)
      error(f.loc, "duplicate field name '" + f.name + "' in " + owner
                     + " (first at " + where(name->second->loc) + ")");
  }
}

void resolver::check_service(const std::string& file, service_def& s) {
  if (!s.extends.empty())
    resolve_extends(file, s);
  std::map<std::string_view, const function*> names;
  for (auto& f : s.functions) {
    auto [it, added] = names.emplace(f.name, &f);
    if (!added)
      error(f.loc, "duplicate function '" + f.name + "' in service '" + s.name
                     + "' (first at " + where(it->second->loc) + ")");
    check_function(file, f);
  }
}

void resolver::resolve_extends(const std::string& file, service_def& s) {
  auto ref = symbols_.find(file, s.extends);
  if (!ref.resolved()) {
    error(s.extends_loc, "undefined service '" + s.extends
                           + "' in extends of service '" + s.name + "'");
    return;
  }
  auto& d = *lookup(result_, ref);
  if (!std::holds_alternative<service_def>(d)) {
    error(s.extends_loc, "service '" + s.name + "' extends '" + s.extends
                           + "', which is a " + std::string{kind_name(d)}
                           + ", not a service");
    return;
  }
  s.extends_target = std::move(ref);
}

void resolver::check_function(const std::string& file, function& f) {
  if (f.return_type)
    resolve_type(file, *f.return_type);
  check_fields(file, f.params, "parameters of function '" + f.name + "'");
  check_fields(file, f.throws, "throws of function '" + f.name + "'");
  check_throws(f);
  if (!f.oneway)
    return;
  if (f.return_type)
    error(f.return_type->loc,
          "oneway function '" + f.name + "' must return void");
  if (!f.throws.empty())
    error(f.throws.front().loc,
          "oneway function '" + f.name + "' cannot throw exceptions");
}

void resolver::check_throws(const function& f) {
  for (auto& t : f.throws) {
    auto& type = true_type(result_, t.type);
    if (type.kind == type_kind::named && !type.target.resolved())
      continue; // unknown, reported already
    auto* d = lookup(result_, type.target);
    auto* s = d != nullptr ? std::get_if<struct_def>(d) : nullptr;
    if (s == nullptr || s->kind != struct_kind::exception)
      error(t.loc, "'" + t.name + "' in throws of function '" + f.name
                     + "' has type " + to_string(t.type)
                     + ", which is not an exception");
  }
}

/// Follows typedef and extends chains from each definition; a chain that
/// comes back to its start is a cycle.
void resolver::check_cycles(const std::string& file, const program& p) {
  for (std::size_t i = 0; i < p.definitions.size(); ++i) {
    auto& d = p.definitions[i];
    auto next = [&](const definition& x) -> const definition_ref* {
      if (auto* t = std::get_if<typedef_def>(&x))
        return t->type.kind == type_kind::named ? &t->type.target : nullptr;
      if (auto* s = std::get_if<service_def>(&x))
        return &s->extends_target;
      return nullptr;
    };
    std::set<std::pair<std::string, std::size_t>> seen;
    for (auto* ref = next(d); ref != nullptr && ref->resolved();) {
      if (ref->file == file && ref->index == i) {
        auto& name = node_of(d).name;
        error(node_of(d).loc,
              std::holds_alternative<service_def>(d)
                ? "service '" + name + "' extends itself"
                : "typedef '" + name + "' is defined in terms of itself");
        break;
      }
      auto* target = lookup(result_, *ref);
      if (!seen.emplace(ref->file, ref->index).second || target == nullptr
          || target->index() != d.index())
        break;
      ref = next(*target);
    }
  }
}

} // namespace

bool resolve(parse_result& r) {
  return resolver{r}.run();
}

const definition* lookup(const parse_result& r,
                         const definition_ref& ref) noexcept {
  if (!ref.resolved())
    return nullptr;
  auto* p = r.find(ref.file);
  if (p == nullptr || ref.index >= p->definitions.size())
    return nullptr;
  return &p->definitions[ref.index];
}

const enum_value* lookup_enum_value(const parse_result& r,
                                    const definition_ref& ref) noexcept {
  auto* d = lookup(r, ref);
  auto* e = d != nullptr ? std::get_if<enum_def>(d) : nullptr;
  if (e == nullptr || ref.value >= e->values.size())
    return nullptr;
  return &e->values[ref.value];
}

const type_ref& true_type(const parse_result& r, const type_ref& t) noexcept {
  const type_ref* cur = &t;
  for (int i = 0; i < max_typedef_chain && cur->kind == type_kind::named; ++i) {
    auto* d = lookup(r, cur->target);
    auto* td = d != nullptr ? std::get_if<typedef_def>(d) : nullptr;
    if (td == nullptr)
      break;
    cur = &td->type;
  }
  return *cur;
}

} // namespace kitex::idl
