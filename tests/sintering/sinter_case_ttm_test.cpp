#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <unistd.h>

#include <psw/io/results_file.hpp>
#include <psw/sintering/sinter_case.hpp>

using namespace psw::sintering;
namespace fs = std::filesystem;

namespace {

// A slab of ten 10 nm cells (centres 5, 15, …, 95 nm) sampled at 23 times from −1 ns to
// 10 ns, with the analytic lattice temperature T(t, x) = 300 + 400·e^(−(t+1 ns)/2 ns)·e^(−x/30 nm).
constexpr std::size_t kTimes = 23, kCells = 10;
double time_at(std::size_t i) { return -1e-9 + 0.5e-9 * static_cast<double>(i); }
double depth_at(std::size_t k) { return 5e-9 + 10e-9 * static_cast<double>(k); }
double lattice_K(double t, double x) {
  return 300.0 + 400.0 * std::exp(-(t + 1e-9) / 2e-9) * std::exp(-x / 30e-9);
}

fs::path scratch_dir() {
  const fs::path dir =
      fs::temp_directory_path() / ("psw_sinter_ttm_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// Writes the analytic record the way `psw ttm -o` lays it out; `with_field` false leaves out
// /thermal/Tl_K, `status` is the run's status attribute. `lateral` cells (nx × ny) make a
// 2-D/3-D field [time × nx × ny × depth] whose lateral cell 0 holds the analytic values and
// the others 1000 K.
void write_record(const fs::path& path, bool with_field = true, const std::string& status = "ok",
                  const std::string& geometry = "slab", std::size_t nx = 1, std::size_t ny = 1) {
  const std::size_t lateral = nx * ny;
  std::vector<double> t(kTimes), x(kCells), w(kCells, 10e-9), T(kTimes * lateral * kCells);
  for (std::size_t i = 0; i < kTimes; ++i) t[i] = time_at(i);
  for (std::size_t k = 0; k < kCells; ++k) x[k] = depth_at(k);
  for (std::size_t i = 0; i < kTimes; ++i) {
    for (std::size_t j = 0; j < lateral; ++j) {
      for (std::size_t k = 0; k < kCells; ++k) {
        T[(i * lateral + j) * kCells + k] = j == 0 ? lattice_K(t[i], x[k]) : 1000.0;
      }
    }
  }
  psw::io::ResultsFile file(path);
  file.write("/thermal/time_s", t);
  file.write("/thermal/x_m", x);
  file.write("/thermal/cell_width_m", w);
  if (with_field && geometry == "slab") file.write("/thermal/Tl_K", T, {kTimes, kCells});
  if (with_field && geometry != "slab") file.write("/thermal/Tl_K", T, {kTimes, nx, ny, kCells});
  file.set_attribute("/thermal", "status", status);
  file.set_attribute("/thermal", "geometry", geometry);
  file.commit();
}

std::string case_text(const std::string& ttm) {
  return "sinter:\n  material: Ag\n  particle_diameter_nm: 50\n  duration_s: 600\n"
         "  temperature:\n    ttm: " +
         ttm + "\n";
}

SinterCase load_case(const fs::path& dir, const std::string& ttm) {
  const fs::path path = dir / "case.yaml";
  std::ofstream(path) << case_text(ttm);
  return SinterCase::from_config(psw::Config::load_file(path));
}

}  // namespace

TEST_CASE("a ttm history is the results file's lattice temperature at the nearest cell",
          "[sintering][case][ttm]") {
  const fs::path dir = scratch_dir();
  write_record(dir / "ttm.h5");

  // 23 nm is nearest the cell centred at 25 nm (index 2); the relative path resolves against
  // the case file's directory. Expected: the analytic values written, shifted to start at 0.
  const SinterCase c = load_case(dir, "{results: ttm.h5, depth_nm: 23}");
  const auto t = c.history.times_s();
  const auto T = c.history.temperatures_K();
  REQUIRE(t.size() == kTimes);
  for (std::size_t i = 0; i < kTimes; ++i) {
    CHECK(t[i] == time_at(i) - time_at(0));
    CHECK(T[i] == lattice_K(time_at(i), depth_at(2)));
  }
  // After the record the last value is held.
  CHECK(c.history.at(1.0) == lattice_K(time_at(kTimes - 1), depth_at(2)));

  SECTION("then_K continues with a linear ramp after the record") {
    const SinterCase r =
        load_case(dir, "{results: ttm.h5, depth_nm: 23, then_K: 500, then_ramp_s: 2}");
    const double end = time_at(kTimes - 1) - time_at(0);
    REQUIRE(r.history.times_s().size() == kTimes + 1);
    CHECK(r.history.times_s().back() == end + 2.0);
    CHECK(r.history.at(1e3) == 500.0);
    // Half-way along the ramp: the mean of its ends (linear interpolation).
    const double last = lattice_K(time_at(kTimes - 1), depth_at(2));
    CHECK(r.history.at(end + 1.0) == Approx(0.5 * (last + 500.0)).epsilon(1e-12));
  }

  SECTION("axisymmetric results are read on the axis") {
    write_record(dir / "axi.h5", true, "ok", "axisymmetric", 3, 1);
    const SinterCase r = load_case(dir, "{results: axi.h5, depth_nm: 23}");
    for (std::size_t i = 0; i < kTimes; ++i) {
      CHECK(r.history.temperatures_K()[i] == lattice_K(time_at(i), depth_at(2)));
    }
  }

  SECTION("the deepest cell is chosen at the back face") {
    const SinterCase r = load_case(dir, "{results: ttm.h5, depth_nm: 100}");
    CHECK(r.history.temperatures_K()[0] == lattice_K(time_at(0), depth_at(kCells - 1)));
  }
  fs::remove_all(dir);
}

TEST_CASE("densification under a ttm history equals that under the same table",
          "[sintering][case][ttm]") {
  // Same points, same TemperatureHistory: every reported number must agree exactly.
  const fs::path dir = scratch_dir();
  write_record(dir / "ttm.h5");
  const SinterCase from_ttm =
      load_case(dir, "{results: ttm.h5, depth_nm: 42, then_K: 493.15, then_ramp_s: 30}");

  // 42 nm is nearest the cell centred at 45 nm (index 4).
  std::vector<double> t, T;
  for (std::size_t i = 0; i < kTimes; ++i) {
    t.push_back(time_at(i) - time_at(0));
    T.push_back(lattice_K(time_at(i), depth_at(4)));
  }
  t.push_back(t.back() + 30.0);
  T.push_back(493.15);
  SinterCase from_table = from_ttm;
  from_table.history = TemperatureHistory::table(t, T);

  const SinterReport a = run_sinter_case(from_ttm);
  const SinterReport b = run_sinter_case(from_table);
  CHECK(a.density == b.density);
  CHECK(a.resistivity_ohm_m == b.resistivity_ohm_m);
  CHECK(a.target.time_s == b.target.time_s);
  // The deposit does densify under it (the comparison is not of two untouched deposits).
  CHECK(a.density.back() > a.density.front() + 0.05);
  fs::remove_all(dir);
}

TEST_CASE("bad ttm sources name the key, the file and the position in the case",
          "[sintering][case][ttm]") {
  const fs::path dir = scratch_dir();
  const std::string where = (dir / "case.yaml").string() + ":6:";

  SECTION("missing file") {
    CHECK_THROWS_WITH(load_case(dir, "{results: none.h5, depth_nm: 10}"),
                      Catch::StartsWith(where) &&
                          Catch::Contains("'sinter.temperature.ttm.results': no such file") &&
                          Catch::Contains("none.h5"));
  }
  SECTION("missing dataset") {
    write_record(dir / "partial.h5", false);
    CHECK_THROWS_WITH(load_case(dir, "{results: partial.h5, depth_nm: 10}"),
                      Catch::StartsWith(where) &&
                          Catch::Contains("is not a `psw ttm` results file") &&
                          Catch::Contains("has no dataset '/thermal/Tl_K'"));
  }
  SECTION("a run that did not finish") {
    write_record(dir / "failed.h5", true, "CVODE failed at t = 1e-12");
    CHECK_THROWS_WITH(load_case(dir, "{results: failed.h5, depth_nm: 10}"),
                      Catch::Contains("did not finish (CVODE failed at t = 1e-12)"));
  }
  SECTION("depth outside the film") {
    write_record(dir / "ttm.h5");
    CHECK_THROWS_WITH(load_case(dir, "{results: ttm.h5, depth_nm: 150}"),
                      Catch::StartsWith(where) &&
                          Catch::Contains("sinter.temperature.ttm.depth_nm = 150 is outside "
                                          "[0, 100] (the film in") &&
                          Catch::Contains("ttm.h5"));
  }
  SECTION("3-D results") {
    write_record(dir / "box.h5", true, "ok", "cartesian", 2, 2);
    CHECK_THROWS_WITH(load_case(dir, "{results: box.h5, depth_nm: 10}"),
                      Catch::StartsWith(where) && Catch::Contains("cartesian TTM results (") &&
                          Catch::Contains("are not supported; slab and axisymmetric ones are"));
  }
  SECTION("then_ramp_s without then_K") {
    write_record(dir / "ttm.h5");
    CHECK_THROWS_WITH(load_case(dir, "{results: ttm.h5, depth_nm: 10, then_ramp_s: 1}"),
                      Catch::Contains("'sinter.temperature.ttm.then_ramp_s' needs then_K"));
  }
  SECTION("ttm beside another source") {
    write_record(dir / "ttm.h5");
    const fs::path path = dir / "case.yaml";
    std::ofstream(path) << "sinter:\n  material: Ag\n  particle_diameter_nm: 50\n"
                           "  duration_s: 1\n  temperature:\n    constant_K: 400\n"
                           "    ttm: {results: ttm.h5, depth_nm: 10}\n";
    CHECK_THROWS_WITH(SinterCase::from_config(psw::Config::load_file(path)),
                      Catch::Contains("needs exactly one of constant_K, ramp, table, ttm"));
  }
  fs::remove_all(dir);
}
