// The scheduler's plug-ins from the physics modules (psw/twin/scheduling_models.hpp): sintering
// times from the sintering module's statistics, the settle time from the stage model.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/core/rng.hpp>
#include <psw/scheduling/monte_carlo.hpp>
#include <psw/scheduling/scenario.hpp>
#include <psw/sintering/sinter_case.hpp>
#include <psw/stage/stage_case.hpp>
#include <psw/twin/scheduling_models.hpp>

using Catch::Matchers::Contains;
using psw::Config;
using psw::RngStream;
using namespace psw::scheduling;

namespace {

const std::string kData = std::string(PSW_SOURCE_DIR) + "/data";
const std::string kSinterCase = kData + "/sintering/cases/ag_laser_ramp.yaml";
const std::string kStepCase = kData + "/stages/cases/step_fast.yaml";

// A small scenario with the given cell and sintering sections (YAML flow maps).
Config scenario_text(const std::string& cell, const std::string& sintering) {
  return Config::parse("scenario:\n  cell: " + cell + "\n  sintering: " + sintering +
                           "\n  lots: {joints: 20, field_mm: [5, 5], volume_um3: [1.5, 3]}\n",
                       "test.yaml");
}

// The sintering module's own report for its case.
psw::sintering::StatisticsSummary sinter_statistics() {
  const auto c = psw::sintering::SinterCase::from_config(Config::load_file(kSinterCase));
  return *psw::sintering::run_sinter_case(c).statistics;
}

}  // namespace

TEST_CASE("sintering-module times reproduce the module's own median and P99", "[scheduling]") {
  const Scenario s =
      Scenario::from_config(scenario_text("{}", "{model: sintering, case: " + kSinterCase + "}"),
                            psw::twin::scheduling_models());
  const psw::sintering::StatisticsSummary st = sinter_statistics();
  const double v_med = st.volume.median_m3;

  SECTION("the predicted distribution at the case's median deposit is the case's, exactly") {
    // ln T ~ N(ln t(V_med), (β·σ_V)²): the module's median and P99 (60 s and 240 s here).
    const LogNormal p = s.sintering->predicted(v_med);
    CHECK(p.median() == Approx(st.median_s).epsilon(1e-12));
    CHECK(p.quantile(0.99) == Approx(st.p99_s).epsilon(1e-12));
    CHECK(p.mean() == Approx(st.mean_s).epsilon(1e-9));
    // Elsewhere the median follows the module's law t = t_ref·(V/V_ref)^β.
    CHECK(s.sintering->predicted(2.0 * v_med).median() ==
          Approx(st.law.time_s(2.0 * v_med)).epsilon(1e-12));
  }
  SECTION("sampled times: median and P99 inside 3 standard errors of the module's figures") {
    constexpr std::size_t kSamples = 40000;
    RngStream root(99);
    std::vector<double> t(kSamples);
    for (std::size_t i = 0; i < kSamples; ++i) {
      RngStream rng = root.substream(i);
      t[i] = s.sintering->sample_s(v_med, rng);
    }
    const psw::sintering::SinteringTimeDistribution dist(st.volume, st.law);
    // Standard error of a sample quantile √(q(1−q)/n)/f(t_q), from the sintering module.
    CHECK(std::abs(empirical_quantile(t, 0.5) - st.median_s) <
          3.0 * psw::sintering::quantile_standard_error(dist, 0.5, kSamples));
    CHECK(std::abs(empirical_quantile(t, 0.99) - st.p99_s) <
          3.0 * psw::sintering::quantile_standard_error(dist, 0.99, kSamples));
  }
  SECTION("and a Monte Carlo runs on it") {
    const auto r = run_monte_carlo(s, {builtin_policy("park_resume", s.policy)}, {20, 1});
    CHECK(r[0].aborted == 0);
    CHECK(r[0].makespan_p50_s > 0.0);
  }
}

TEST_CASE("the stage settle time is the stage model's own step-response figure", "[scheduling]") {
  const Config step_case = Config::load_file(kStepCase);
  const psw::stage::StageCaseResult own = psw::stage::run_stage_case(step_case);
  REQUIRE(own.step);
  const auto models = psw::twin::scheduling_models();
  SECTION("on target (default): when ONT? first reads true") {
    const Scenario s = Scenario::from_config(
        scenario_text("{stage: {case: " + kStepCase + "}}", "{median_s: 60, p99_s: 240}"), models);
    CHECK(s.cell.stage_settle_s == own.step->on_target_time_s);
    // A piezo step settles in milliseconds (3.45 ms on the fast stage), after its rise time.
    CHECK(s.cell.stage_settle_s > own.step->metrics.rise_time_s);
    CHECK(s.cell.stage_settle_s < 0.02);
  }
  SECTION("window: the settling time inside the servo window") {
    const Scenario s =
        Scenario::from_config(scenario_text("{stage: {case: " + kStepCase + ", settle: window}}",
                                            "{median_s: 60, p99_s: 240}"),
                              models);
    CHECK(s.cell.stage_settle_s == own.step->metrics.settling_time_s);
  }
}

TEST_CASE("bad plug-in settings are refused, naming the key", "[scheduling]") {
  const auto models = psw::twin::scheduling_models();
  const std::string lognormal = "{median_s: 60, p99_s: 240}";
  REQUIRE_THROWS_WITH(
      Scenario::from_config(scenario_text("{}", "{model: neck, case: x.yaml}"), models),
      Contains("scenario.sintering.model = 'neck' is not a known model; accepted: lognormal, "
               "sintering"));
  REQUIRE_THROWS_WITH(Scenario::from_config(scenario_text("{}", "{model: sintering}"), models),
                      Contains("scenario.sintering.case is missing"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(
          scenario_text("{}", "{model: sintering, case: " + kSinterCase + ", median_s: 60}"),
          models),
      Contains("median_s"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(scenario_text("{}", "{model: sintering, case: " + kData +
                                                    "/sintering/cases/ag_furnace_table.yaml}"),
                            models),
      Contains("has no sinter.statistics section"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(
          scenario_text("{stage: {case: " + kData + "/stages/cases/bode_fast.yaml}}", lognormal),
          models),
      Contains("scenario.cell.stage.case") && Contains("is a 'bode' case"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(
          scenario_text("{stage_settle_s: 0.2, stage: {case: " + kStepCase + "}}", lognormal),
          models),
      Contains("give either scenario.cell.stage_settle_s or scenario.cell.stage, not both"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(
          scenario_text("{stage: {case: " + kStepCase + ", settle: soon}}", lognormal), models),
      Contains("scenario.cell.stage.settle"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(scenario_text("{stage: {case: no_such_case.yaml}}", lognormal), models),
      Contains("scenario.cell.stage.case: cannot read") && Contains("no_such_case.yaml"));
  // Without the plug-ins (the scheduling module alone) the keys are refused, not ignored.
  REQUIRE_THROWS_WITH(
      Scenario::from_config(scenario_text("{stage: {case: " + kStepCase + "}}", lognormal)),
      Contains("scenario.cell.stage: the stage model is not available"));
  REQUIRE_THROWS_WITH(
      Scenario::from_config(scenario_text("{}", "{model: sintering, case: " + kSinterCase + "}")),
      Contains("'sintering' is not a known model; accepted: lognormal"));
}

TEST_CASE("the physics-models scenario file reads with both plug-ins", "[scheduling]") {
  const Scenario s = Scenario::from_config(
      Config::load_file(kData + "/scheduling/physics_models.yaml"), psw::twin::scheduling_models());
  const psw::stage::StageCaseResult own = psw::stage::run_stage_case(Config::load_file(kStepCase));
  CHECK(s.cell.stage_settle_s == own.step->on_target_time_s);
  CHECK_THAT(s.sintering->describe(), Contains("sintering module"));
  CHECK(s.sintering->predicted(sinter_statistics().volume.median_m3).median() ==
        Approx(sinter_statistics().median_s).epsilon(1e-12));
}
