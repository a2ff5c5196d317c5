// Sweeps: designs against their defining properties, the journal against kills, and runs
// against the same points computed directly.
#include <psw/core/config.hpp>
#include <psw/sweep/sweep.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>

using Catch::Matchers::Contains;
namespace fs = std::filesystem;
namespace sw = psw::sweep;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("psw_sweep_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// The Qiu–Tien gold film on a coarser grid and a shorter window: a few milliseconds a point.
std::string sweep_text(const std::string& parameters, const std::string& extra = "") {
  return "sweep:\n"
         "  case:\n"
         "    ttm:\n"
         "      layers: [{material: Au, thickness_nm: 100, cells: 40}]\n"
         "      overrides: {Au: {gamma_J_per_m3K2: 70, lattice_heat_capacity_J_per_m3K: 2.5e6,\n"
         "                  coupling_W_per_m3K: 2.6e16, k0_W_per_mK: 315}}\n"
         "      source: {fluence_J_per_m2: 13.4, pulse_fwhm_fs: 96, reflectivity: 0.93,\n"
         "               penetration_depth_nm: 15.3}\n"
         "      time: {start_fs: -300, end_ps: 1, output_every_fs: 50}\n"
         "  parameters:\n" + parameters +
         "  outputs: [thermal.Te_max_K, thermal.Tl_max_K]\n" + extra;
}

sw::Sweep make_sweep(const std::string& text) {
  return sw::Sweep(sw::SweepSpec::from_config(psw::Config::parse(text, "test.yaml")));
}

sw::RunOptions options(const fs::path& out, unsigned threads = 0, bool resume = false,
                       std::size_t max_points = 0) {
  sw::RunOptions o;
  o.output = out;
  o.threads = threads;
  o.resume = resume;
  o.max_points = max_points;
  return o;
}

sw::Parameter values(std::string key, std::vector<double> v) {
  sw::Parameter p;
  p.key = std::move(key);
  p.values = std::move(v);
  return p;
}

sw::Parameter range(std::string key, double from, double to, std::size_t count = 0,
                    sw::Spacing spacing = sw::Spacing::linear) {
  sw::Parameter p;
  p.key = std::move(key);
  p.from = from;
  p.to = to;
  p.count = count;
  p.spacing = spacing;
  p.has_range = true;
  return p;
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

TEST_CASE("Sobol points form (0, m, 2)-nets in their first two dimensions", "[sweep]") {
  // Sobol's construction guarantees that the first 2^m points put exactly one point in every
  // elementary interval [a/2^i, (a+1)/2^i) × [b/2^j, (b+1)/2^j) with i + j = m (t = 0 for
  // dimensions 1 and 2; Joe & Kuo 2008, §2). Wrong direction numbers break this.
  const unsigned m = 8;
  const std::size_t n = std::size_t{1} << m;
  std::vector<std::array<std::uint32_t, 2>> pts;
  for (std::size_t k = 0; k < n; ++k) {
    const auto bits = sw::sobol_point_bits(k, 2);
    pts.push_back({bits[0], bits[1]});
  }
  for (unsigned i = 0; i <= m; ++i) {
    const unsigned j = m - i;
    std::set<std::pair<std::uint32_t, std::uint32_t>> boxes;
    for (const auto& p : pts) {
      boxes.insert({i ? p[0] >> (32 - i) : 0u, j ? p[1] >> (32 - j) : 0u});
    }
    CHECK(boxes.size() == n);
  }
  // Every one-dimensional projection is a permutation of the 2^m strata (a (0, m, 1)-net).
  for (std::size_t d = 0; d < sw::kSobolMaxDimensions; ++d) {
    std::set<std::uint32_t> strata;
    for (std::size_t k = 0; k < n; ++k) strata.insert(sw::sobol_point_bits(k, d + 1)[d] >> (32 - m));
    CHECK(strata.size() == n);
  }
  CHECK_THROWS_WITH(sw::sobol_point_bits(0, 17), Contains("1 to 16 parameters"));
}

TEST_CASE("designs: grid order, list pairing, Latin hypercube strata, seeds", "[sweep]") {
  const sw::Parameter a = values("a", {1, 2}), b = values("b", {10, 20, 30});
  const auto grid = sw::design_points({.kind = sw::DesignKind::grid}, {a, b});
  REQUIRE(grid.size() == 6);
  CHECK(grid[0] == std::vector<double>{1, 10});
  CHECK(grid[1] == std::vector<double>{1, 20});  // the last parameter varies fastest
  CHECK(grid[5] == std::vector<double>{2, 30});

  const sw::Parameter c = values("c", {5, 6});
  const auto list = sw::design_points({.kind = sw::DesignKind::list}, {a, c});
  CHECK(list == std::vector<std::vector<double>>{{1, 5}, {2, 6}});
  CHECK_THROWS_WITH(sw::design_points({.kind = sw::DesignKind::list}, {a, b}),
                    Contains("sweep parameter b has 3 values but a has 2"));

  // A range on a log grid: 1, 10, 100 exactly at the ends.
  const sw::Parameter r = range("r", 1, 100, 3, sw::Spacing::log);
  const auto log_grid = sw::design_points({.kind = sw::DesignKind::grid}, {r});
  CHECK(log_grid[0][0] == 1.0);
  CHECK(log_grid[1][0] == Approx(10.0).epsilon(1e-15));
  CHECK(log_grid[2][0] == 100.0);

  // Latin hypercube: each of the n equal strata of each range holds exactly one point.
  const sw::Parameter x = range("x", 0, 1);
  const sw::Parameter y = range("y", -5, 5);
  const sw::Design lhs{.kind = sw::DesignKind::latin_hypercube, .points = 50, .seed = 7};
  const auto pts = sw::design_points(lhs, {x, y});
  REQUIRE(pts.size() == 50);
  std::set<int> sx, sy;
  for (const auto& p : pts) {
    sx.insert(static_cast<int>(std::floor(p[0] * 50)));
    sy.insert(static_cast<int>(std::floor((p[1] + 5) / 10 * 50)));
  }
  CHECK(sx.size() == 50);
  CHECK(sy.size() == 50);
  CHECK(sw::design_points(lhs, {x, y}) == pts);  // same seed, same points
  sw::Design other = lhs;
  other.seed = 8;
  CHECK(sw::design_points(other, {x, y}) != pts);

  // A digitally shifted Sobol design keeps the one-point-per-stratum property.
  const sw::Design sobol{.kind = sw::DesignKind::sobol, .points = 64, .seed = 3};
  const auto sp = sw::design_points(sobol, {x});
  std::set<int> strata;
  for (const auto& p : sp) strata.insert(static_cast<int>(std::floor(p[0] * 64)));
  CHECK(strata.size() == 64);
}

TEST_CASE("bad sweep files name the key", "[sweep]") {
  const std::string one = "    - {key: ttm.source.fluence_J_per_m2, values: [5, 10]}\n";
  // A key the model does not know: the TTM loader rejects it before any point runs.
  CHECK_THROWS_WITH(make_sweep(sweep_text("    - {key: ttm.source.fluence_J_per_cm2, values: [1]}\n")),
                    Contains("ttm.source.fluence_J_per_cm2"));
  CHECK_THROWS_WITH(make_sweep(sweep_text("    - {key: ttm.source.fluence_J_per_m2, values: []}\n")),
                    Contains("sweep parameter ttm.source.fluence_J_per_m2: `values` is empty"));
  CHECK_THROWS_WITH(
      make_sweep(sweep_text("    - {key: ttm.source.fluence_J_per_m2, from: 5, to: 5, count: 3}\n")),
      Contains("sweep parameter ttm.source.fluence_J_per_m2: the range [5, 5] is empty"));
  CHECK_THROWS_WITH(make_sweep(sweep_text(
                        "    - {key: ttm.source.fluence_J_per_m2, from: 5, to: 9}\n",
                        "  design: sobol\n  points: 0\n")),
                    Contains("the design has zero points"));
  CHECK_THROWS_WITH(make_sweep(sweep_text(one, "  fields: [thermal.nothing]\n")),
                    Contains("ttm has no field 'thermal.nothing'"));
  CHECK_THROWS_WITH(make_sweep(sweep_text(one, "  colour: blue\n")), Contains("colour"));
}

TEST_CASE("a sweep reproduces single runs bit for bit, on 1 and 2 threads", "[sweep]") {
  const auto s = make_sweep(sweep_text(
      "    - {key: ttm.source.fluence_J_per_m2, values: [4, 9, 13.4, 20]}\n"
      "    - {key: ttm.source.pulse_fwhm_fs, values: [96, 200]}\n",
      "  fields: [thermal.haz.lattice_max_K]\n"));
  REQUIRE(s.size() == 8);

  std::map<unsigned, sw::Results> by_threads;
  for (unsigned threads : {1u, 2u}) {
    const fs::path out = scratch("threads" + std::to_string(threads) + ".h5");
    fs::remove(out);
    const auto summary = sw::run(s, options(out, threads));
    CHECK(summary.complete);
    CHECK(summary.computed == 8);
    CHECK_FALSE(fs::exists(sw::journal_path(out)));
    by_threads[threads] = sw::load_results(out);
  }
  for (std::size_t k = 0; k < 2; ++k) {
    for (std::size_t i = 0; i < 8; ++i) {
      CHECK(same_bits(by_threads[1].outputs[k][i], by_threads[2].outputs[k][i]));
    }
  }
  // Point 5 computed directly from the case with the same values set.
  psw::Config root = psw::Config::parse(s.case_text(5), "direct");
  const auto direct = psw::thermal::run_ttm(psw::thermal::TtmCase::from_config(root));
  CHECK(s.points()[5] == std::vector<double>{13.4, 200});
  CHECK(same_bits(by_threads[1].outputs[0][5], direct.haz.electron_max_K));
  CHECK(same_bits(by_threads[2].outputs[1][5], direct.haz.lattice_peak_K));
  CHECK(by_threads[1].parameter_keys ==
        std::vector<std::string>{"ttm.source.fluence_J_per_m2", "ttm.source.pulse_fwhm_fs"});
}

TEST_CASE("a failing point records its error and the sweep goes on", "[sweep]") {
  // Reflectivity 1.5 is outside [0, 1): point 1 fails in the TTM loader, the others run.
  const auto s = make_sweep(sweep_text("    - {key: ttm.source.reflectivity, values: [0.9, 1.5, 0.95]}\n"));
  const fs::path out = scratch("failing.h5");
  fs::remove(out);
  const auto summary = sw::run(s, options(out, 2));
  CHECK(summary.complete);
  CHECK(summary.failed == 1);
  const auto r = sw::load_results(out);
  CHECK(r.ok == std::vector<bool>{true, false, true});
  CHECK(std::isnan(r.outputs[0][1]));
  CHECK(r.outputs[0][0] > 300.0);
  REQUIRE(r.errors.count(1));
  CHECK_THAT(r.errors.at(1), Contains("reflectivity"));
}

TEST_CASE("the journal survives a stop and a torn record; resume computes only the rest",
          "[sweep]") {
  const auto s = make_sweep(sweep_text("    - {key: ttm.source.fluence_J_per_m2, from: 2, to: 20, count: 6}\n"));
  const fs::path out = scratch("resume.h5");
  fs::remove(out);
  fs::remove(sw::journal_path(out));

  // Stop after 4 points: a journal, no results file.
  auto first = sw::run(s, options(out, 2, false, 4));
  CHECK_FALSE(first.complete);
  CHECK(first.computed == 4);
  CHECK_FALSE(fs::exists(out));
  REQUIRE(fs::exists(sw::journal_path(out)));

  // A kill in the middle of a write leaves a torn last line: append half a record.
  {
    std::ofstream torn(sw::journal_path(out), std::ios::app);
    torn << "ok 5 0x1.8p+8";
  }
  // Without --resume the journal is never overwritten.
  CHECK_THROWS_WITH(sw::run(s, options(out)), Contains("--resume"));

  const auto second = sw::run(s, options(out, 2, true));
  CHECK(second.complete);
  CHECK(second.resumed == 4);
  CHECK(second.computed == 2);  // only the two points that never finished
  CHECK_FALSE(fs::exists(sw::journal_path(out)));

  const fs::path whole = scratch("whole.h5");
  fs::remove(whole);
  sw::run(s, options(whole, 1));
  const auto a = sw::load_results(out), b = sw::load_results(whole);
  for (std::size_t i = 0; i < 6; ++i) CHECK(same_bits(a.outputs[0][i], b.outputs[0][i]));

  // Resuming a finished sweep does nothing; resuming another sweep's journal is refused.
  CHECK(sw::run(s, options(out, 0, true)).computed == 0);
  const auto other = make_sweep(sweep_text("    - {key: ttm.source.fluence_J_per_m2, values: [3]}\n"));
  CHECK_THROWS_WITH(sw::run(other, options(out, 0, true)),
                    Contains("holds no results of this sweep"));
  {
    std::ofstream j(sw::journal_path(whole));
    j << "psw-sweep-journal 1 0000000000000000 6\n";
  }
  CHECK_THROWS_WITH(sw::run(s, options(whole, 0, true)),
                    Contains("belongs to a different sweep"));
}

TEST_CASE("point records round-trip exactly and reject garbage", "[sweep]") {
  const auto s = make_sweep(sweep_text("    - {key: ttm.source.fluence_J_per_m2, values: [5, 6]}\n"));
  sw::PointResult r;
  r.index = 1;
  r.ok = true;
  r.scalars = {0.1, -1e-300};
  const auto back = sw::decode_point(sw::encode_point(r), s);
  CHECK(same_bits(back.scalars[0], 0.1));
  CHECK(same_bits(back.scalars[1], -1e-300));
  sw::PointResult f;
  f.error = "line one\nline two 100%";
  CHECK(sw::decode_point(sw::encode_point(f), s).error == f.error);
  CHECK_THROWS_WITH(sw::decode_point("ok 7 0x1p+0 0x1p+0", s), Contains("not a point record"));
  CHECK_THROWS_WITH(sw::decode_point("ok 1 0x1p+0", s), Contains("not a point record"));
  CHECK_THROWS_WITH(sw::decode_point("ok 1 0x1p+0 banana", s), Contains("not a point record"));
}
