// Golden files: the generated code of echo.thrift and of the rich test IDL's
// shared.thrift, byte for byte. After an intended change of the generator,
// regenerate them with
//   KITEX_UPDATE_GOLDEN=1 ./codegen_tests "[golden]"
// and review the diff.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "generator.hpp"
#include "kitex/idl/parser.hpp"

using namespace kitex;

namespace {

namespace fs = std::filesystem;

const fs::path golden_dir
  = fs::path{KITEX_SOURCE_DIR} / "test/unit/codegen/golden";

std::string read_text(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void check_golden(const std::string& idl, const std::string& file_name) {
  auto parsed = idl::parse_file(idl);
  REQUIRE(parsed.ok());
  auto g = codegen::generate(parsed, {});
  REQUIRE(g.ok());
  bool found = false;
  for (auto& f : g.files) {
    if (f.name.rfind(file_name, 0) != 0)
      continue;
    found = true;
    auto golden = golden_dir / (f.name + ".golden");
    if (std::getenv("KITEX_UPDATE_GOLDEN") != nullptr) {
      std::ofstream{golden, std::ios::binary} << f.content;
      WARN("updated " << golden.string());
      continue;
    }
    INFO(golden.string() << " differs; see the test's header comment");
    CHECK(f.content == read_text(golden));
  }
  CHECK(found);
}

} // namespace

TEST_CASE("echo.thrift generates the golden echo.kitex.hpp/.cpp", "[golden]") {
  check_golden(std::string{KITEX_SOURCE_DIR} + "/examples/echo/echo.thrift",
               "echo.kitex.");
}

TEST_CASE("shared.thrift generates the golden shared.kitex.hpp/.cpp",
          "[golden]") {
  check_golden(std::string{KITEX_SOURCE_DIR}
                 + "/test/unit/codegen/idl/shared.thrift",
               "shared.kitex.");
}
