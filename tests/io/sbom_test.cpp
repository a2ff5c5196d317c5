#include <psw/io/sbom.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("the build tree's libpsw reads the SBOM its build wrote", "[io][sbom]") {
  // This test links the build tree's libpsw, whose SBOM the `sbom` target writes here.
  const fs::path expected = fs::path(PSW_BINARY_DIR) / "psw.cdx.json";
  CHECK(psw::io::sbom_path() == expected);
  REQUIRE(fs::exists(expected));
  const std::string text = psw::io::sbom_text();
  CHECK(text == read_all(expected));
  CHECK_THAT(text, Contains("\"specVersion\": \"1.5\""));
}

TEST_CASE("write_sbom replaces the target in one step and leaves nothing else", "[io][sbom]") {
  const auto dir = fs::temp_directory_path() / "psw_sbom_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto target = dir / "out.cdx.json";
  std::ofstream(target) << "stale";

  psw::io::write_sbom(target);
  CHECK(read_all(target) == psw::io::sbom_text());
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("write_sbom names a missing directory or a directory target", "[io][sbom]") {
  SECTION("missing directory") {
    CHECK_THROWS_WITH(psw::io::write_sbom("/nonexistent/dir/x.json"),
                      Contains("directory '/nonexistent/dir' does not exist"));
  }
  SECTION("a directory is not a file name") {
    CHECK_THROWS_AS(psw::io::write_sbom(fs::temp_directory_path()), std::invalid_argument);
    CHECK_THROWS_WITH(psw::io::write_sbom(fs::temp_directory_path()),
                      Contains("is a directory; give a file name"));
  }
}
