#include <psw/io/results_file.hpp>
#include <psw/io/vtk_fields.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <stdexcept>
#include <vector>

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const char* name) {
  const auto dir = fs::temp_directory_path() / "psw_io_test";
  fs::create_directories(dir);
  return dir / name;
}
}  // namespace

TEST_CASE("datasets and attributes round-trip through an HDF5 file", "[io]") {
  const auto path = scratch("roundtrip.h5");
  fs::remove(path);
  std::vector<double> field(5000);
  for (std::size_t i = 0; i < field.size(); ++i) field[i] = 0.5 * static_cast<double>(i);
  {
    psw::io::ResultsFile file(path);
    file.write("/thermal/Te_K", field, {50, 100});  // large: chunked and compressed
    file.write("/thermal/time_s", std::vector<double>{0.0, 1e-15});
    file.write_scalar("/thermal/haz/extent_m", 4.2e-8);
    file.write_provenance("ttm: {}\n");
    CHECK_FALSE(fs::exists(path));  // nothing at the target until commit
    file.commit();
  }
  std::vector<std::size_t> shape;
  CHECK(psw::io::read_dataset(path, "/thermal/Te_K", &shape) == field);
  CHECK(shape == std::vector<std::size_t>{50, 100});
  CHECK(psw::io::read_dataset(path, "/thermal/haz/extent_m") == std::vector<double>{4.2e-8});
  CHECK(psw::io::read_string_attribute(path, "/", "case") == "ttm: {}\n");
  CHECK_FALSE(psw::io::read_string_attribute(path, "/", "psw_version").empty());
  const auto listing = psw::io::list_datasets(path);
  CHECK(std::find(listing.begin(), listing.end(), "/thermal/Te_K [50 x 100]") != listing.end());
}

TEST_CASE("a results file dropped before commit leaves the old file untouched", "[io]") {
  // Atomic replacement: a failed run must not corrupt results already written.
  const auto path = scratch("atomic.h5");
  {
    psw::io::ResultsFile first(path);
    first.write_scalar("/value", 1.0);
    first.commit();
  }
  fs::path temporary;
  {
    psw::io::ResultsFile second(path);
    second.write_scalar("/value", 2.0);
    temporary = second.temporary_path();
    CHECK(fs::exists(temporary));
  }  // destroyed without commit: an interrupted run
  CHECK_FALSE(fs::exists(temporary));
  CHECK(psw::io::read_dataset(path, "/value") == std::vector<double>{1.0});
}

TEST_CASE("io errors name the file and the dataset", "[io]") {
  REQUIRE_THROWS_WITH(psw::io::ResultsFile("/nonexistent-dir/x.h5"),
                      Contains("cannot create results file '/nonexistent-dir/x.h5'"));
  const auto path = scratch("errors.h5");
  {
    psw::io::ResultsFile file(path);
    REQUIRE_THROWS_WITH(file.write("/a", std::vector<double>{1, 2, 3}, {2, 2}),
                        Contains("dataset '/a': shape holds 4 values but 3 were given"));
    file.write_scalar("/b", 1.0);
    file.commit();
  }
  REQUIRE_THROWS_WITH(psw::io::read_dataset(path, "/missing"),
                      Contains("'" + path.string() + "': has no dataset '/missing'"));
  const auto junk = scratch("junk.h5");
  std::ofstream(junk) << "not hdf5";
  REQUIRE_THROWS_WITH(psw::io::read_dataset(junk, "/x"), Contains("cannot be opened"));
}

TEST_CASE("VTK writer refuses fields of the wrong size and writes a complete file", "[io]") {
  const std::vector<double> x{0, 1, 2}, y{0, 1}, z{0, 0.5, 1.0};
  const std::vector<double> four{1, 2, 3, 4}, three{1, 2, 3};
  const auto path = scratch("grid.vtr");
  REQUIRE_THROWS_WITH(psw::io::write_rectilinear_vtr(path, x, y, z, {{"T", three}}),
                      Contains("field 'T' has 3 values for 4 cells"));
  psw::io::write_rectilinear_vtr(path, x, y, z, {{"T", four}});
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // 2 × 1 × 2 cells: extents are point indices 0..2, 0..1, 0..2; T ranges over 1..4.
  CHECK_THAT(text, Contains("WholeExtent=\"0 2 0 1 0 2\""));
  CHECK_THAT(text, Contains("Name=\"T\""));
  CHECK_THAT(text, Contains("RangeMax=\"4\""));
}
