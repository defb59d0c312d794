#include "kitex/idl/symbols.hpp"

namespace kitex::idl {

void report(std::vector<diagnostic>& diags, const location& at,
            std::string message) {
  diags.push_back(
    diagnostic{at.file, at.line, at.column, std::move(message), true});
}

std::string where(const location& at) {
  return at.file + ':' + std::to_string(at.line) + ':'
         + std::to_string(at.column);
}

symbols::symbols(const parse_result& r, std::vector<diagnostic>& diags) {
  for (auto& [file, p] : r.programs)
    index(file, p, diags);
}

void symbols::index(const std::string& file, const program& p,
                    std::vector<diagnostic>& diags) {
  auto& defs = definitions_[file];
  for (std::size_t i = 0; i < p.definitions.size(); ++i) {
    auto& n = node_of(p.definitions[i]);
    auto [it, added] = defs.emplace(n.name, i);
    if (!added)
      report(diags, n.loc,
             "redefinition of '" + n.name + "' (first defined at "
               + where(node_of(p.definitions[it->second]).loc) + ")");
  }
  auto& incs = includes_[file];
  for (auto& inc : p.includes) {
    auto [it, added] = incs.emplace(inc.name, inc.file);
    if (!added && it->second != inc.file)
      report(diags, inc.loc,
             "include name '" + inc.name
               + "' is ambiguous: two included files have that name");
  }
}

definition_ref symbols::find(const std::string& file,
                             std::string_view name) const {
  std::string target = file;
  auto dot = name.find('.');
  if (dot != std::string_view::npos) {
    auto incs = includes_.find(file);
    if (incs != includes_.end()) {
      auto inc = incs->second.find(name.substr(0, dot));
      if (inc != incs->second.end()) {
        target = inc->second;
        name.remove_prefix(dot + 1);
      }
    }
  }
  definition_ref out;
  auto defs = definitions_.find(target);
  if (defs == definitions_.end())
    return out;
  auto def = defs->second.find(name);
  if (def == defs->second.end())
    return out;
  out.file = target;
  out.index = def->second;
  return out;
}

bool symbols::unknown_prefix(const std::string& file,
                             std::string_view name) const {
  auto dot = name.find('.');
  if (dot == std::string_view::npos)
    return false;
  auto incs = includes_.find(file);
  return incs == includes_.end()
         || incs->second.find(name.substr(0, dot)) == incs->second.end();
}

} // namespace kitex::idl
