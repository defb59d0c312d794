// kitex-actor: generates libkitex-actor C++ from Thrift IDL (docs/codegen.md).
//
//   kitex-actor [-I dir]... [-o out] idl.thrift
//   kitex-actor -service NAME [-I dir]... [-o dir] idl.thrift
//
// Exit codes: 0 generated; 1 the IDL has errors (printed as
// file:line:column: error: ...) or a file could not be written; 2 usage.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "generator.hpp"
#include "kitex/idl/parser.hpp"
#include "scaffold.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int exit_ok = 0;
constexpr int exit_idl_error = 1;
constexpr int exit_usage = 2;

struct cli_options {
  std::vector<std::string> include_dirs;
  std::string out;
  std::string service;
  std::string idl;
  kitex::codegen::options gen;
};

/// Kitex spells long options with one dash (`-service`); CLI11 wants two.
std::vector<std::string> normalize(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    for (std::string_view name :
         {"-service", "-version", "-help", "-type-id-offset", "-type-id-limit"})
      if (arg == name || arg.starts_with(std::string{name} + "="))
        arg.insert(arg.begin(), '-');
    out.push_back(std::move(arg));
  }
  return out;
}

void add_options(CLI::App& app, cli_options& o) {
  app
    .add_option("-I,--include", o.include_dirs,
                "Directory searched for included IDL files")
    ->option_text("DIR ...");
  app
    .add_option("-o,--out", o.out,
                "Output directory (default: .); with --service, the project "
                "directory")
    ->option_text("DIR");
  app
    .add_option("--service", o.service,
                "Also write a ready-to-build project NAME serving the IDL's "
                "last service (main.cpp and handler.cpp are never "
                "overwritten; stubs of new methods are appended to "
                "handler.cpp)")
    ->option_text("NAME");
  app
    .add_option("--type-id-offset", o.gen.type_id_offset,
                "First CAF type ID of the generated type-ID blocks")
    ->capture_default_str();
  app
    .add_option("--type-id-limit", o.gen.type_id_limit,
                "Fail if the type IDs reach this (0: no limit)")
    ->capture_default_str();
  app.add_option("idl", o.idl, "The Thrift IDL file")->required();
  app.footer("Exit codes: 0 generated, 1 IDL errors (printed as "
             "file:line:column: error: ...), 2 usage error.");
  app.set_version_flag("--version", "kitex-actor " + kitex::codegen::version());
}

/// Writes `content` to `path`; false (with a message) on failure.
bool write_file(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << content;
  out.close();
  if (!out) {
    std::cerr << "kitex-actor: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

bool write_all(const fs::path& dir,
               const std::vector<kitex::codegen::generated_file>& files) {
  for (auto& f : files) {
    auto path = dir / f.name;
    if (f.keep_existing && fs::exists(path)) {
      std::cout << "kept " << path.string() << "\n";
      continue;
    }
    if (!write_file(path, f.content))
      return false;
    if (!f.note.empty())
      std::cout << "updated " << path.string() << ": " << f.note << "\n";
  }
  return true;
}

/// The file at `path` as it is, if it exists: an earlier run's handler.cpp,
/// which scaffold() extends rather than replaces.
std::optional<kitex::codegen::existing_file>
read_existing(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return std::nullopt;
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt; // then it is only kept
  std::ostringstream text;
  text << in.rdbuf();
  return kitex::codegen::existing_file{path.string(), text.str()};
}

int run(const cli_options& o) {
  auto parsed = kitex::idl::parse_file(o.idl, o.include_dirs);
  for (auto& d : parsed.diagnostics)
    std::cerr << to_string(d) << "\n";
  if (!parsed.ok() || parsed.main() == nullptr)
    return exit_idl_error;
  auto dir = fs::path{o.out.empty() ? "." : o.out};
  auto gen = o.service.empty()
               ? kitex::codegen::generate(parsed, o.gen)
               : kitex::codegen::scaffold(parsed, o.service, o.gen,
                                          read_existing(dir / "handler.cpp"));
  for (auto& d : gen.diagnostics)
    std::cerr << to_string(d) << "\n";
  if (!gen.ok())
    return exit_idl_error;
  return write_all(dir, gen.files) ? exit_ok : exit_idl_error;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generates libkitex-actor C++ code from Thrift IDL.",
               "kitex-actor"};
  cli_options opts;
  add_options(app, opts);
  auto args = normalize(argc, argv);
  std::vector<char*> ptrs;
  for (auto& a : args)
    ptrs.push_back(a.data());
  try {
    app.parse(static_cast<int>(ptrs.size()), ptrs.data());
  } catch (const CLI::Success& e) { // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  return run(opts);
}
