// The kitex-actor command line: outputs, -I, -service, and the exit codes a
// build relies on (0 generated, 1 IDL errors, 2 usage).

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace {

namespace fs = std::filesystem;

/// A fresh scratch directory, removed at the end of the test.
struct scratch_dir {
  fs::path path;

  scratch_dir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path()
           / ("kitex_cli_test_" + std::to_string(::getpid()) + "_"
              + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }

  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }

  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream{path / name} << text;
  }

  std::string read(const std::string& name) const {
    std::ifstream in{path / name};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
};

struct result {
  int code = -1;
  std::string out; // stdout and stderr
};

/// Runs kitex-actor with `args` (a shell fragment) in `dir`.
result run(const scratch_dir& dir, const std::string& args) {
  auto log = dir.path / "cli.log";
  auto cmd = "cd '" + dir.path.string() + "' && '" KITEX_ACTOR_PATH "' " + args
             + " > '" + log.string() + "' 2>&1";
  auto status = std::system(cmd.c_str());
  result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = dir.read("cli.log");
  return r;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* service_idl = R"(namespace cpp demo
include "types.thrift"
service Greeter {
  types.Greeting Greet(1: string name),
  oneway void Poke(),
}
)";

const char* types_idl = R"(namespace cpp demo.types
struct Greeting { 1: string text }
)";

} // namespace

TEST_CASE("kitex-actor --version and --help exit 0") {
  scratch_dir dir;
  auto v = run(dir, "--version");
  CHECK(v.code == 0);
  CHECK(contains(v.out, "kitex-actor 0."));
  CHECK(run(dir, "-version").code == 0); // Kitex's single-dash spelling
  auto h = run(dir, "--help");
  CHECK(h.code == 0);
  CHECK(contains(h.out, "--type-id-offset"));
  CHECK(contains(h.out, "--service"));
}

TEST_CASE("kitex-actor usage errors exit 2") {
  scratch_dir dir;
  CHECK(run(dir, "").code == 2);
  CHECK(run(dir, "--no-such-flag x.thrift").code == 2);
  CHECK(run(dir, "--type-id-offset abc x.thrift").code == 2);
}

TEST_CASE("kitex-actor IDL errors exit 1 with file:line:column") {
  scratch_dir dir;
  dir.write("bad.thrift", "struct A {\n  1: i32 x,\n  2: Missing y,\n}\n");
  auto r = run(dir, "bad.thrift");
  CHECK(r.code == 1);
  CHECK(contains(r.out, "bad.thrift:3:6: error:"));
  CHECK_FALSE(fs::exists(dir.path / "bad.kitex.hpp"));
  CHECK(run(dir, "missing.thrift").code == 1);
  dir.write("cycle.thrift", "struct A { 1: B b }\nstruct B { 1: A a }\n");
  auto c = run(dir, "cycle.thrift");
  CHECK(c.code == 1);
  CHECK(contains(c.out, "cycle.thrift:1:8: error:"));
}

TEST_CASE("kitex-actor generates every included file, found with -I") {
  scratch_dir dir;
  dir.write("idl/greeter.thrift", service_idl);
  dir.write("inc/types.thrift", types_idl);
  CHECK(run(dir, "idl/greeter.thrift").code == 1); // types.thrift not found
  auto r = run(dir, "-I inc -o out --type-id-offset 5000 idl/greeter.thrift");
  INFO(r.out);
  REQUIRE(r.code == 0);
  for (auto f : {"greeter.kitex.hpp", "greeter.kitex.cpp", "types.kitex.hpp",
                 "types.kitex.cpp"})
    CHECK(fs::exists(dir.path / "out" / f));
  CHECK(contains(dir.read("out/types.kitex.hpp"),
                 "CAF_BEGIN_TYPE_ID_BLOCK(demo_types_types, 5000)"));
  CHECK(contains(dir.read("out/greeter.kitex.hpp"),
                 "CAF_BEGIN_TYPE_ID_BLOCK(demo_greeter, 5001)"));
  CHECK(contains(dir.read("out/greeter.kitex.hpp"),
                 "#include \"types.kitex.hpp\""));
}

TEST_CASE("kitex-actor -service writes a project and keeps the user's files") {
  scratch_dir dir;
  dir.write("greeter.thrift", service_idl);
  dir.write("types.thrift", types_idl);
  auto r = run(dir, "-service greeter -o proj greeter.thrift");
  INFO(r.out);
  REQUIRE(r.code == 0);
  for (auto f : {"CMakeLists.txt", "main.cpp", "handler.cpp", "README.md",
                 "kitex_gen/greeter.kitex.hpp", "kitex_gen/types.kitex.cpp"})
    CHECK(fs::exists(dir.path / "proj" / f));
  auto handler = dir.read("proj/handler.cpp");
  CHECK(contains(handler, "caf::expected<::demo::types::Greeting>\n"
                          "greeter_handler::Greet(const std::string& name) {"));
  CHECK(contains(handler, "void greeter_handler::Poke() {"));
  CHECK(
    contains(dir.read("proj/main.cpp"), "srv.add_service<::demo::Greeter>("));
  dir.write("proj/handler.cpp", "// mine\n");
  dir.write("proj/kitex_gen/greeter.kitex.hpp", "stale\n");
  auto again = run(dir, "-service greeter -o proj greeter.thrift");
  REQUIRE(again.code == 0);
  CHECK(contains(again.out, "kept"));
  CHECK(dir.read("proj/handler.cpp") == "// mine\n");
  CHECK(contains(dir.read("proj/kitex_gen/greeter.kitex.hpp"),
                 "class GreeterHandler"));
}

TEST_CASE("kitex-actor -service appends stubs for new methods to handler.cpp") {
  scratch_dir dir;
  dir.write("greeter.thrift", service_idl);
  dir.write("types.thrift", types_idl);
  REQUIRE(run(dir, "-service greeter -o proj greeter.thrift").code == 0);
  auto mine = dir.read("proj/handler.cpp");
  std::string todo = "// TODO: implement Greeter.Greet.";
  auto at = mine.find(todo);
  REQUIRE(at != std::string::npos);
  mine.replace(at, todo.size(), "// mine: greet politely.");
  dir.write("proj/handler.cpp", mine);
  std::string grown = service_idl;
  grown.insert(grown.find("  oneway"), "  i32 Count(),\n");
  dir.write("greeter.thrift", grown);

  auto again = run(dir, "-service greeter -o proj greeter.thrift");
  INFO(again.out);
  REQUIRE(again.code == 0);
  CHECK(contains(again.out, "handler.cpp: appended stubs for Count"));
  auto extended = dir.read("proj/handler.cpp");
  CHECK(extended.starts_with(mine));
  CHECK(extended.find("greeter_handler::Count()")
        == extended.rfind("greeter_handler::Count()"));
  CHECK(contains(extended.substr(mine.size()),
                 "caf::expected<int32_t> greeter_handler::Count() {"));
  CHECK(contains(dir.read("proj/kitex_gen/greeter_handler.hpp"),
                 "caf::expected<int32_t> Count() override;"));

  auto third = run(dir, "-service greeter -o proj greeter.thrift");
  INFO(third.out);
  REQUIRE(third.code == 0);
  CHECK(contains(third.out, "kept proj/handler.cpp"));
  CHECK_FALSE(contains(third.out, "updated"));
  CHECK(dir.read("proj/handler.cpp") == extended);

  // Poke leaves the IDL: a warning, and the user's code stays.
  std::string shrunk = grown;
  shrunk.erase(shrunk.find("  oneway"),
               std::string{"  oneway void Poke(),\n"}.size());
  dir.write("greeter.thrift", shrunk);
  auto fourth = run(dir, "-service greeter -o proj greeter.thrift");
  INFO(fourth.out);
  REQUIRE(fourth.code == 0);
  CHECK(contains(fourth.out, "proj/handler.cpp:"));
  CHECK(contains(fourth.out, ": warning: greeter_handler::Poke is not a "
                             "method of Greeter any more"));
  CHECK(dir.read("proj/handler.cpp") == extended);
}
