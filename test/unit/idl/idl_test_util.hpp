#pragma once

// Helpers of the IDL front-end tests: parse a string, pick a definition by
// name, list the errors, and a scratch directory for include tests.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "kitex/idl/parser.hpp"
#include "kitex/idl/resolve.hpp"

namespace kitex::test {

/// Parses `text` as "test.thrift".
inline idl::parse_result parse(const std::string& text) {
  return idl::parse_string(text, "test.thrift");
}

/// The errors of `r` as "file:line:column: error: message" lines.
inline std::vector<std::string> errors(const idl::parse_result& r) {
  std::vector<std::string> out;
  for (auto& d : r.diagnostics)
    if (d.error)
      out.push_back(to_string(d));
  return out;
}

/// Parses `text`, requires success, and keeps the result alive.
struct parsed {
  explicit parsed(const std::string& text) : result(parse(text)) {
    INFO(Catch::Detail::stringify(errors(result)));
    REQUIRE(result.ok());
    REQUIRE(result.main() != nullptr);
  }

  const idl::program& main() const {
    return *result.main();
  }

  /// The definition of type T named `name` in the main program.
  template<class T>
  const T& get(const std::string& name) const {
    auto i = main().find(name);
    INFO("definition " << name);
    REQUIRE(i != idl::npos);
    auto* d = std::get_if<T>(&main().definitions[i]);
    REQUIRE(d != nullptr);
    return *d;
  }

  idl::parse_result result;
};

/// Parses `text`, requires failure and returns the single first error as
/// "line:column: message" (the file name is always test.thrift).
inline std::string first_error(const std::string& text) {
  auto r = parse(text);
  REQUIRE_FALSE(r.ok());
  for (auto& d : r.diagnostics)
    if (d.error) {
      CHECK(d.file == "test.thrift");
      return std::to_string(d.line) + ':' + std::to_string(d.column) + ": "
             + d.message;
    }
  FAIL("no error diagnostic");
  return {};
}

/// A fresh directory under the system temp dir, removed on destruction.
class temp_dir {
public:
  temp_dir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path()
            / ("kitex_idl_" + std::to_string(::getpid()) + "_"
               + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }

  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  /// Writes `text` to `name` (relative, directories created); returns the
  /// full path.
  std::string write(const std::string& name, const std::string& text) {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream{p, std::ios::binary} << text;
    return p.string();
  }

  std::string path(const std::string& name = {}) const {
    return name.empty() ? path_.string() : (path_ / name).string();
  }

private:
  std::filesystem::path path_;
};

} // namespace kitex::test
