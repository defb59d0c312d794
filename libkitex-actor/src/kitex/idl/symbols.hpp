#pragma once

// The names each program defines and the include names it can prefix them
// with; built once per resolve() and shared by the type and const passes.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kitex/idl/diagnostic.hpp"
#include "kitex/idl/model.hpp"
#include "kitex/idl/parser.hpp"

namespace kitex::idl {

class symbols {
public:
  /// Indexes every program of `r`, reporting to `diags` two definitions of
  /// one name in a file and two included files with one name.
  symbols(const parse_result& r, std::vector<diagnostic>& diags);

  /// The definition `name` ("X" or "inc.X") denotes in program `file`;
  /// unresolved if none.
  definition_ref find(const std::string& file, std::string_view name) const;

  /// True if `name` has a prefix and that prefix is no include of `file`.
  bool unknown_prefix(const std::string& file, std::string_view name) const;

private:
  using name_map = std::map<std::string, std::string, std::less<>>;
  using index_map = std::map<std::string, std::size_t, std::less<>>;

  void index(const std::string& file, const program& p,
             std::vector<diagnostic>& diags);

  /// Definitions by name, per program.
  std::map<std::string, index_map, std::less<>> definitions_;
  /// Program keys by include name, per program.
  std::map<std::string, name_map, std::less<>> includes_;
};

/// Appends an error at `at` to `diags`.
void report(std::vector<diagnostic>& diags, const location& at,
            std::string message);

/// "file:line:column" of `at`, to point at the other half of a clash.
std::string where(const location& at);

} // namespace kitex::idl
