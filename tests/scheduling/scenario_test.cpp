#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/scheduling/scenario.hpp>

using Catch::Matchers::Contains;
using psw::Config;
using namespace psw::scheduling;

namespace {

// A complete scenario with one line replaceable, to test each error in isolation.
std::string scenario_text(const std::string& cell_extra, const std::string& sintering,
                          const std::string& lots) {
  return "scenario:\n"
         "  name: t\n"
         "  cell: {stage_speed_mm_per_s: 20" +
         cell_extra +
         "}\n"
         "  sintering: " +
         sintering +
         "\n"
         "  lots: " +
         lots + "\n";
}

Scenario load(const std::string& text) {
  return Scenario::from_config(Config::parse(text, "s.yaml"));
}

}  // namespace

TEST_CASE("the default scenario loads with the issue's figures", "[scheduling]") {
  const Scenario s = default_scenario();
  CHECK(s.lots.joints == 100);
  CHECK(s.buffer_fraction == 0.10);
  CHECK(s.policy.abort_timeout_s == 240.0);
  const LogNormal d = s.sintering->predicted(20e-18);
  // Issue #9: P99 240 s; the scenario's median 60 s at the reference volume 20 µm³.
  CHECK(d.median() == Approx(60.0));
  CHECK(d.quantile(0.99) == Approx(240.0));
  CHECK(s.cell.stage_speed_m_per_s == Approx(0.02));
  CHECK(s.cell.deposition_rate_m3_per_s == Approx(1.5e-18));
}

TEST_CASE("lots depend on the seed and the lot index only, and respect the layout ranges",
          "[scheduling]") {
  const Scenario s = default_scenario();
  const Lot a = s.make_lot(7), b = s.make_lot(7), c = s.make_lot(8);
  REQUIRE(a.joints.size() == 100);
  bool same = true, differs = false;
  for (std::size_t j = 0; j < a.joints.size(); ++j) {
    same = same && a.joints[j].sinter_work_s == b.joints[j].sinter_work_s &&
           a.joints[j].x_m == b.joints[j].x_m;
    differs = differs || a.joints[j].sinter_work_s != c.joints[j].sinter_work_s;
    CHECK(a.joints[j].volume_m3 >= 10e-18);
    CHECK(a.joints[j].volume_m3 <= 30e-18);
    CHECK(a.joints[j].x_m <= 0.02);
  }
  CHECK(same);
  CHECK(differs);
}

TEST_CASE("fixed sites are used for every lot", "[scheduling]") {
  const Scenario s = load(scenario_text(
      "", "{median_s: 60, p99_s: 240}",
      "{sites: [{x_um: 100, y_um: 0, volume_um3: 5}, {x_um: 0, y_um: 50, volume_um3: 7, "
      "priority: 2}]}"));
  const Lot lot = s.make_lot(3);
  REQUIRE(lot.joints.size() == 2);
  CHECK(lot.joints[0].x_m == Approx(100e-6));
  CHECK(lot.joints[1].volume_m3 == Approx(7e-18));
  CHECK(lot.joints[1].priority == 2);
}

TEST_CASE("a lot due time is read in seconds and absent means none", "[scheduling]") {
  CHECK(std::isinf(default_scenario().lot_deadline_s));
  const Scenario s = Scenario::from_config(
      Config::parse("scenario:\n  sintering: {median_s: 60, p99_s: 240}\n"
                    "  lots: {joints: 2, field_mm: [1, 1], volume_um3: [1, 2]}\n"
                    "  plan: {buffer_fraction: 0.2, lot_deadline_s: 9000}\n"));
  CHECK(s.lot_deadline_s == 9000.0);
  CHECK(s.buffer_fraction == 0.2);
}

TEST_CASE("bad scenarios are refused with the key, the value and the range", "[scheduling]") {
  const std::string good_sintering = "{median_s: 60, p99_s: 240}";
  const std::string good_lots = "{joints: 10, field_mm: [1, 1], volume_um3: [1, 2]}";
  SECTION("a negative duration") {
    REQUIRE_THROWS_WITH(load(scenario_text(", verify_s: -1", good_sintering, good_lots)),
                        Contains("scenario.cell.verify_s = -1 is outside [0, 3600]"));
  }
  SECTION("a negative median") {
    REQUIRE_THROWS_WITH(load(scenario_text("", "{median_s: -60, p99_s: 240}", good_lots)),
                        Contains("scenario.sintering.median_s = -60 is outside (0, 1000000]"));
  }
  SECTION("a P99 below the median") {
    REQUIRE_THROWS_WITH(load(scenario_text("", "{median_s: 60, p99_s: 50}", good_lots)),
                        Contains("s.yaml:4:14: scenario.sintering.p99_s = 50 must exceed "
                                 "scenario.sintering.median_s = 60"));
  }
  SECTION("an empty lot: zero joints") {
    REQUIRE_THROWS_WITH(load(scenario_text("", good_sintering,
                                           "{joints: 0, field_mm: [1, 1], volume_um3: [1, 2]}")),
                        Contains("scenario.lots.joints = 0 is outside [1, 100000]"));
  }
  SECTION("an empty lot: an empty site list") {
    REQUIRE_THROWS_WITH(load(scenario_text("", good_sintering, "{sites: []}")),
                        Contains("scenario.lots.sites lists no joints"));
  }
  SECTION("a volume range given high to low") {
    REQUIRE_THROWS_WITH(load(scenario_text("", good_sintering,
                                           "{joints: 3, field_mm: [1, 1], volume_um3: [2, 1]}")),
                        Contains("scenario.lots.volume_um3 = [2, 1] must be [low, high]"));
  }
  SECTION("a misspelt key") {
    REQUIRE_THROWS_WITH(load(scenario_text(", verify_ms: 3", good_sintering, good_lots)),
                        Contains("unknown key 'scenario.cell.verify_ms'"));
  }
}
