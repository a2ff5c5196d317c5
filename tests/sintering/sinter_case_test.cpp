#include <catch2/catch.hpp>

#include <psw/sintering/sinter_case.hpp>

using namespace psw::sintering;

namespace {
constexpr const char* kCase = R"(sinter:
  material: Ag
  particle_diameter_nm: 50
  duration_s: 600
  temperature:
    ramp: {start_K: 300, end_K: 473.15, duration_s: 60}
  statistics:
    reference_volume_um3: 8
    calibrate: {median_s: 60, p99_s: 240}
    samples: 2000
    seed: 3
)";
}  // namespace

TEST_CASE("a case runs every model and its summary reports them", "[sintering][case]") {
  const SinterCase c = SinterCase::from_config(psw::Config::parse(kCase, "case.yaml"));
  const SinterReport r = run_sinter_case(c);
  CHECK(r.peak_temperature_K == 473.15);
  CHECK(r.mechanisms.size() == 3);  // no viscosity given: no viscous flow
  REQUIRE(r.target.status == TargetStatus::reached);
  // The resistivity curve crosses the target where time_to_resistivity says it does.
  REQUIRE(r.statistics);
  CHECK(r.statistics->median_s == Approx(60.0).epsilon(1e-12));
  CHECK(r.statistics->p99_s == Approx(240.0).epsilon(1e-12));
  CHECK(r.statistics->law.reference_time_s == Approx(r.target.time_s));
  const std::string text = format_summary(r);
  CHECK_THAT(text, Catch::Contains("sinter Ag: particles 50.0 nm"));
  CHECK_THAT(text, Catch::Contains("grain_boundary_diffusion"));
  CHECK_THAT(text, Catch::Contains("P99 240 s"));
}

TEST_CASE("case errors name the file, line, key and accepted keys", "[sintering][case]") {
  SECTION("unknown key") {
    const auto c = psw::Config::parse(
        "sinter:\n  material: Ag\n  particle_diameter_nm: 50\n  duration_s: 1\n"
        "  temperature: {constant_K: 400}\n  colour: red\n",
        "case.yaml");
    CHECK_THROWS_WITH(SinterCase::from_config(c),
                      Catch::StartsWith("case.yaml:6:3: unknown key 'sinter.colour'"));
  }
  SECTION("two temperature sources") {
    const auto c = psw::Config::parse(
        "sinter:\n  material: Ag\n  particle_diameter_nm: 50\n  duration_s: 1\n"
        "  temperature: {constant_K: 400, ramp: {start_K: 300, end_K: 400, duration_s: 1}}\n",
        "case.yaml");
    CHECK_THROWS_WITH(SinterCase::from_config(c),
                      Catch::Contains("'sinter.temperature' needs exactly one of constant_K, "
                                      "ramp, table, ttm"));
  }
  SECTION("copper without a master curve") {
    const auto c = psw::Config::parse(
        "sinter:\n  material: Cu\n  particle_diameter_nm: 50\n  duration_s: 1\n"
        "  temperature: {constant_K: 400}\n",
        "case.yaml");
    CHECK_THROWS_WITH(SinterCase::from_config(c),
                      Catch::Contains("material Cu has no master_sintering_curve"));
  }
  SECTION("unknown material") {
    const auto c = psw::Config::parse(
        "sinter:\n  material: Au\n  particle_diameter_nm: 50\n  duration_s: 1\n"
        "  temperature: {constant_K: 400}\n",
        "case.yaml");
    CHECK_THROWS_WITH(SinterCase::from_config(c),
                      "case.yaml:2:13: unknown sintering material 'Au'; known materials: Ag, Cu");
  }
  SECTION("negative particle size") {
    const auto c = psw::Config::parse(
        "sinter:\n  material: Ag\n  particle_diameter_nm: -5\n  duration_s: 1\n"
        "  temperature: {constant_K: 400}\n",
        "case.yaml");
    CHECK_THROWS_WITH(SinterCase::from_config(c),
                      "case.yaml:3:25: sinter.particle_diameter_nm = -5 is outside (0, 100000]");
  }
}
