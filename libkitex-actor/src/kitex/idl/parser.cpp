#include "kitex/idl/parser.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "kitex/idl/lexer.hpp"
#include "kitex/idl/resolve.hpp"
#include "kitex/idl/syntax.hpp"

namespace kitex::idl {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return std::nullopt;
  return std::move(text).str();
}

/// The key of a file: its canonical path, so `a/../b.thrift` and `b.thrift`
/// are one program.
std::string canonical_key(const fs::path& path) {
  std::error_code ec;
  auto p = fs::weakly_canonical(path, ec);
  if (ec)
    p = fs::absolute(path, ec).lexically_normal();
  return p.string();
}

/// The prefix that names a file's definitions: `a/b.thrift` -> `b`.
std::string program_name(const std::string& path) {
  return fs::path{path}.stem().string();
}

/// Reads files depth first; `stack_` holds the files being read, so an
/// include of one of them closes a cycle.
class loader {
public:
  loader(parse_result& r, const std::vector<std::string>& search_paths)
    : result_(r), search_(search_paths.begin(), search_paths.end()) {}

  void load(const std::string& key, const std::string& path,
            std::string_view text);

private:
  void load_include(const program& from, include_decl& inc);
  std::optional<fs::path> find_include(const program& from,
                                       const std::string& file) const;
  std::string cycle_text(const std::string& key) const;

  void error(const location& at, std::string message) {
    result_.diagnostics.push_back(
      diagnostic{at.file, at.line, at.column, std::move(message), true});
  }

  parse_result& result_;
  std::vector<fs::path> search_;
  std::vector<std::string> stack_;
};

void loader::load(const std::string& key, const std::string& path,
                  std::string_view text) {
  auto& prog = result_.programs[key];
  prog.path = path;
  prog.name = program_name(path);
  auto lexed = lex(text, path);
  auto& diags = result_.diagnostics;
  diags.insert(diags.end(), lexed.diagnostics.begin(), lexed.diagnostics.end());
  // Parsing after a bad token (an unterminated string swallows the rest of
  // the file) would only add noise.
  if (has_errors(lexed.diagnostics))
    return;
  parse_tokens(lexed.tokens, prog, diags);
  stack_.push_back(key);
  for (auto& inc : prog.includes)
    load_include(prog, inc);
  stack_.pop_back();
}

void loader::load_include(const program& from, include_decl& inc) {
  inc.name = program_name(inc.path);
  auto found = find_include(from, inc.path);
  if (!found) {
    error(inc.loc, "cannot find include '" + inc.path + "'");
    return;
  }
  inc.file = canonical_key(*found);
  if (std::find(stack_.begin(), stack_.end(), inc.file) != stack_.end()) {
    error(inc.loc, "include cycle: " + cycle_text(inc.file));
    return;
  }
  if (result_.programs.count(inc.file) != 0)
    return; // read already, through another include
  auto text = read_file(*found);
  if (!text) {
    error(inc.loc, "cannot read include '" + found->string() + "'");
    return;
  }
  load(inc.file, found->string(), *text);
}

std::optional<fs::path> loader::find_include(const program& from,
                                             const std::string& file) const {
  fs::path inc{file};
  std::vector<fs::path> candidates;
  if (inc.is_absolute()) {
    candidates.push_back(inc);
  } else {
    candidates.push_back(fs::path{from.path}.parent_path() / inc);
    for (auto& dir : search_)
      candidates.push_back(dir / inc);
  }
  for (auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec))
      return c.lexically_normal();
  }
  return std::nullopt;
}

/// "a.thrift -> b.thrift -> a.thrift" for a cycle closing at `key`.
std::string loader::cycle_text(const std::string& key) const {
  auto first = std::find(stack_.begin(), stack_.end(), key);
  std::string out;
  for (auto i = first; i != stack_.end(); ++i)
    out += result_.programs.at(*i).path + " -> ";
  return out + result_.programs.at(key).path;
}

void finish(parse_result& r) {
  if (r.ok())
    (void)resolve(r); // reports into r.diagnostics
}

} // namespace

bool parse_result::ok() const noexcept {
  return !has_errors(diagnostics) && programs.count(main_file) != 0;
}

const program* parse_result::main() const noexcept {
  return find(main_file);
}

const program* parse_result::find(const std::string& file) const noexcept {
  auto i = programs.find(file);
  return i == programs.end() ? nullptr : &i->second;
}

parse_result parse_file(const std::string& path,
                        const std::vector<std::string>& search_paths) {
  parse_result r;
  r.main_file = canonical_key(path);
  auto text = read_file(path);
  if (!text) {
    r.diagnostics.push_back(diagnostic{path, 0, 0, "cannot open file", true});
    return r;
  }
  loader{r, search_paths}.load(r.main_file, path, *text);
  finish(r);
  return r;
}

parse_result parse_string(std::string_view text,
                          const std::string& virtual_name,
                          const std::vector<std::string>& search_paths) {
  parse_result r;
  r.main_file = virtual_name;
  loader{r, search_paths}.load(r.main_file, virtual_name, text);
  finish(r);
  return r;
}

} // namespace kitex::idl
