#include <psw/core/config.hpp>
#include <psw/thermal/material.hpp>

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using psw::Config;

TEST_CASE("every shipped material loads and its numbers are consistent", "[thermal][material]") {
  const auto names = psw::thermal::known_materials();
  REQUIRE(names.size() >= 9);
  for (const auto& name : names) {
    const auto m = psw::thermal::load_material(name);
    CHECK(m.name == name);
    CHECK(m.haz_threshold_K < m.melting_point_K);
  }
  // Gold: √(k₀/G) = √(318/2.1e16) = 123 nm, inside the 110-150 nm that REFERENCES.md quotes.
  const auto au = psw::thermal::load_material("Au");
  CHECK(au.electron_diffusion_length() == Approx(123e-9).epsilon(0.01));
  CHECK(au.electron_diffusion_length() > 110e-9);
  // Copper: √(390/1e17) = 62 nm, inside 60-70 nm.
  CHECK(psw::thermal::load_material("Cu").electron_diffusion_length() ==
        Approx(62.4e-9).epsilon(0.01));
  CHECK_FALSE(psw::thermal::load_material("SiO2").metal);
}

TEST_CASE("unknown materials and bad values are named", "[thermal][material]") {
  REQUIRE_THROWS_WITH(psw::thermal::load_material("Unobtainium"),
                      Contains("unknown material 'Unobtainium'; known materials: Ag, Al, Au"));
  const Config bad = Config::parse(
      "name: X\nkind: metal\ngamma_J_per_m3K2: -1\nlattice_heat_capacity_J_per_m3K: 1e6\n"
      "k0_W_per_mK: 1\nlattice_conductivity_W_per_mK: 1\ncoupling_W_per_m3K: 1e16\n"
      "melting_point_K: 1000\nhaz_threshold_K: 500\n",
      "x.yaml");
  REQUIRE_THROWS_WITH(psw::thermal::parse_material(bad),
                      Contains("x.yaml:3:19: gamma_J_per_m3K2 = -1 is outside (0, 10000]"));
  const Config incomplete = Config::parse(
      "name: X\nkind: metal\nlattice_heat_capacity_J_per_m3K: 1e6\n"
      "lattice_conductivity_W_per_mK: 1\nmelting_point_K: 1000\nhaz_threshold_K: 500\n",
      "y.yaml");
  REQUIRE_THROWS_WITH(psw::thermal::parse_material(incomplete),
                      Contains("material 'X' lacks 'gamma_J_per_m3K2'"));
}
