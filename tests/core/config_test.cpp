#include <psw/core/config.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::Config;
using psw::Range;

namespace {

// The gold-film case of the Thermal I issue, abridged: nested maps, a list of flow maps, units.
constexpr const char* kCase = R"(ttm:
  layers:
    - {material: Au, thickness_nm: 100, cells: 400}
  boundaries: {front: adiabatic, back: adiabatic}
  initial_temperature_K: 300
  source:
    fluence_J_per_m2: 13.4
    pulse_fwhm_fs: 96
    reflectivity: 0.93
  solver: {rtol: 1.0e-6, verbose: true}
)";

}  // namespace

TEST_CASE("typed reads convert unit-suffixed keys to SI", "[core][config]") {
  const Config root = Config::parse(kCase, "case.yaml");
  const Config ttm = root.section("ttm");
  const Config layer = ttm.list("layers").at(0);

  // 100 nm = 1e-7 m and 96 fs = 9.6e-14 s, exactly as the suffixes say.
  CHECK(layer.get_si("thickness_nm", Range::positive()) == Approx(1e-7).epsilon(1e-15));
  CHECK(ttm.section("source").get_si("pulse_fwhm_fs", Range::positive()) ==
        Approx(9.6e-14).epsilon(1e-15));
  CHECK(ttm.section("source").get_si("fluence_J_per_m2", Range::positive()) == 13.4);
  CHECK(layer.get_int("cells", Range::closed(1, 1e6)) == 400);
  CHECK(layer.get_string("material") == "Au");
  CHECK(ttm.section("solver").get_bool("verbose"));
  CHECK(ttm.section("solver").get_double("rtol") == 1e-6);
  CHECK(ttm.get_double("missing_with_default", 7.5, Range::positive()) == 7.5);
  CHECK(layer.key_path() == "ttm.layers[0]");
}

TEST_CASE("every message names the file, the line, the key and the bad value",
          "[core][config]") {
  const Config root = Config::parse(kCase, "case.yaml");
  const Config ttm = root.section("ttm");

  SECTION("a value outside its range, in the key's own unit") {
    // A key without a unit suffix cannot be read in SI: that is the caller's bug.
    REQUIRE_THROWS_AS(ttm.section("source").get_si("reflectivity", Range::closed_open(0, 1)),
                      std::logic_error);
    REQUIRE_THROWS_WITH(
        ttm.section("source").get_double("reflectivity", Range::closed_open(0.0, 0.5)),
        Equals("case.yaml:9:19: ttm.source.reflectivity = 0.93 is outside [0, 0.5)"));
    REQUIRE_THROWS_WITH(
        ttm.list("layers").at(0).get_si("thickness_nm", Range::open_closed(0, 50)),
        Equals("case.yaml:3:36: ttm.layers[0].thickness_nm = 100 is outside (0, 50]"));
  }
  SECTION("a missing key") {
    REQUIRE_THROWS_WITH(ttm.section("source").get_double("peak_time_fs"),
                        Equals("case.yaml:7:5: missing required key 'ttm.source.peak_time_fs'"));
  }
  SECTION("a value of the wrong type") {
    REQUIRE_THROWS_WITH(ttm.list("layers").at(0).get_double("material"),
                        Equals("case.yaml:3:18: 'ttm.layers[0].material' = 'Au' is not a number"));
    REQUIRE_THROWS_WITH(ttm.section("source").get_int("fluence_J_per_m2"),
                        Contains("'ttm.source.fluence_J_per_m2' = '13.4' is not an integer"));
    REQUIRE_THROWS_WITH(ttm.section("boundaries").get_bool("front"),
                        Contains("'ttm.boundaries.front' = 'adiabatic' is not true or false"));
    REQUIRE_THROWS_WITH(ttm.section("layers"),
                        Equals("case.yaml:3:5: 'ttm.layers' must be a map, found a list"));
  }
  SECTION("a choice outside the accepted set") {
    REQUIRE_THROWS_WITH(ttm.section("boundaries").get_choice("front", {"fixed", "convective"}),
                        Equals("case.yaml:4:23: 'ttm.boundaries.front' = 'adiabatic' is not one "
                               "of fixed, convective"));
  }
  SECTION("a list index past the end") {
    REQUIRE_THROWS_AS(ttm.child("layers").item(1), std::out_of_range);
    REQUIRE_THROWS_WITH(ttm.child("layers").item(1),
                        Contains("index 1 of 'ttm.layers' is outside [0, 1)"));
  }
}

TEST_CASE("unknown keys are rejected with the accepted keys listed", "[core][config]") {
  const Config root = Config::parse("ttm:\n  fluence_J_per_m2: 1\n  fluense_J_per_m2: 2\n",
                                    "typo.yaml");
  const Config ttm = root.section("ttm");
  ttm.get_double("fluence_J_per_m2");
  ttm.get_double("pulse_fwhm_fs", 100.0, Range::positive());  // optional keys count as accepted
  REQUIRE_THROWS_WITH(ttm.finish(),
                      Equals("typo.yaml:3:3: unknown key 'ttm.fluense_J_per_m2'; accepted keys "
                             "here: fluence_J_per_m2, pulse_fwhm_fs"));
  REQUIRE_NOTHROW(root.finish());  // `ttm` was read

  SECTION("duplicate keys are an error too") {
    const Config dup = Config::parse("a: 1\nb: 2\na: 3\n", "dup.yaml");
    dup.get_double("a");
    dup.get_double("b");
    REQUIRE_THROWS_WITH(dup.finish(), Equals("dup.yaml:3:1: duplicate key 'a'"));
  }
}

TEST_CASE("files that cannot be read or parsed are named", "[core][config]") {
  SECTION("a missing file") {
    REQUIRE_THROWS_WITH(Config::load_file("/nonexistent/psw/case.yaml"),
                        Equals("cannot read config file '/nonexistent/psw/case.yaml': No such "
                               "file or directory"));
  }
  SECTION("broken YAML gives the line and column") {
    REQUIRE_THROWS_WITH(Config::parse("a: [1, 2\nb: 3\n", "broken.yaml"),
                        Contains("broken.yaml:") && Contains("invalid YAML"));
  }
  SECTION("a file on disk reports its own path") {
    const auto path = std::filesystem::temp_directory_path() / "psw_config_test_case.yaml";
    std::ofstream(path) << "job:\n  seed: -1\n";
    const Config job = Config::load_file(path).section("job");
    REQUIRE_THROWS_WITH(job.get_int("seed", Range::closed(0, 100)),
                        Equals(path.string() + ":2:9: job.seed = -1 is outside [0, 100]"));
    std::filesystem::remove(path);
  }
}

TEST_CASE("set() edits nested keys and list items, as sweeps do", "[core][config]") {
  Config root = Config::parse(kCase, "case.yaml");
  root.set("ttm.source.fluence_J_per_m2", "20.5");
  root.set("ttm.layers[0].cells", "800");
  root.set("ttm.new_section.value_K", "350");

  const Config ttm = root.section("ttm");
  CHECK(ttm.section("source").get_double("fluence_J_per_m2") == 20.5);
  CHECK(ttm.list("layers").at(0).get_int("cells") == 800);
  CHECK(ttm.section("new_section").get_double("value_K") == 350.0);
  REQUIRE_THROWS_WITH(root.set("ttm.layers[3].cells", "1"),
                      Contains("'ttm.layers' has no item 3"));
  REQUIRE_THROWS_WITH(root.set("ttm.initial_temperature_K.x", "1"),
                      Contains("is not a map"));

  // The edited document survives a round trip through YAML text.
  const Config again = Config::parse(root.to_yaml(), "again.yaml");
  CHECK(again.section("ttm").section("source").get_double("fluence_J_per_m2") == 20.5);
}

TEST_CASE("strict number parsing refuses trailing junk and accepts YAML infinities",
          "[core][config]") {
  const Config c = Config::parse("a: 1.5x\nb: .inf\nc: +2\nd: 1e3\n");
  REQUIRE_THROWS_WITH(c.get_double("a"), Contains("'a' = '1.5x' is not a number"));
  CHECK(std::isinf(c.get_double("b", Range::closed(0, INFINITY))));
  CHECK(c.get_int("c") == 2);
  CHECK(c.get_double("d") == 1000.0);
  REQUIRE_THROWS_WITH(c.get_int("d"), Contains("'d' = '1e3' is not an integer"));
}
