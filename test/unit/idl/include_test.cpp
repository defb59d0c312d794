// Include resolution across files: relative to the including file, then
// the -I search paths; each file once; cycles; the repository's IDLs.

#include <filesystem>

#include <catch2/catch.hpp>

#include "unit/idl/idl_test_util.hpp"

using namespace kitex::idl;
using kitex::test::errors;
using kitex::test::temp_dir;

namespace {

const program& by_name(const parse_result& r, const std::string& name) {
  for (auto& [key, p] : r.programs)
    if (p.name == name)
      return p;
  FAIL("no program " << name);
  throw 0; // not reached
}

} // namespace

TEST_CASE("types, consts and services across includes", "[idl][include]") {
  temp_dir dir;
  dir.write("common/base.thrift", R"(
    namespace cpp base
    enum Level { LOW = 1, HIGH = 2 }
    const i32 LIMIT = 5
    struct Header { 1: string trace }
    exception Failure { 1: string why }
    service BaseService { void ping() }
  )");
  auto main = dir.write("api/main.thrift", R"(
    include "base.thrift"
    struct Request {
      1: base.Header header
      2: base.Level level = base.Level.HIGH
      3: list<base.Header> history
      4: i32 limit = base.LIMIT
    }
    service Api extends base.BaseService {
      Request echo(1: Request r) throws (1: base.Failure f)
    }
  )");
  auto r = parse_file(main, {dir.path("common")});
  INFO(Catch::Detail::stringify(errors(r)));
  REQUIRE(r.ok());
  REQUIRE(r.programs.size() == 2);
  auto& m = *r.main();
  REQUIRE(m.includes.size() == 1);
  CHECK(m.includes[0].name == "base");
  CHECK(m.includes[0].path == "base.thrift");
  auto& base = by_name(r, "base");
  CHECK(m.includes[0].file == r.programs.find(m.includes[0].file)->first);
  CHECK(*base.namespace_for("cpp") == "base");

  auto& req = std::get<struct_def>(m.definitions[0]);
  auto& header = req.fields[0].type;
  CHECK(header.target.file == m.includes[0].file);
  CHECK(header.target.index == base.find("Header"));
  auto* level = lookup_enum_value(r, req.fields[1].default_value->target);
  REQUIRE(level != nullptr);
  CHECK(level->value == 2);
  CHECK(req.fields[2].type.params[0].target.index == base.find("Header"));
  CHECK(req.fields[3].default_value->target.index == base.find("LIMIT"));

  auto& api = std::get<service_def>(m.definitions[1]);
  CHECK(api.extends == "base.BaseService");
  auto* parent = lookup(r, api.extends_target);
  REQUIRE(parent != nullptr);
  CHECK(std::get<service_def>(*parent).functions[0].name == "ping");
  CHECK(api.functions[0].throws[0].type.target.index == base.find("Failure"));
}

TEST_CASE("an include next to the file wins over -I", "[idl][include]") {
  temp_dir dir;
  dir.write("a/shared.thrift", "struct Near {}");
  dir.write("b/shared.thrift", "struct Far {}");
  auto main = dir.write("a/main.thrift", "include \"shared.thrift\"\n"
                                         "struct S { 1: shared.Near n }\n");
  auto r = parse_file(main, {dir.path("b")});
  INFO(Catch::Detail::stringify(errors(r)));
  REQUIRE(r.ok());
  CHECK(by_name(r, "shared").find("Near") == 0);

  // Search paths are tried in order.
  auto other = dir.write("c/main.thrift", "include \"shared.thrift\"\n"
                                          "struct S { 1: shared.Far n }\n");
  auto r2 = parse_file(other, {dir.path("b"), dir.path("a")});
  INFO(Catch::Detail::stringify(errors(r2)));
  CHECK(r2.ok());
}

TEST_CASE("a file included twice is parsed once", "[idl][include]") {
  temp_dir dir;
  dir.write("shared.thrift", "struct Common {}");
  dir.write("left.thrift", "include \"shared.thrift\"\n"
                           "struct L { 1: shared.Common c }");
  dir.write("right.thrift", "include \"./shared.thrift\"\n"
                            "struct R { 1: shared.Common c }");
  auto main
    = dir.write("main.thrift", "include \"left.thrift\"\n"
                               "include \"right.thrift\"\n"
                               "struct M { 1: left.L l, 2: right.R r }");
  auto r = parse_file(main);
  INFO(Catch::Detail::stringify(errors(r)));
  REQUIRE(r.ok());
  CHECK(r.programs.size() == 4);
}

TEST_CASE("parse_string resolves includes through -I", "[idl][include]") {
  temp_dir dir;
  dir.write("lib.thrift", "typedef i64 Id");
  auto r = parse_string("include \"lib.thrift\"\n"
                        "struct S { 1: lib.Id id }\n",
                        "virtual.thrift", {dir.path()});
  INFO(Catch::Detail::stringify(errors(r)));
  REQUIRE(r.ok());
  CHECK(r.main_file == "virtual.thrift");
  auto& f = std::get<struct_def>(r.main()->definitions[0]).fields[0];
  CHECK(true_type(r, f.type).base == base_type::i64);
  CHECK(parse_string("include \"lib.thrift\"", "virtual.thrift").ok() == false);
}

TEST_CASE("include not found", "[idl][include][errors]") {
  temp_dir dir;
  auto main = dir.write("main.thrift", "namespace cpp x\n"
                                       "  include \"missing.thrift\"\n");
  auto r = parse_file(main, {dir.path()});
  REQUIRE_FALSE(r.ok());
  REQUIRE(errors(r).size() == 1);
  CHECK(errors(r)[0]
        == main + ":2:3: error: cannot find include 'missing.thrift'");
}

TEST_CASE("include cycle", "[idl][include][errors]") {
  temp_dir dir;
  auto a = dir.write("a.thrift", "include \"b.thrift\"\nstruct A {}\n");
  auto b = dir.write("b.thrift", "struct B {}\n\ninclude \"a.thrift\"\n");
  auto r = parse_file(a);
  REQUIRE_FALSE(r.ok());
  auto errs = errors(r);
  // b.thrift also puts an include after a definition.
  REQUIRE(errs.size() == 2);
  CHECK(errs[0]
        == b + ":3:1: error: 'include' must come before all definitions");
  CHECK(errs[1]
        == b + ":3:1: error: include cycle: " + a + " -> " + b + " -> " + a);

  auto self = dir.write("self.thrift", "include \"self.thrift\"\n");
  auto r2 = parse_file(self);
  REQUIRE(errors(r2).size() == 1);
  CHECK(errors(r2)[0]
        == self + ":1:1: error: include cycle: " + self + " -> " + self);
}

TEST_CASE("unreadable main file", "[idl][include][errors]") {
  auto r = parse_file("/nonexistent/dir/x.thrift");
  REQUIRE_FALSE(r.ok());
  CHECK(r.main() == nullptr);
  CHECK(errors(r)
        == std::vector<std::string>{
          "/nonexistent/dir/x.thrift: error: cannot open file"});
}

TEST_CASE("errors in an included file name that file", "[idl][include]") {
  temp_dir dir;
  auto inc = dir.write("inc.thrift", "struct X {\n  1: Missing m\n}\n");
  auto main = dir.write("main.thrift", "include \"inc.thrift\"\n");
  auto r = parse_file(main);
  REQUIRE(
    errors(r)
    == std::vector<std::string>{inc + ":2:6: error: unknown type 'Missing'"});
}

TEST_CASE("extends and types through unknown includes", "[idl][include]") {
  temp_dir dir;
  dir.write("base.thrift", "struct Real {}");
  auto main = dir.write("main.thrift", "include \"base.thrift\"\n"
                                       "service S extends base.Nope {}\n"
                                       "struct T { 1: other.Real r }\n");
  auto r = parse_file(main);
  auto errs = errors(r);
  REQUIRE(errs.size() == 2);
  CHECK(errs[0]
        == main
             + ":2:19: error: undefined service 'base.Nope' in extends of "
               "service 'S'");
  CHECK(errs[1]
        == main
             + ":3:15: error: unknown type 'other.Real': no include named "
               "'other'");
}

namespace {

/// The repository root, from this file's path (test/unit/idl/...).
std::filesystem::path repo_root() {
  return std::filesystem::path{__FILE__}.parent_path() / ".." / ".." / "..";
}

void check_echo(const std::string& path) {
  auto r = parse_file(path);
  INFO(path << ": " << Catch::Detail::stringify(errors(r)));
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());
  auto& m = *r.main();
  CHECK(*m.namespace_for("cpp") == "echo");
  CHECK(m.definitions.size() == 4);
  auto& svc = std::get<service_def>(m.definitions.back());
  CHECK(svc.name == "EchoServer");
  REQUIRE(svc.functions.size() == 2);
  CHECK(svc.functions[0].name == "Echo");
  CHECK(svc.functions[0].throws[0].type.name == "EchoError");
  CHECK(svc.functions[1].oneway);
  auto& req = std::get<struct_def>(m.definitions[0]);
  CHECK(req.fields[0].req == requiredness::required);
}

} // namespace

TEST_CASE("the repository's echo IDL parses", "[idl][include]") {
  auto path = repo_root() / "examples" / "echo" / "echo.thrift";
  REQUIRE(std::filesystem::exists(path));
  check_echo(path.string());
}

TEST_CASE("the shared echo IDL parses", "[idl][include]") {
  std::string path = "/work/shared/idl/echo.thrift";
  if (!std::filesystem::exists(path)) {
    WARN("skipping: no " << path << " on this machine");
    return;
  }
  check_echo(path);
}
