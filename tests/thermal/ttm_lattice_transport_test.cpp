#include <psw/core/config.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <catch2/catch.hpp>

#include <string>

using Catch::Matchers::Contains;
using psw::Config;
using psw::thermal::run_ttm;
using psw::thermal::TtmCase;

namespace {

// 20 nm of gold on 50 nm of oxide held at 300 K behind; the oxide's phonon mean free path is
// set equal to its thickness (Kn = 1) so the Knudsen correction is large and exact to check.
std::string stack(const std::string& transport) {
  return "ttm:\n"
         "  lattice_transport: " + transport + "\n"
         "  layers:\n"
         "    - {material: Au, thickness_nm: 20, cells: 40}\n"
         "    - {material: SiO2, thickness_nm: 50, cells: 50, phonon_mean_free_path_nm: 50}\n"
         "  boundaries: {front: adiabatic, back: {type: fixed, temperature_K: 300}}\n"
         "  source: {fluence_J_per_m2: 50, pulse_fwhm_fs: 100, reflectivity: 0.5,\n"
         "           penetration_depth_nm: 15}\n"
         "  time: {start_fs: -500, end_ns: 2, output_every_ps: 5}\n";
}

}  // namespace

TEST_CASE("lattice_transport: knudsen lowers each layer's lattice conductivity by 1 + 4Λ/(3d)",
          "[thermal][ttm][bte]") {
  const TtmCase fourier = TtmCase::from_config(Config::parse(stack("fourier"), "f.yaml"));
  const TtmCase knudsen = TtmCase::from_config(Config::parse(stack("knudsen"), "k.yaml"));
  const auto kf = psw::thermal::with_lattice_transport(fourier);
  const auto kk = psw::thermal::with_lattice_transport(knudsen);
  // Fourier keeps the bulk 1.38 W/(m·K) of SiO2 (data/materials/SiO2.yaml); Kn = 1 divides it
  // by 7/3. Gold (no mean free path given) keeps its bulk value either way.
  CHECK(kf.layers[1].material.lattice_conductivity == Approx(1.38).epsilon(1e-12));
  CHECK(kk.layers[1].material.lattice_conductivity == Approx(1.38 * 3 / 7).epsilon(1e-12));
  CHECK(kk.layers[0].material.lattice_conductivity ==
        kf.layers[0].material.lattice_conductivity);
}

TEST_CASE("the TTM with knudsen conducts less through a thin oxide than with fourier",
          "[thermal][ttm][bte]") {
  const auto rf = run_ttm(TtmCase::from_config(Config::parse(stack("fourier"), "f.yaml")));
  const auto rk = run_ttm(TtmCase::from_config(Config::parse(stack("knudsen"), "k.yaml")));
  REQUIRE(rf.ok);
  REQUIRE(rk.ok);
  // The only heat sink is the back face behind the oxide: a less conductive oxide passes less
  // heat in the same 2 ns, and keeps the gold hotter.
  const double lost_f = rf.energy.boundary_loss_J_per_m2.back();
  const double lost_k = rk.energy.boundary_loss_J_per_m2.back();
  CAPTURE(lost_f, lost_k);
  CHECK(lost_f > 0.0);
  CHECK(lost_k < 0.9 * lost_f);
  CHECK(rk.haz.lattice_max_K[0] >= rf.haz.lattice_max_K[0]);
  // Both still conserve energy (trapezoidal ledger on 5 ps outputs, as in the TTM tests).
  CHECK(rf.energy.relative_imbalance() < 5e-3);
  CHECK(rk.energy.relative_imbalance() < 5e-3);
}

TEST_CASE("knudsen without any mean free path, or an unknown transport, is refused",
          "[thermal][ttm][bte]") {
  std::string text = stack("knudsen");
  text.replace(text.find(", phonon_mean_free_path_nm: 50"), 30, "");
  REQUIRE_THROWS_WITH(TtmCase::from_config(Config::parse(text, "k.yaml")),
                      Contains("ttm.lattice_transport = knudsen needs phonon_mean_free_path_nm"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(Config::parse(stack("bte"), "b.yaml")),
                      Contains("lattice_transport"));
}
