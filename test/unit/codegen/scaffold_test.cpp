// scaffold(), in-process: the project `kitex-actor -service` writes, and
// what running it again after the IDL changed does to handler.cpp.

#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "codegen_test_util.hpp"
#include "scaffold.hpp"

using namespace kitex;
using kitex::test::file;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (auto i = text.find(part); i != std::string::npos;
       i = text.find(part, i + 1))
    ++n;
  return n;
}

idl::parse_result parse(const std::string& text) {
  auto parsed = idl::parse_string(text, "calc.thrift");
  REQUIRE(parsed.ok());
  return parsed;
}

const codegen::generated_file& entry(const codegen::generation& g,
                                     const std::string& name) {
  auto i = std::find_if(g.files.begin(), g.files.end(),
                        [&](const auto& f) { return f.name == name; });
  REQUIRE(i != g.files.end());
  return *i;
}

const char* calc_v1 = R"(namespace cpp calc
service Calc {
  i32 Add(1: i32 a, 2: i32 b),
}
)";

// v1 plus two methods.
const char* calc_v2 = R"(namespace cpp calc
service Calc {
  i32 Add(1: i32 a, 2: i32 b),
  i32 Sub(1: i32 a, 2: i32 b),
  oneway void Reset(),
}
)";

/// `text` with `from` (which must occur) replaced by `to`.
std::string replaced(std::string text, const std::string& from,
                     const std::string& to) {
  auto i = text.find(from);
  REQUIRE(i != std::string::npos);
  return text.replace(i, from.size(), to);
}

/// handler.cpp of calc_v1 as a user leaves it: Add implemented, some
/// state, and a comment that names a method it does not define yet.
std::string user_handler() {
  auto g = codegen::scaffold(parse(calc_v1), "demo", {});
  REQUIRE(g.ok());
  auto text = replaced(file(g, "handler.cpp"),
                       "  // TODO: implement Calc.Add.\n  return int32_t{};\n",
                       "  ++calls;\n  return a + b;\n");
  text = replaced(text, "std::shared_ptr<",
                  "namespace {\nstd::atomic<int> calls{0};\n}\n\n"
                  "std::shared_ptr<");
  return text + "\n// Later: calc_handler::Sub(a, b).\n";
}

} // namespace

TEST_CASE("scaffold() adds the project files, the user's only once") {
  auto parsed = idl::parse_string("namespace cpp p\nservice A { i32 X() }\n"
                                  "service B { oneway void Y(1: i32 y) }\n",
                                  "svc.thrift");
  REQUIRE(parsed.ok());
  auto g = codegen::scaffold(parsed, "demo", {});
  REQUIRE(g.ok());
  CHECK_FALSE(entry(g, "kitex_gen/svc.kitex.hpp").keep_existing);
  CHECK_FALSE(entry(g, "kitex_gen/svc.kitex.cpp").keep_existing);
  CHECK_FALSE(entry(g, "kitex_gen/b_handler.hpp").keep_existing);
  CHECK(entry(g, "CMakeLists.txt").keep_existing);
  CHECK(entry(g, "main.cpp").keep_existing);
  CHECK(entry(g, "handler.cpp").keep_existing);
  CHECK(entry(g, "README.md").keep_existing);
  // Kitex serves the last service of the IDL.
  CHECK(contains(file(g, "main.cpp"), "srv.add_service<::p::B>("));
  CHECK(
    contains(file(g, "CMakeLists.txt"), "find_package(KitexActor REQUIRED)"));
  auto none = idl::parse_string("struct A {}\n", "types.thrift");
  REQUIRE(none.ok());
  CHECK_FALSE(codegen::scaffold(none, "demo", {}).ok());
}

TEST_CASE("scaffold() declares the handler class in kitex_gen/, handler.cpp "
          "defines it") {
  auto g = codegen::scaffold(parse(calc_v1), "demo", {});
  REQUIRE(g.ok());
  auto hpp = file(g, "kitex_gen/calc_handler.hpp");
  CHECK(contains(hpp, "#include \"calc.kitex.hpp\""));
  CHECK(contains(hpp, "class calc_handler final : public ::calc::CalcHandler {"
                      "\npublic:\n"
                      "  caf::expected<int32_t> Add(int32_t a, int32_t b) "
                      "override;\n};"));
  CHECK(contains(hpp, "std::shared_ptr<::calc::CalcHandler> make_handler();"));
  auto cpp = file(g, "handler.cpp");
  CHECK(contains(cpp, "#include \"kitex_gen/calc_handler.hpp\""));
  CHECK(contains(cpp, "return std::make_shared<calc_handler>();"));
  CHECK(contains(cpp, "caf::expected<int32_t> calc_handler::Add(int32_t a, "
                      "int32_t b) {\n"
                      "  // TODO: implement Calc.Add.\n"
                      "  return int32_t{};\n}\n"));
}

TEST_CASE("a re-run appends stubs for new methods to handler.cpp, once") {
  auto mine = user_handler();
  codegen::existing_file old{"proj/handler.cpp", mine};
  auto g2 = codegen::scaffold(parse(calc_v2), "demo", {}, old);
  REQUIRE(g2.ok());
  CHECK(g2.diagnostics.empty());
  auto& h2 = entry(g2, "handler.cpp");
  CHECK_FALSE(h2.keep_existing); // to be written
  CHECK(h2.note == "appended stubs for Sub, Reset");
  REQUIRE(h2.content.starts_with(mine)); // the user's code, byte for byte
  auto added = h2.content.substr(mine.size());
  CHECK(added
        == "\n"
           "caf::expected<int32_t> calc_handler::Sub(int32_t a, "
           "int32_t b) {\n"
           "  // TODO: implement Calc.Sub.\n"
           "  return int32_t{};\n"
           "}\n"
           "\n"
           "void calc_handler::Reset() {\n"
           "  // TODO: implement Calc.Reset.\n"
           "}\n");
  CHECK(count(h2.content, "calc_handler::Add(") == 1);
  auto hpp = file(g2, "kitex_gen/calc_handler.hpp");
  CHECK(contains(hpp, "  caf::expected<int32_t> Sub(int32_t a, int32_t b) "
                      "override;\n  void Reset() override;\n};"));
  // A third run finds every method: nothing changes.
  old.content = h2.content;
  auto g3 = codegen::scaffold(parse(calc_v2), "demo", {}, old);
  REQUIRE(g3.ok());
  CHECK(g3.diagnostics.empty());
  CHECK(entry(g3, "handler.cpp").keep_existing);
  CHECK(entry(g3, "handler.cpp").note.empty());
  CHECK(file(g3, "kitex_gen/calc_handler.hpp") == hpp);
}

TEST_CASE("a method removed from the IDL is a warning, its code stays") {
  auto g2 = codegen::scaffold(parse(calc_v2), "demo", {});
  auto text = file(g2, "handler.cpp");
  auto g = codegen::scaffold(parse(calc_v1), "demo", {},
                             codegen::existing_file{"proj/handler.cpp", text});
  REQUIRE(g.ok()); // warnings only
  CHECK(entry(g, "handler.cpp").keep_existing);
  REQUIRE(g.diagnostics.size() == 2);
  auto& sub = g.diagnostics[0];
  CHECK_FALSE(sub.error);
  auto at = text.find("calc_handler::Sub(");
  CHECK(sub.file == "proj/handler.cpp");
  CHECK(sub.line == 1 + std::count(text.begin(), text.begin() + at, '\n'));
  CHECK(sub.column == static_cast<int>(at - text.rfind('\n', at)));
  CHECK(contains(to_string(sub), "warning: calc_handler::Sub is not a method "
                                 "of Calc any more"));
  CHECK(contains(g.diagnostics[1].message, "calc_handler::Reset"));
}

TEST_CASE("a handler.cpp that does not include the generated class gets no "
          "stubs") {
  auto g
    = codegen::scaffold(parse(calc_v2), "demo", {},
                        codegen::existing_file{"handler.cpp", "// mine\n"});
  REQUIRE(g.ok());
  CHECK(entry(g, "handler.cpp").keep_existing);
  REQUIRE(g.diagnostics.size() == 1);
  CHECK(contains(to_string(g.diagnostics[0]),
                 "handler.cpp: warning: does not include "
                 "kitex_gen/calc_handler.hpp"));
}

TEST_CASE("stubs cover the methods of the services a service extends") {
  auto g = codegen::scaffold(parse(R"(namespace cpp calc
service Base { i32 Version() }
service Calc extends Base { i32 Add(1: i32 a, 2: i32 b) }
)"),
                             "demo", {});
  REQUIRE(g.ok());
  CHECK(contains(file(g, "kitex_gen/calc_handler.hpp"),
                 "caf::expected<int32_t> Version() override;"));
  CHECK(contains(file(g, "handler.cpp"),
                 "caf::expected<int32_t> calc_handler::Version() {"));
}
