#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/thermal/phonon_bte.hpp>
#include <psw/thermal/phonon_bte_2d.hpp>

using Catch::Matchers::Contains;
using psw::thermal::Bte2dOptions;
using psw::thermal::BteStatus;
using psw::thermal::HeatBox2d;
using psw::thermal::solve_bte_2d;

namespace {

Bte2dOptions square(double side_m, std::size_t cells, double mfp_m) {
  Bte2dOptions o;
  o.width_m = o.height_m = side_m;
  o.cells_x = o.cells_y = cells;
  o.phonons.mean_free_path_m = mfp_m;
  o.phonons.group_velocity_m_per_s = 5000.0;
  o.phonons.heat_capacity_J_per_m3K = 1.6e6;
  o.tolerance = 1e-11;
  return o;
}

// The slab across x between black walls at 301 and 300 K, with mirrors on y: the 2-D problem is
// the 1-D one, repeated in y.
Bte2dOptions slab_like(double knudsen, std::size_t cells) {
  const double L = 100e-9;
  Bte2dOptions o = square(L, cells, knudsen * L);
  o.cells_y = 4;
  o.left.T_K = 301.0;
  o.right.T_K = 300.0;
  o.bottom.mirror = o.top.mirror = true;
  o.initial_K = 300.5;
  return o;
}

// The largest |a − b| over two fields of the same grid, in K.
double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = 0.0;
  for (std::size_t c = 0; c < a.size(); ++c) worst = std::max(worst, std::abs(a[c] - b[c]));
  return worst;
}

double column_mean(const std::vector<double>& field, std::size_t nx, std::size_t ny,
                   std::size_t i) {
  double s = 0.0;
  for (std::size_t j = 0; j < ny; ++j) s += field[j * nx + i];
  return s / static_cast<double>(ny);
}

HeatBox2d box(double x0, double x1, double y0, double y1, double q) {
  HeatBox2d h;
  h.x0_m = x0;
  h.x1_m = x1;
  h.y0_m = y0;
  h.y1_m = y1;
  h.power_W_per_m3 = q;
  return h;
}

}  // namespace

TEST_CASE("2-D BTE with mirror walls in y reproduces the 1-D slab solver", "[bte][bte2d]") {
  // Peer: psw's 1-D slab (S64 Gauss–Legendre), itself checked against the exact gray slab of
  // Heaslet & Warming in phonon_bte_test.cpp. The 2-D product set integrates the same angular
  // distribution with different nodes, so the two agree to the angular quadrature error; the
  // y-mirrors keep every row identical.
  for (double kn : {0.1, 1.0}) {
    CAPTURE(kn);
    Bte2dOptions o = slab_like(kn, 40);
    o.polar = 16;
    o.azimuths = 64;
    const auto r = solve_bte_2d(o);
    REQUIRE(r.status == BteStatus::converged);

    psw::thermal::SlabBteOptions s;
    s.thickness_m = o.width_m;
    s.cells = o.cells_x;
    s.phonons = o.phonons;
    s.hot_K = 301.0;
    s.cold_K = 300.0;
    s.ordinates = 64;
    s.tolerance = 1e-12;
    const auto one = psw::thermal::solve_slab_bte(s);
    REQUIRE(one.status == BteStatus::converged);

    const std::size_t nx = o.cells_x, ny = o.cells_y;
    double worst = 0.0, rows = 0.0;
    for (std::size_t i = 0; i < nx; ++i) {
      worst = std::max(worst, std::abs(column_mean(r.T_K, nx, ny, i) - one.T_K[i]));
      for (std::size_t j = 1; j < ny; ++j) {
        rows = std::max(rows, std::abs(r.T_K[j * nx + i] - r.T_K[i]));
      }
    }
    CHECK(rows < 1e-9);
    CHECK(worst < 1e-3);  // of the 1 K between the walls (measured 3e-5 and 4e-4)
    // The heat flux through the slab, from the wall heat flows per unit depth.
    const double q2d = r.wall_out_W_per_m[1] / o.height_m;
    CHECK(q2d == Approx(one.flux_W_per_m2).epsilon(5e-4));  // measured 1e-5 and 6e-5
    CHECK(r.wall_out_W_per_m[0] == Approx(-r.wall_out_W_per_m[1]).epsilon(1e-6));
    // Mirrors pass no heat.
    CHECK(std::abs(r.wall_out_W_per_m[2]) < 1e-6 * std::abs(r.wall_out_W_per_m[1]));
    CHECK(std::abs(r.wall_out_W_per_m[3]) < 1e-6 * std::abs(r.wall_out_W_per_m[1]));
  }
}

TEST_CASE("2-D BTE in the ballistic limit gives the Casimir flux", "[bte][bte2d]") {
  // Kn = 1000: walls exchange phonons without scattering, the interior sits at the mean wall
  // temperature and q = C·v·ΔT/4 (the phonon-radiation limit). The product set integrates
  // cos θ over a hemisphere with O(1/N²) error in azimuth.
  Bte2dOptions o = slab_like(1000.0, 10);
  o.polar = 16;
  o.azimuths = 128;
  const auto r = solve_bte_2d(o);
  REQUIRE(r.status == BteStatus::converged);
  const double casimir = 1.6e6 * 5000.0 * 1.0 / 4.0;
  CHECK(r.wall_out_W_per_m[1] / o.height_m == Approx(casimir).epsilon(2e-3));
  for (double T : r.T_K) CHECK(T == Approx(300.5).margin(2e-3));
}

TEST_CASE("2-D BTE conserves energy: the heat put in leaves through the walls", "[bte][bte2d]") {
  // A hot spot (a line beside a via: an off-centre heated box) in a square with black walls
  // at 300 K on three sides and a mirror on the fourth.
  Bte2dOptions o = square(200e-9, 30, 50e-9);
  o.right.mirror = true;
  o.heat.push_back(box(60e-9, 110e-9, 20e-9, 90e-9, 1e17));
  const auto r = solve_bte_2d(o);
  REQUIRE(r.status == BteStatus::converged);
  // The source as the area-weighted boxes give it: 1e17 W/m³ over 50 × 70 nm².
  CHECK(r.source_W_per_m == Approx(1e17 * 50e-9 * 70e-9).epsilon(1e-12));
  const double out =
      r.wall_out_W_per_m[0] + r.wall_out_W_per_m[1] + r.wall_out_W_per_m[2] + r.wall_out_W_per_m[3];
  CHECK(out == Approx(r.source_W_per_m).epsilon(1e-7));
  CHECK(std::abs(r.wall_out_W_per_m[1]) < 1e-7 * r.source_W_per_m);
  // Heated: the hottest cell lies inside the box.
  const auto hottest =
      static_cast<std::size_t>(std::max_element(r.T_K.begin(), r.T_K.end()) - r.T_K.begin());
  const double x = r.x_m[hottest % o.cells_x], y = r.y_m[hottest / o.cells_x];
  CHECK(x > 60e-9);
  CHECK(x < 110e-9);
  CHECK(y > 20e-9);
  CHECK(y < 90e-9);
  CHECK(*std::min_element(r.T_K.begin(), r.T_K.end()) > 300.0);
}

TEST_CASE("2-D BTE keeps the symmetry of a centred hot spot", "[bte][bte2d]") {
  // A centred square source in a square with four black walls at the same temperature: the
  // field is symmetric under x ↔ L − x, y ↔ L − y and x ↔ y, though each direction is swept
  // from its own corner.
  Bte2dOptions o = square(100e-9, 20, 30e-9);
  o.heat.push_back(box(40e-9, 60e-9, 40e-9, 60e-9, 5e16));
  const auto r = solve_bte_2d(o);
  REQUIRE(r.status == BteStatus::converged);
  const std::size_t n = o.cells_x;
  const double rise = *std::max_element(r.T_K.begin(), r.T_K.end()) - 300.0;
  REQUIRE(rise > 0.0);
  double asym = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      const double T = r.T_K[j * n + i];
      asym = std::max({asym, std::abs(T - r.T_K[j * n + (n - 1 - i)]),
                       std::abs(T - r.T_K[(n - 1 - j) * n + i]), std::abs(T - r.T_K[i * n + j])});
    }
  }
  CHECK(asym < 1e-8 * rise);
  // The four walls carry equal shares.
  for (int w = 1; w < 4; ++w) {
    CHECK(r.wall_out_W_per_m[w] == Approx(r.wall_out_W_per_m[0]).epsilon(1e-8));
  }
}

TEST_CASE("2-D BTE transient: each step balances stored energy and the net heat input",
          "[bte][bte2d]") {
  Bte2dOptions o = square(100e-9, 16, 40e-9);
  o.heat.push_back(box(30e-9, 50e-9, 0.0, 60e-9, 2e17));
  o.bottom.mirror = true;
  o.time_step_s = 2e-12;
  o.steps = 40;
  const auto r = solve_bte_2d(o);
  REQUIRE(r.status == BteStatus::converged);
  REQUIRE(r.time_s.size() == o.steps + 1);
  REQUIRE(r.T_history_K.size() == (o.steps + 1) * o.cells_x * o.cells_y);
  double scale = 0.0, worst = 0.0;
  for (std::size_t k = 0; k < r.time_s.size(); ++k) {
    scale = std::max(scale, std::abs(r.input_J_per_m[k]));
    worst = std::max(worst, std::abs(r.stored_J_per_m[k] - r.input_J_per_m[k]));
  }
  CHECK(scale > 0.0);
  CHECK(worst < 1e-6 * scale);
  // Stored energy grows monotonically from zero while the walls are still nearly cold.
  CHECK(r.stored_J_per_m.front() == 0.0);
  for (std::size_t k = 1; k < r.time_s.size(); ++k) {
    CHECK(r.stored_J_per_m[k] > r.stored_J_per_m[k - 1]);
  }
  // The first step: nothing has reached the walls yet, so the stored energy is the source's
  // work less a sliver: C·ΔT·A ≤ Q·A·Δt.
  CHECK(r.stored_J_per_m[1] <= r.source_W_per_m * o.time_step_s * (1 + 1e-9));
  CHECK(r.stored_J_per_m[1] > 0.9 * r.source_W_per_m * o.time_step_s);
}

TEST_CASE("2-D BTE transient settles on the steady solution", "[bte][bte2d]") {
  Bte2dOptions o = square(60e-9, 12, 60e-9);
  o.heat.push_back(box(20e-9, 40e-9, 20e-9, 40e-9, 1e17));
  o.left.T_K = 310.0;
  const auto steady = solve_bte_2d(o);
  REQUIRE(steady.status == BteStatus::converged);
  o.time_step_s = 20e-12;  // many phonon flights across the box (60 nm / 5000 m/s = 12 ps)
  o.steps = 60;
  const auto transient = solve_bte_2d(o);
  REQUIRE(transient.status == BteStatus::converged);
  CHECK(max_abs_difference(transient.T_K, steady.T_K) < 1e-6);
}

TEST_CASE("2-D BTE: DSA converges in tens of sweeps to plain iteration's answer", "[bte][bte2d]") {
  // Kn = 0.05 (box 100 nm, Λ = 5 nm, cells of 2.5 nm): plain source iteration needs about a
  // thousand sweeps; the diffusion correction takes out the slow modes.
  Bte2dOptions o = square(100e-9, 40, 5e-9);
  o.polar = 4;
  o.azimuths = 16;
  o.left.T_K = 301.0;
  o.top.mirror = true;  // one mirror: its reflections come from the same sweep
  o.heat.push_back(box(40e-9, 60e-9, 40e-9, 60e-9, 1e16));
  o.tolerance = 1e-10;
  o.acceleration = psw::thermal::BteAcceleration::dsa;
  const auto dsa = solve_bte_2d(o);
  o.acceleration = psw::thermal::BteAcceleration::none;
  o.max_iterations = 50000;
  const auto plain = solve_bte_2d(o);
  REQUIRE(dsa.status == BteStatus::converged);
  REQUIRE(plain.status == BteStatus::converged);
  CHECK(dsa.iterations < 60);
  CHECK(plain.iterations > 10 * dsa.iterations);
  const double worst = max_abs_difference(dsa.T_K, plain.T_K);
  // Both stop at a change per sweep of 1e-10 of the span; plain iteration's slow modes leave
  // an error larger than its last change by about 1/(1 − ρ).
  CHECK(worst < 1e-6);
  // Mirrors on both y walls (a unit cell of a periodic array): one reflection lags a sweep, so
  // each iteration re-sweeps until the reflections settle before the DSA step. Without those
  // passes DSA diverged here; with them it still beats plain iteration by far, counting every
  // sweep.
  o.bottom.mirror = true;
  o.acceleration = psw::thermal::BteAcceleration::dsa;
  const auto dsa2 = solve_bte_2d(o);
  o.acceleration = psw::thermal::BteAcceleration::none;
  const auto plain2 = solve_bte_2d(o);
  REQUIRE(dsa2.status == BteStatus::converged);
  REQUIRE(plain2.status == BteStatus::converged);
  CHECK(plain2.iterations > 5 * dsa2.iterations);
  CHECK(max_abs_difference(dsa2.T_K, plain2.T_K) < 1e-6);
  // Where DSA is known to fail (cells thicker than a mean free path) it is switched off, and
  // the message says so.
  Bte2dOptions thick = square(100e-9, 10, 5e-9);
  thick.left.T_K = 301.0;
  thick.acceleration = psw::thermal::BteAcceleration::dsa;
  thick.max_iterations = 5;
  CHECK_THAT(solve_bte_2d(thick).message, Contains("DSA off: cells thicker than a mean free path"));
}

TEST_CASE("2-D BTE: GMRES with the DSA as preconditioner converges where the DSA is off",
          "[bte][bte2d]") {
  // Cells 4 mean free paths thick (box 100 nm, 20 cells, Λ = 1.25 nm): the cell-centred DSA
  // diverges there, so `dsa` runs as plain iteration, which needs about 16 000 sweeps. GMRES
  // minimises the true residual, so the same (inconsistent) correction used as its
  // preconditioner cannot make it diverge; both must reach the same discrete solution.
  Bte2dOptions o = square(100e-9, 20, 1.25e-9);
  o.polar = 2;
  o.azimuths = 8;
  o.left.T_K = 301.0;
  o.heat.push_back(box(40e-9, 60e-9, 40e-9, 60e-9, 1e16));
  o.tolerance = 1e-10;
  o.max_iterations = 100000;
  REQUIRE(o.acceleration == psw::thermal::BteAcceleration::krylov);  // the default
  const auto krylov = solve_bte_2d(o);
  o.acceleration = psw::thermal::BteAcceleration::none;
  const auto plain = solve_bte_2d(o);
  REQUIRE(krylov.status == BteStatus::converged);
  REQUIRE(plain.status == BteStatus::converged);
  CAPTURE(krylov.iterations, plain.iterations);
  CHECK(krylov.iterations < 60);
  CHECK(plain.iterations > 100 * krylov.iterations);
  // Plain iteration stops at a change of 1e-10 K per sweep with a spectral radius near 1: its
  // own error is about 1e-7 K here.
  CHECK(max_abs_difference(krylov.T_K, plain.T_K) < 1e-6);
  // The steady balance: heat in = heat out through the walls.
  const auto& q = krylov.wall_out_W_per_m;
  CHECK(q[0] + q[1] + q[2] + q[3] == Approx(krylov.source_W_per_m).epsilon(1e-6));

  // Mirrors on both y walls: the intensities they return are unknowns of the GMRES solve (one
  // of the two reflections lags a sweep), corrected by the preconditioner like the cell they
  // leave, so it converges to plain iteration's answer about as fast (without that correction
  // of the reflected intensities it took 187 sweeps).
  o.bottom.mirror = o.top.mirror = true;
  o.acceleration = psw::thermal::BteAcceleration::krylov;
  const auto krylov2 = solve_bte_2d(o);
  o.acceleration = psw::thermal::BteAcceleration::none;
  const auto plain2 = solve_bte_2d(o);
  REQUIRE(krylov2.status == BteStatus::converged);
  REQUIRE(plain2.status == BteStatus::converged);
  const auto& q2 = krylov2.wall_out_W_per_m;
  CAPTURE(krylov2.iterations, plain2.iterations, max_abs_difference(krylov2.T_K, plain2.T_K), q2[2],
          q2[3]);
  CHECK(krylov2.iterations < 100);
  CHECK(plain2.iterations > 200 * krylov2.iterations);
  CHECK(max_abs_difference(krylov2.T_K, plain2.T_K) < 1e-6);
  CHECK(std::abs(q2[2]) + std::abs(q2[3]) < 1e-9 * krylov2.source_W_per_m);  // mirrors
  CHECK(q2[0] + q2[1] == Approx(krylov2.source_W_per_m).epsilon(1e-6));
}

TEST_CASE("the slab solver refuses the 2-D solver's Krylov option", "[bte]") {
  psw::thermal::SlabBteOptions o;
  o.acceleration = psw::thermal::BteAcceleration::krylov;
  CHECK_THROWS_WITH(o.validate(), Contains("bte.acceleration: krylov is for bte_2d"));
}

TEST_CASE("2-D BTE: a sink region absorbs like a black wall at its face", "[bte][bte2d]") {
  // The slab-like box (black x walls at 301/300 K, mirrors in y) against the same box made
  // 20 nm wider, the extra strip a sink at 300 K and the far wall at 500 K: the sink's face
  // emits and absorbs exactly as the black wall did, and shields the far wall, so the first
  // 40 columns must equal the narrow box's field to the iteration tolerance.
  Bte2dOptions narrow = slab_like(0.3, 40);
  const auto a = solve_bte_2d(narrow);
  REQUIRE(a.status == BteStatus::converged);
  Bte2dOptions wide = narrow;
  wide.width_m = 120e-9;
  wide.cells_x = 48;
  wide.right.T_K = 500.0;
  psw::thermal::SinkBox2d via;
  via.x0_m = 100e-9;
  via.x1_m = 120e-9;
  via.y0_m = 0.0;
  via.y1_m = wide.height_m;
  via.T_K = 300.0;
  wide.sinks.push_back(via);
  const auto b = solve_bte_2d(wide);
  REQUIRE(b.status == BteStatus::converged);
  double worst = 0.0;
  for (std::size_t j = 0; j < wide.cells_y; ++j) {
    for (std::size_t i = 0; i < 40; ++i) {
      worst = std::max(worst, std::abs(b.T_K[j * 48 + i] - a.T_K[j * 40 + i]));
    }
  }
  CHECK(worst < 1e-7);  // the iteration stops at a change of 1e-11 K per sweep
  // The sink takes what the narrow box lost through its cold wall, plus all the 500 K wall
  // sends it from the other side: the two walls' heat flows differ by exactly that.
  CHECK(b.sink_in_W_per_m + b.wall_out_W_per_m[1] == Approx(a.wall_out_W_per_m[1]).epsilon(1e-6));
  CHECK(b.wall_out_W_per_m[0] == Approx(a.wall_out_W_per_m[0]).epsilon(1e-6));
}

TEST_CASE("2-D BTE: a heated line beside a via conserves energy, steady and stepped",
          "[bte][bte2d]") {
  // A cross-section: a 40 nm line heated in its upper half, a via (sink at 300 K) 20 nm to its
  // right, the substrate below black at 300 K, a free surface (mirror) on top, far sides black.
  Bte2dOptions o = square(200e-9, 40, 10e-9);
  o.top.mirror = true;
  o.heat.push_back(box(60e-9, 100e-9, 150e-9, 200e-9, 2e17));
  psw::thermal::SinkBox2d via;
  via.x0_m = 120e-9;
  via.x1_m = 150e-9;
  via.y0_m = 0.0;
  via.y1_m = 200e-9;
  via.T_K = 300.0;
  o.sinks.push_back(via);
  const auto r = solve_bte_2d(o);
  REQUIRE(r.status == BteStatus::converged);
  CHECK(r.iterations < 60);  // DSA with a sink: cells of Λ/2
  const double out = r.wall_out_W_per_m[0] + r.wall_out_W_per_m[1] + r.wall_out_W_per_m[2] +
                     r.wall_out_W_per_m[3] + r.sink_in_W_per_m;
  CHECK(out == Approx(r.source_W_per_m).epsilon(1e-7));
  CHECK(r.sink_in_W_per_m > 0.0);
  // The via side of the line runs cooler than the far side, at the same distance from the line.
  const auto at = [&](double x, double y) {
    const auto i = static_cast<std::size_t>(x / 5e-9), j = static_cast<std::size_t>(y / 5e-9);
    return r.T_K[j * 40 + i];
  };
  CHECK(at(112e-9, 180e-9) < at(47e-9, 180e-9));

  o.time_step_s = 5e-12;
  o.steps = 20;
  const auto t = solve_bte_2d(o);
  REQUIRE(t.status == BteStatus::converged);
  double scale = 0.0, worst = 0.0;
  for (std::size_t k = 0; k < t.time_s.size(); ++k) {
    scale = std::max(scale, std::abs(t.input_J_per_m[k]));
    worst = std::max(worst, std::abs(t.stored_J_per_m[k] - t.input_J_per_m[k]));
  }
  CHECK(worst < 1e-6 * scale);
}

TEST_CASE("2-D BTE reports non-convergence as a status", "[bte][bte2d]") {
  Bte2dOptions o = square(100e-9, 20, 1e-9);  // Kn = 0.01: plain source iteration crawls
  o.left.T_K = 301.0;
  o.max_iterations = 5;
  const auto r = solve_bte_2d(o);
  CHECK(r.status == BteStatus::max_iterations);
  CHECK_THAT(r.message, Contains("5 sweeps"));
  CHECK(r.iterations == 5);
}

TEST_CASE("bte_2d case section: reading and errors", "[bte][bte2d][config]") {
  const char* good = R"(bte_2d:
  box: {width_nm: 200, height_nm: 100, cells_x: 20, cells_y: 10}
  phonons: {mean_free_path_nm: 40, group_velocity_m_per_s: 5000, heat_capacity_J_per_m3K: 1.6e6}
  walls: {left: {T_K: 300}, right: {T_K: 300}, bottom: mirror, top: {T_K: 310}}
  heat:
    - {x_nm: [50, 80], y_nm: [0, 30], power_W_per_m3: 1e17}
  sinks:
    - {x_nm: [120, 160], y_nm: [0, 100], T_K: 300}
  polar: 4
  azimuths: 12
  transient: {time_step_ps: 0.5, steps: 3}
)";
  const auto root = psw::Config::parse(good, "good.yaml");
  const auto o = psw::thermal::parse_bte_2d(root.section("bte_2d"));
  CHECK(o.width_m == Approx(200e-9));
  CHECK(o.cells_y == 10);
  CHECK(o.bottom.mirror);
  CHECK(!o.top.mirror);
  CHECK(o.top.T_K == 310.0);
  REQUIRE(o.heat.size() == 1);
  CHECK(o.heat[0].x1_m == Approx(80e-9));
  REQUIRE(o.sinks.size() == 1);
  CHECK(o.sinks[0].x0_m == Approx(120e-9));
  CHECK(o.sinks[0].T_K == 300.0);
  CHECK(o.azimuths == 12);
  CHECK(o.time_step_s == Approx(0.5e-12));
  CHECK(o.steps == 3);
  CHECK(o.acceleration == psw::thermal::BteAcceleration::krylov);  // the default

  const auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return psw::Config::parse(text, "with.yaml");
  };
  CHECK(psw::thermal::parse_bte_2d(
            with("polar: 4", "polar: 4\n  acceleration: dsa").section("bte_2d"))
            .acceleration == psw::thermal::BteAcceleration::dsa);

  const auto bad = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    const auto r = psw::Config::parse(text, "bad.yaml");
    return [r] { (void)psw::thermal::parse_bte_2d(r.section("bte_2d")); };
  };
  CHECK_THROWS_WITH(bad("bottom: mirror", "bottom: glass")(),
                    Contains("bad.yaml:4") && Contains("walls.bottom") && Contains("glass"));
  CHECK_THROWS_WITH(bad("azimuths: 12", "azimuths: 10")(), Contains("multiple of 4"));
  CHECK_THROWS_WITH(bad("x_nm: [50, 80]", "x_nm: [80, 50]")(), Contains("x_nm"));
  CHECK_THROWS_WITH(bad("polar: 4", "polar: 4\n  spin: 1")(), Contains("spin"));
  CHECK_THROWS_WITH(bad("polar: 4", "polar: 4\n  acceleration: gmres")(),
                    Contains("acceleration") && Contains("krylov"));
  CHECK_THROWS_WITH(bad("cells_x: 20", "cells_x: 0")(), Contains("cells_x"));
  CHECK_THROWS_WITH(bad("T_K: 300}\n  polar", "T_K: -3}\n  polar")(), Contains("T_K"));
}
