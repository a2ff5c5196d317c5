#include <psw/stage/stage_case.hpp>
#include <psw/stage/stage_config.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

using Catch::Matchers::Contains;
using namespace psw::stage;

namespace {

const std::filesystem::path kStages = std::filesystem::path(PSW_SOURCE_DIR) / "data" / "stages";

constexpr const char* kFlexure =
    "{stiffness_N_per_m: 2.2739e6, effective_mass_g: 10, damping_ratio: 0.02}";
constexpr const char* kServo =
    "{rate_kHz: 20, integral_crossover_Hz: 300, notch: {enabled: true}, slew_rate_mm_per_s: 10, "
    "window_nm: 10, settle_time_ms: 1}";

// A one-axis stage; `flexure`, `servo` and `extra` replace parts of it.
std::string one_axis(const std::string& flexure = kFlexure, const std::string& servo = kServo,
                     const std::string& extra = "") {
  return "stage:\n"
         "  name: t\n"
         "  axes:\n"
         "    x:\n"
         "      travel_um: 10\n"
         "      gain_um_per_V: 0.1\n"
         "      flexure: " +
         flexure +
         "\n"
         "      amplifier: {min_V: -20, max_V: 120, dac_bits: 20}\n"
         "      sensor: {range_um: 15, adc_bits: 20, noise_density_pm_per_rtHz: 10}\n"
         "      servo: " +
         servo + "\n" + extra;
}

XyzParams parse(const std::string& text) {
  const psw::Config root = psw::Config::parse(text, "s.yaml");
  XyzParams p = stage_from_config(root.section("stage"));
  root.finish();
  return p;
}

}  // namespace

TEST_CASE("the stage files load, in SI, with the figures their sources give", "[stage][config]") {
  SECTION("fast 10 um stage") {
    const XyzParams p = load_stage_file(kStages / "fast_10um.yaml");
    REQUIRE(p.axes.size() == 3);
    const AxisParams& x = p.axes[0];
    // Fleming & Leang (2010): 2.4 kHz; k is written to 5 digits (2.5e-5 of k, 1.3e-5 of f).
    CHECK(x.flexure.loaded_resonance_Hz() == Approx(2400.0).epsilon(2e-5));
    CHECK(x.travel_m == Approx(10e-6).epsilon(1e-15));
    CHECK(x.gain_m_per_V == Approx(1e-7).epsilon(1e-15));
    CHECK(x.sensor.noise_density_m_per_rtHz == Approx(10e-12).epsilon(1e-15));
    // 10 mm × 23 ppm/K × 0.1 K/h = 6.4e-12 m/s.
    CHECK(x.drift.rate_m_per_s() == Approx(10e-3 * 23e-6 * 1.667e-3 / 60).epsilon(1e-12));
    CHECK(x.hysteresis == HysteresisKind::prandtl_ishlinskii);
    CHECK(p.coupling(0, 1) == 0.003);
    CHECK(p.axes[2].name == "z");
  }
  SECTION("100 um XY stage") {
    const XyzParams p = load_stage_file(kStages / "xy_100um.yaml");
    REQUIRE(p.axes.size() == 2);
    // 500 Hz unloaded; 50 g on 200 g: f = 500·√(200/250) = 447.2 Hz (PI's loaded-mass rule).
    CHECK(p.axes[0].flexure.unloaded_resonance_Hz() == Approx(500.0).epsilon(2e-5));
    CHECK(p.axes[0].flexure.loaded_resonance_Hz() == Approx(500.0 * std::sqrt(0.8)).epsilon(2e-5));
    CHECK(p.axes[1].hysteresis == HysteresisKind::bouc_wen);
  }
}

TEST_CASE("bad stage input names file, line, key, value and range", "[stage][config]") {
  SECTION("a negative mass") {
    REQUIRE_THROWS_WITH(
        parse(one_axis("{stiffness_N_per_m: 2.2739e6, effective_mass_g: -10, "
                       "damping_ratio: 0.02}")),
        Contains("s.yaml:7:64: stage.axes.x.flexure.effective_mass_g = -10 is outside (0, 100000]"));
  }
  SECTION("a negative stiffness") {
    REQUIRE_THROWS_WITH(
        parse(one_axis("{stiffness_N_per_m: -1, effective_mass_g: 10, damping_ratio: 0.02}")),
        Contains("s.yaml:7:36: stage.axes.x.flexure.stiffness_N_per_m = -1 is outside (0, 1e+10]"));
  }
  SECTION("a servo rate below twice the resonance") {
    REQUIRE_THROWS_WITH(
        parse(one_axis(kFlexure,
                       "{rate_kHz: 4, integral_crossover_Hz: 100, "
                       "slew_rate_mm_per_s: 10, window_nm: 10, settle_time_ms: 1}")),
        // 2·f₁ = 4.79994 kHz for the k written to 5 digits (printed in full).
        Contains("s.yaml:10:25: stage.axes.x.servo.rate_kHz = 4 is outside (4.79993"));
  }
  SECTION("an unstable Bouc-Wen") {
    const std::string extra =
        "      hysteresis: {model: bouc_wen, alpha: 0.2, beta_per_V: 0.001, gamma_per_V: 0.002}\n";
    REQUIRE_THROWS_WITH(parse(one_axis(kFlexure, kServo, extra)),
                        Contains("s.yaml:11:19: bouc_wen: beta_per_V = 0.001, gamma_per_V = "
                                 "0.002 make the model unstable"));
  }
  SECTION("an unknown key") {
    REQUIRE_THROWS_WITH(parse(one_axis(kFlexure, kServo, "      colour: blue\n")),
                        Contains("unknown key 'stage.axes.x.colour'"));
  }
}

TEST_CASE("a step case runs end to end from its file", "[stage][config]") {
  // The example case: a 1 µm step on the fast stage settles inside its 10 nm window and ONT?
  // follows the settle time (1 ms) after the settling.
  const StageCaseResult r =
      run_stage_case(psw::Config::load_file(kStages / "cases" / "step_fast.yaml"));
  REQUIRE(r.step);
  CHECK(r.step->metrics.settled);
  CHECK(std::abs(r.step->metrics.final_error_m) <= 10e-9);
  CHECK(r.step->on_target_time_s >= 1e-3);
  REQUIRE_THROWS_WITH(
      run_stage_case(
          psw::Config::parse(one_axis() + "bode: {}\nstep: {start_um: 1, size_um: 1}\n", "c.yaml")),
      Contains("a stage case holds exactly one of step, bode, moves, placement (found 2)"));
}
