#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/electrospray/ink.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::Config;
using psw::electrospray::builtin_ink;
using psw::electrospray::builtin_ink_names;
using psw::electrospray::Ink;

namespace {
// Relative tolerance for values that pass through a unit conversion: a few ulps.
constexpr double kConversion = 1e-14;
}  // namespace

TEST_CASE("every data/inks file is built in under its own name", "[electrospray][ink]") {
  const auto names = builtin_ink_names();
  REQUIRE(names ==
          std::vector<std::string>{"ag-np-eg", "cu-np-eg", "ethylene-glycol", "heptane", "water"});
  for (const auto& entry : std::filesystem::directory_iterator(PSW_SOURCE_DIR "/data/inks")) {
    const Ink ink = psw::electrospray::load_ink_file(entry.path().string());
    CHECK(ink.name == entry.path().stem().string());
  }
}

TEST_CASE("water is read in SI with the values of its sources", "[electrospray][ink]") {
  const Ink w = builtin_ink("water");
  // IAPWS R1-76(2014): 71.97 mN/m at 25 °C; IAPWS 2008 viscosity 0.8900 mPa s.
  CHECK(w.surface_tension_N_per_m == Approx(0.07197).epsilon(kConversion));
  CHECK(w.viscosity_Pa_s == Approx(0.89e-3).epsilon(kConversion));
  CHECK(w.relative_permittivity == 78.41);
  CHECK(w.conductivity_S_per_m == 5.5e-6);
  CHECK(w.solvent_molar_mass_kg_per_mol == Approx(18.015e-3).epsilon(kConversion));
  CHECK_FALSE(w.nanoparticles);
  CHECK_THAT(w.sources.at("surface_tension_mN_per_m"), Contains("IAPWS"));
  // τ = εε₀/K = 78.41 × 8.8541878128e-12 / 5.5e-6 = 1.262285e-4 s.
  CHECK(w.charge_relaxation_time_s() == Approx(1.262285e-4).epsilon(1e-6));
}

TEST_CASE("a nanoparticle ink derives its mixture from the carrier", "[electrospray][ink]") {
  const Ink eg = builtin_ink("ethylene-glycol");
  const Ink ag = builtin_ink("ag-np-eg");
  REQUIRE(ag.nanoparticles);
  const double phi = ag.nanoparticles->volume_fraction;
  CHECK(phi == 0.05);
  CHECK(ag.nanoparticles->diameter_m == Approx(20e-9).epsilon(kConversion));
  // ρ = 0.05·10490 + 0.95·1110 = 1579 kg/m³ (volume average).
  CHECK(ag.density_kg_per_m3 == Approx(1579.0).epsilon(kConversion));
  CHECK(ag.solvent_density_kg_per_m3() == Approx(eg.density_kg_per_m3).epsilon(kConversion));
  // Krieger–Dougherty: 16.1 mPa s × (1 − 0.05/0.64)^(−1.6) = 18.338 mPa s.
  CHECK(ag.viscosity_Pa_s == Approx(18.33794e-3).epsilon(1e-6));
  // Maxwell Garnett, conducting spheres: 37.7 × 1.1/0.95 = 43.6526.
  CHECK(ag.relative_permittivity == Approx(43.652632).epsilon(1e-7));
  // Surface tension and vapour data stay the carrier's; conductivity is the ink's own.
  CHECK(ag.surface_tension_N_per_m == eg.surface_tension_N_per_m);
  CHECK(ag.vapour_pressure_Pa == eg.vapour_pressure_Pa);
  CHECK(ag.conductivity_S_per_m == 1e-2);
  CHECK_THAT(ag.sources.at("viscosity_mPa_s"), Contains("Krieger"));
  CHECK_THAT(ag.sources.at("surface_tension_mN_per_m"), Contains("carrier ethylene-glycol"));
  CHECK(builtin_ink("cu-np-eg").nanoparticles->material == "Cu");
}

TEST_CASE("bad ink files are refused with the key and the reason", "[electrospray][ink]") {
  const auto read = [](const std::string& body) {
    const Config root = Config::parse("ink:\n" + body, "ink.yaml");
    return Ink::from_config(root.section("ink"));
  };
  const std::string ag =
      "  name: x\n  carrier: ethylene-glycol\n"
      "  nanoparticles: {material: Ag, diameter_nm: 20, volume_fraction: "
      "0.05, density_kg_per_m3: 10490}\n";
  const std::string np_sources =
      "nanoparticles.material: a, nanoparticles.diameter_nm: b, "
      "nanoparticles.volume_fraction: c, "
      "nanoparticles.density_kg_per_m3: d";

  SECTION("a negative conductivity names the key, the value and the range") {
    REQUIRE_THROWS_WITH(read(ag + "  conductivity_S_per_m: -1\n  sources: {" + np_sources +
                             ", conductivity_S_per_m: e}\n"),
                        Equals("ink.yaml:5:25: ink.conductivity_S_per_m = -1 is outside "
                               "(0, 100]"));
  }
  SECTION("a value without a source") {
    REQUIRE_THROWS_WITH(
        read(ag + "  conductivity_S_per_m: 0.01\n  sources: {" + np_sources + "}\n"),
        Contains("value 'conductivity_S_per_m' has no source"));
  }
  SECTION("a source for a value the file does not give") {
    REQUIRE_THROWS_WITH(read(ag + "  conductivity_S_per_m: 0.01\n  sources: {" + np_sources +
                             ", conductivity_S_per_m: e, viscosity_mPa_s: f}\n"),
                        Contains("source for 'viscosity_mPa_s' names no value"));
  }
  SECTION("a nanoparticle ink without its own conductivity") {
    REQUIRE_THROWS_WITH(read(ag + "  sources: {" + np_sources + "}\n"),
                        Contains("needs 'conductivity_S_per_m'"));
  }
  SECTION("an unknown key") {
    REQUIRE_THROWS_WITH(read(ag + "  conductivity_S_per_m: 0.01\n  colour: grey\n  sources: {" +
                             np_sources + ", conductivity_S_per_m: e}\n"),
                        Contains("unknown key 'ink.colour'"));
  }
  SECTION("a liquid that misses a property") {
    REQUIRE_THROWS_WITH(read("  name: y\n  conductivity_S_per_m: 1\n"),
                        Contains("ink 'y' misses 'ink.temperature_K'"));
  }
  SECTION("an unknown carrier names the known inks") {
    REQUIRE_THROWS_WITH(read("  name: z\n  carrier: glycerol\n"),
                        Equals("ink.yaml:3:12: unknown ink 'glycerol'; known inks: ag-np-eg, "
                               "cu-np-eg, ethylene-glycol, heptane, water"));
  }
}

TEST_CASE("a case names its ink by name, inline, or by file", "[electrospray][ink]") {
  using psw::electrospray::ink_from_case;
  SECTION("an unknown name lists the known inks") {
    const Config c = Config::parse("ink: silver\n", "case.yaml");
    REQUIRE_THROWS_WITH(ink_from_case(c), Equals("case.yaml:1:6: unknown ink 'silver'; known "
                                                 "inks: ag-np-eg, cu-np-eg, ethylene-glycol, "
                                                 "heptane, water"));
    REQUIRE_THROWS_WITH(builtin_ink("silver"), Contains("known inks: ag-np-eg"));
  }
  SECTION("a built-in name") {
    CHECK(ink_from_case(Config::parse("ink: heptane\n")).name == "heptane");
  }
  SECTION("a file relative to the case file") {
    const auto dir = std::filesystem::path(PSW_BINARY_DIR) / "electrospray_ink_test";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(PSW_SOURCE_DIR "/data/inks/water.yaml", dir / "my_water.yaml",
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(dir / "case.yaml") << "ink_file: my_water.yaml\n";
    CHECK(ink_from_case(Config::load_file(dir / "case.yaml")).name == "water");
  }
  SECTION("neither, or both") {
    REQUIRE_THROWS_WITH(ink_from_case(Config::parse("a: 1\n")), Contains("missing 'ink'"));
    REQUIRE_THROWS_WITH(ink_from_case(Config::parse("ink: water\nink_file: x.yaml\n")),
                        Contains("either 'ink' or 'ink_file'"));
  }
}
