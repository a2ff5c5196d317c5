#include <psw/core/config.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <catch2/catch.hpp>

#include <cmath>
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

namespace {

// One gold film whose heat the lattice must carry: the electrons' k₀ lowered to 1 W/(m·K) and
// the lattice's raised to 30 W/(m·K), the back held at 300 K. Λ sets the Knudsen number.
std::string lattice_film(const std::string& transport, double mfp_nm, const std::string& back,
                         const std::string& extra = "", int cells = 50) {
  return "ttm:\n"
         "  lattice_transport: " + transport + "\n"
         "  layers:\n"
         "    - {material: Au, thickness_nm: 100, cells: " + std::to_string(cells) +
         ", phonon_mean_free_path_nm: " + std::to_string(mfp_nm) + "}\n"
         "  overrides: {Au: {k0_W_per_mK: 1, lattice_conductivity_W_per_mK: 30}}\n"
         "  boundaries: {front: adiabatic, back: " + back + "}\n"
         "  source: {fluence_J_per_m2: 40, pulse_fwhm_fs: 100, reflectivity: 0.5,\n"
         "           penetration_depth_nm: 15}\n"
         "  time: {start_fs: -500, end_ps: 60, output_every_ps: 2}\n"
         "  solver: {rtol: 1.0e-8, atol_K: 1.0e-6}\n" + extra;
}

psw::thermal::TtmResult run(const std::string& text) {
  return run_ttm(TtmCase::from_config(Config::parse(text, "film.yaml")));
}

}  // namespace

TEST_CASE("lattice_transport: bte conserves energy", "[thermal][ttm][bte]") {
  // Adiabatic walls at Kn = 1: everything absorbed stays, split between electrons and lattice.
  // The exchange is exactly the electrons' loss and each BTE step balances to 1e-9 K, so the
  // ledger closes far below the 1e-3.
  const auto r = run(lattice_film("bte", 100, "adiabatic"));
  REQUIRE(r.ok);
  // (1 − R)·F less what passes the 100 nm film (δ = 15 nm): 20·(1 − e^(−100/15)).
  CHECK(r.energy.absorbed_J_per_m2.back() == Approx(20.0 * (1.0 - std::exp(-100.0 / 15.0))).epsilon(1e-9));
  CHECK(r.energy.relative_imbalance() < 1e-6);
  CHECK(r.haz.lattice_peak_K > 300.0 + 1.0);
}

TEST_CASE("lattice_transport: bte tends to Fourier when the mean free path is short, and "
          "carries less heat when it is long",
          "[thermal][ttm][bte]") {
  // Kn = 0.005: the BTE's lattice is diffusive with k = C·v·Λ/3 = kₗ; the heat lost through the
  // fixed back in 60 ps and the final lattice profile match the Fourier TTM (CVODE) to the
  // splitting and backward-Euler errors (5 fs steps here) and the O(Kn) wall slip (measured:
  // 0.8 % less heat out; profiles within 0.3 K of a 137 K peak rise, the largest next to the
  // black wall, where the BTE has its temperature jump). Cells
  // of one mean free path (dτ = 1) keep the diamond differencing accurate at the wall.
  const std::string fine = "  bte: {time_step_fs: 5}\n";
  const std::string fixed = "{type: fixed, temperature_K: 300}";
  const auto fourier = run(lattice_film("fourier", 0.5, fixed, "", 200));
  const auto diffusive = run(lattice_film("bte", 0.5, fixed, fine, 200));
  REQUIRE(fourier.ok);
  REQUIRE(diffusive.ok);
  const double lost_f = fourier.energy.boundary_loss_J_per_m2.back();
  REQUIRE(lost_f > 1.0);  // a sizeable part of the 20 J/m² has left in 60 ps
  CHECK(diffusive.energy.boundary_loss_J_per_m2.back() == Approx(lost_f).epsilon(0.015));
  const std::size_t n = fourier.x_m.size(), last = fourier.time_s.size() - 1;
  const double peak_rise = fourier.Tl_K[last * n] - 300.0;
  for (std::size_t i = 0; i < n; i += 20) {
    const double rise_f = fourier.Tl_K[last * n + i] - 300.0;
    CHECK(diffusive.Tl_K[last * n + i] - 300.0 == Approx(rise_f).margin(0.004 * peak_rise));
  }
  CHECK(diffusive.energy.relative_imbalance() < 1e-6);

  // Kn = 1: ballistic phonons carry less than Fourier's law predicts (q/q_F ≈ 0.43 at Kn = 1
  // between black walls, phonon_bte.hpp): less heat leaves through the back.
  const auto ballistic = run(lattice_film("bte", 100, "{type: fixed, temperature_K: 300}"));
  REQUIRE(ballistic.ok);
  CHECK(ballistic.energy.boundary_loss_J_per_m2.back() < 0.8 * lost_f);
}

TEST_CASE("lattice_transport: bte names what it does not take", "[thermal][ttm][bte]") {
  CHECK_THROWS_WITH(run(stack("bte")), Contains("ttm.lattice_transport = bte takes one metal layer"));
  const std::string convective =
      lattice_film("bte", 10, "{type: convective, ambient_K: 300, h_W_per_m2K: 10}");
  CHECK_THROWS_WITH(run(convective), Contains("an adiabatic or fixed back"));
  CHECK_THROWS_WITH(run(lattice_film("bte", 10, "adiabatic", "  bte: {ordinates: 7}\n")),
                    Contains("ttm.bte.ordinates = 7 must be even"));
}
