#include <psw/core/config.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using psw::Config;
using namespace psw::thermal;

namespace {

// Cu on polyimide; `geometry` is spliced in. Short and coarse, so each run takes milliseconds.
TtmResult run(const std::string& geometry, const std::string& extra_source = "") {
  const std::string text = R"(ttm:
  layers:
    - {material: Cu, thickness_nm: 300, cells: 24, first_cell_nm: 2}
    - {material: polyimide, thickness_nm: 300, cells: 6}
)" + geometry + R"(
  source: {fluence_J_per_m2: 200, pulse_fwhm_fs: 300, reflectivity: 0.6,
           penetration_depth_nm: 13)" + extra_source + R"(}
  time: {start_fs: -1500, end_ps: 200, output_every_ps: 20}
  solver: {rtol: 1.0e-8, atol_K: 1.0e-6}
)";
  const TtmResult r = run_ttm(TtmCase::from_config(Config::parse(text, "geometry.yaml")));
  REQUIRE(r.ok);
  return r;
}

double max_relative_rise_difference(const TtmResult& a, std::size_t a_cell,
                                    const TtmResult& b, std::size_t b_cell) {
  double worst = 0.0;
  for (std::size_t k = 0; k < a.time_s.size(); ++k) {
    for (auto [fa, fb] : {std::pair{&a.Te_K, &b.Te_K}, std::pair{&a.Tl_K, &b.Tl_K}}) {
      const double ra = (*fa)[k * a.cells() + a_cell] - 300.0;
      const double rb = (*fb)[k * b.cells() + b_cell] - 300.0;
      worst = std::max(worst, std::abs(ra - rb) / std::max(1.0, std::abs(rb)));
    }
  }
  return worst;
}

}  // namespace

TEST_CASE("a uniform source on a 3-D box or a disc reduces to the 1-D result", "[thermal][ttm]") {
  // Laterally uniform heating of a laterally uniform stack has no lateral gradients, so every
  // column of the 2-D/3-D solution must equal the 1-D solution (to the solver tolerances).
  const TtmResult slab = run("");
  const TtmResult box = run("  geometry: {kind: cartesian, size_x_um: 2, size_y_um: 1, cells_x: 3, "
                            "cells_y: 2}");
  const TtmResult disc = run("  geometry: {kind: axisymmetric, radius_um: 2, cells_r: 4}");
  const std::size_t nz = slab.x_m.size();
  REQUIRE(box.cells() == 6 * nz);
  for (std::size_t k : {std::size_t{0}, std::size_t{5}, nz - 1}) {
    CHECK(max_relative_rise_difference(box, 5 * nz + k, slab, k) < 1e-4);
    CHECK(max_relative_rise_difference(disc, 3 * nz + k, slab, k) < 1e-4);
  }
  CHECK(box.energy.absorbed_J_per_m2.back() == Approx(slab.energy.absorbed_J_per_m2.back()));
}

TEST_CASE("a centred spot gives a field with the box's symmetries", "[thermal][ttm]") {
  // Spot at the centre of a square box: the field must be invariant under x → L − x and x ↔ y.
  const TtmResult r = run("  geometry: {kind: cartesian, size_x_um: 4, size_y_um: 4, cells_x: 6, "
                          "cells_y: 6, spot_radius_um: 1}");
  const std::size_t nz = r.x_m.size(), n = 6;
  auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return r.Tl_K[(r.time_s.size() - 1) * r.cells() + (i * n + j) * nz + k] - 300.0;
  };
  double rise = 0.0, worst = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      rise = std::max(rise, at(i, j, 0));
      worst = std::max(worst, std::abs(at(i, j, 0) - at(n - 1 - i, j, 0)));
      worst = std::max(worst, std::abs(at(i, j, 3) - at(j, i, 3)));
    }
  }
  REQUIRE(rise > 1.0);
  CHECK(worst / rise < 1e-6);
}

TEST_CASE("a Gaussian spot: the 3-D box and the axisymmetric disc agree, energy is conserved",
          "[thermal][ttm]") {
  // Two different grids of the same physics (a square box around the spot, a disc around its
  // axis) must agree on the peak lattice rise within the lateral discretisation error (~5%).
  const TtmResult box = run("  geometry: {kind: cartesian, size_x_um: 6, size_y_um: 6, cells_x: 15, "
                            "cells_y: 15, spot_radius_um: 1}");
  const TtmResult disc = run("  geometry: {kind: axisymmetric, radius_um: 3, cells_r: 30, "
                             "spot_radius_um: 1}");
  CHECK(box.haz.lattice_peak_K - 300.0 == Approx(disc.haz.lattice_peak_K - 300.0).epsilon(0.05));
  // Adiabatic everywhere: the ledger closes to the solver tolerance.
  CHECK(box.energy.relative_imbalance() < 1e-3);
  CHECK(disc.energy.relative_imbalance() < 1e-3);
  // Absorbed energy of the spot, (1 − R)·F·πw²/2, over the domain area.
  const double spot_J = 0.4 * 200 * M_PI * 1e-12 / 2;
  CHECK(disc.energy.absorbed_J_per_m2.back() * M_PI * 9e-12 ==
        Approx(spot_J * (1 - std::exp(-2.0 * 9.0))).epsilon(1e-6));
}

TEST_CASE("a copper via through the polyimide carries heat down", "[thermal][ttm]") {
  // Cu conducts ~3000× better than polyimide, so the polyimide-depth cells inside the via get
  // hotter than the same depth outside it.
  const TtmResult r = run(R"(  geometry:
    kind: cartesian
    size_x_um: 4
    size_y_um: 2
    cells_x: 8
    cells_y: 2
    spot_radius_um: 1.5
    spot_x_um: 2
    spot_y_um: 1
    regions:
      - {material: Cu, cylinder: {centre_x_um: 1.25, centre_y_um: 0.5, radius_um: 0.3, depth_nm: [300, 600]}})");
  const std::size_t nz = r.x_m.size(), last = nz - 1;
  const double via = r.haz.lattice_max_K[(2 * 2 + 0) * nz + last];     // x cell 2, y cell 0
  const double mirror = r.haz.lattice_max_K[(5 * 2 + 0) * nz + last];  // x cell 5: no via
  CHECK(via > mirror);
  CHECK(r.energy.relative_imbalance() < 1e-3);
}
