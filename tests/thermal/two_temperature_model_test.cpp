#include <psw/core/config.hpp>
#include <psw/core/data_dir.hpp>
#include <psw/core/error.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <vector>

using Catch::Matchers::Contains;
using psw::Config;
using namespace psw::thermal;

namespace {

// The Qiu & Tien (1993) gold-film case exactly as the Thermal I issue writes it.
TtmCase qiu_tien(std::size_t cells = 400, double output_every_fs = 2.0, double rtol = 1e-6) {
  auto root = Config::load_file(psw::data_file("cases/qiu_tien_gold_100nm.yaml"));
  root.set("ttm.layers[0].cells", std::to_string(cells));
  root.set("ttm.time.output_every_fs", psw::format_number(output_every_fs));
  root.set("ttm.solver.rtol", psw::format_number(rtol));
  return TtmCase::from_config(root);
}

// Front-surface electron temperature at each output.
std::vector<double> front_Te(const TtmResult& r) {
  std::vector<double> out;
  for (std::size_t k = 0; k < r.time_s.size(); ++k) out.push_back(r.Te_K[k * r.cells()]);
  return out;
}

// A film with constant Cₑ and k's: the linear TTM.
TtmCase linear_film(std::size_t cells, double end_s) {
  TtmCase c;
  Layer layer;
  layer.material = load_material("Au");
  layer.material.lattice_conductivity = 20.0;  // make the lattice conduct too
  layer.thickness_m = 200e-9;
  layer.cells = cells;
  c.layers = {layer};
  c.heat_capacity_model = ElectronHeatCapacity::constant;
  c.conductivity_model = ElectronConductivity::constant;
  c.source.fluence_J_per_m2 = 1e-30;  // no source
  c.source.peak_time_s = -1.0;        // long before the run
  c.start_s = 0.0;
  c.end_s = end_s;
  c.output_every_s = end_s / 10.0;
  c.solver.rtol = 1e-9;
  c.solver.atol_K = 1e-9;
  return c;
}

}  // namespace

TEST_CASE("the gold-film case conserves energy", "[thermal][ttm]") {
  // Adiabatic film: absorbed = Δ(electron + lattice energy); the only error is the integrator's.
  const TtmResult r = run_ttm(qiu_tien());
  REQUIRE(r.ok);
  CHECK(r.energy.relative_imbalance() < 1e-3);
  // Absorbed = (1 − R)·F·(1 − e^(−d/δ)) = 0.07 × 13.4 × (1 − e^(−100/15.3)) = 0.93658 J/m².
  CHECK(r.energy.absorbed_J_per_m2.back() ==
        Approx(0.07 * 13.4 * (1 - std::exp(-100.0 / 15.3))).epsilon(1e-9));
  CHECK(r.energy.boundary_loss_J_per_m2.back() == 0.0);
}

TEST_CASE("a uniform film relaxes as exp[-G(1/Ce + 1/Cl)t]", "[thermal][ttm]") {
  // No gradients: Ce dTe/dt = −G(Te − Tl), Cl dTl/dt = G(Te − Tl), so Te − Tl decays at
  // rate G(1/Ce + 1/Cl) exactly (constant Ce = γT₀).
  TtmCase c = linear_film(20, 2e-12);
  c.initial_electron_temperature_K = 1300.0;
  const TtmResult r = run_ttm(c);
  REQUIRE(r.ok);
  const Material& m = c.layers[0].material;
  const double ce = m.gamma * c.initial_temperature_K, cl = m.lattice_heat_capacity;
  const double rate = m.coupling * (1.0 / ce + 1.0 / cl);
  for (std::size_t k = 0; k < r.time_s.size(); ++k) {
    const double diff = r.Te_K[k * r.cells() + 7] - r.Tl_K[k * r.cells() + 7];
    CHECK(diff == Approx(1000.0 * std::exp(-rate * r.time_s[k])).epsilon(1e-5).margin(1e-6));
  }
  CHECK(r.energy.relative_imbalance() == 0.0);  // nothing absorbed: defined as 0
}

TEST_CASE("a cosine profile decays at the exact rates of the linear TTM", "[thermal][ttm]") {
  // Mode cos(kx) of a film with adiabatic faces: amplitudes (aₑ, aₗ) obey
  //   Cₑ aₑ' = −(kₑk² + G) aₑ + G aₗ,   Cₗ aₗ' = G aₑ − (kₗk² + G) aₗ,
  // whose rates are the roots of the quadratic det(M − λI) = 0. Starting from (A, 0) the exact
  // solution is a sum of the two exponentials; the numerical mode amplitude must follow it.
  const std::size_t n = 200;
  TtmCase c = linear_film(n, 200e-15);
  const Material& m = c.layers[0].material;
  const double L = c.layers[0].thickness_m, k = M_PI / L, A = 50.0;
  const double T0 = c.initial_temperature_K;
  c.initial_Te_K.resize(n);
  c.initial_Tl_K.assign(n, T0);
  for (std::size_t i = 0; i < n; ++i) {
    c.initial_Te_K[i] = T0 + A * std::cos(k * (static_cast<double>(i) + 0.5) * L / n);
  }
  const TtmResult r = run_ttm(c);
  REQUIRE(r.ok);

  // Exact solution of the 2×2 system.
  const double ce = m.gamma * T0, cl = m.lattice_heat_capacity;
  const double a = -(m.k0 * k * k + m.coupling) / ce, b = m.coupling / ce;
  const double d = m.coupling / cl, e = -(m.lattice_conductivity * k * k + m.coupling) / cl;
  const double tr = a + e, det = a * e - b * d;
  const double l1 = 0.5 * (tr + std::sqrt(tr * tr - 4 * det));
  const double l2 = 0.5 * (tr - std::sqrt(tr * tr - 4 * det));
  // aₑ(t) = c1 e^{l1 t} + c2 e^{l2 t}, aₑ(0) = A, aₑ'(0) = a·A.
  const double c1 = (a * A - l2 * A) / (l1 - l2), c2 = A - c1;

  for (std::size_t j = 1; j < r.time_s.size(); ++j) {
    // Project the numerical Tₑ onto cos(kx): 2/n Σ (Tₑ − T₀)·cos(k xᵢ).
    double amplitude = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      amplitude += (r.Te_K[j * n + i] - T0) * std::cos(k * r.x_m[i]);
    }
    amplitude *= 2.0 / static_cast<double>(n);
    const double t = r.time_s[j];
    // Spatial error of the 200-cell Laplacian: (kh)²/12 ≈ 2e-5 relative on the rate.
    CHECK(amplitude == Approx(c1 * std::exp(l1 * t) + c2 * std::exp(l2 * t)).epsilon(2e-4));
  }
}

TEST_CASE("spatial convergence of the gold-film case is second order", "[thermal][ttm]") {
  // Front-surface Tₑ at 0.5 ps on 50, 100 and 200 cells, with time errors far below the
  // spatial ones (rtol 1e-10). For e(h) ~ C·h² the successive differences shrink 4× per
  // halving: p = log2((T₅₀ − T₁₀₀)/(T₁₀₀ − T₂₀₀)).
  auto front_at_half_ps = [](std::size_t cells) {
    TtmCase c = qiu_tien(cells, 100.0, 1e-10);
    c.solver.atol_K = 1e-8;
    const TtmResult r = run_ttm(c);
    REQUIRE(r.ok);
    return r.Te_K[8 * r.cells()];  // outputs every 100 fs from −300 fs: index 8 is 0.5 ps
  };
  const double t50 = front_at_half_ps(50), t100 = front_at_half_ps(100);
  const double t200 = front_at_half_ps(200);
  const double order = std::log2((t50 - t100) / (t100 - t200));
  CHECK(order == Approx(2.0).margin(0.15));  // measured 2.02
}

TEST_CASE("time integration error shrinks in proportion to the tolerance", "[thermal][ttm]") {
  // BDF with error control: the global error scales about linearly with rtol (tolerance
  // proportionality), so two decades of rtol give about two decades of error.
  auto peak = [](double rtol) {
    const auto te = front_Te(run_ttm(qiu_tien(100, 10.0, rtol)));
    return *std::max_element(te.begin(), te.end());
  };
  const double reference = peak(1e-10);
  const double e4 = std::abs(peak(1e-4) - reference), e6 = std::abs(peak(1e-6) - reference);
  const double decades = std::log10(e4 / e6) / 2.0;
  CHECK(decades > 0.7);
  CHECK(decades < 1.7);  // measured 1.28 on this case
}

TEST_CASE("the gold-film case agrees with an independent explicit solver", "[thermal][ttm]") {
  // Reference: node-centred finite differences (101 nodes, point-sampled source), classical
  // RK4 with a fixed step below the explicit stability limit; written here, sharing nothing
  // with the library's finite volumes and CVODE. Agreement within 1% on the front-surface Tₑ.
  const std::size_t nodes = 101;
  const double L = 100e-9, h = L / (nodes - 1);
  const double gamma = 70, cl = 2.5e6, G = 2.6e16, k0 = 315;
  const double R = 0.93, F = 13.4, tp = 96e-15, delta = 15.3e-9;
  auto source = [&](double x, double t) {
    return std::sqrt(4 * std::log(2.0) / M_PI) * (1 - R) * F / (tp * delta) *
           std::exp(-x / delta - 4 * std::log(2.0) * t * t / (tp * tp));
  };
  auto rhs = [&](double t, const std::vector<double>& y, std::vector<double>& dy) {
    for (std::size_t i = 0; i < nodes; ++i) {
      const double te = y[2 * i], tl = y[2 * i + 1];
      // Flux form with kₑ at half nodes; mirror nodes make the faces adiabatic.
      auto ke_at = [&](std::size_t j) { return k0 * y[2 * j] / y[2 * j + 1]; };
      const std::size_t left = i == 0 ? 1 : i - 1, right = i == nodes - 1 ? nodes - 2 : i + 1;
      const double kl_half = 0.5 * (ke_at(i) + ke_at(left));
      const double kr_half = 0.5 * (ke_at(i) + ke_at(right));
      const double div = (kr_half * (y[2 * right] - te) - kl_half * (te - y[2 * left])) / (h * h);
      const double x = static_cast<double>(i) * h;
      dy[2 * i] = (div - G * (te - tl) + source(x, t)) / (gamma * te);
      dy[2 * i + 1] = G * (te - tl) / cl;
    }
  };
  std::vector<double> y(2 * nodes, 300.0), k1(y.size()), k2(y.size()), k3(y.size()),
      k4(y.size()), tmp(y.size());
  const double dt = 0.02e-15;  // limit h²·γT/(2k₀) ≈ 3.3e-17 s at 300 K
  double t = -300e-15;
  std::vector<std::pair<double, double>> samples;  // (t, Te front)
  const TtmResult r = run_ttm(qiu_tien(400, 2.0, 1e-8));
  REQUIRE(r.ok);
  const auto te_lib = front_Te(r);
  for (double target : {0.0, 0.2e-12, 0.5e-12, 1e-12, 2e-12}) {
    while (t < target - 0.5 * dt) {
      rhs(t, y, k1);
      for (std::size_t i = 0; i < y.size(); ++i) tmp[i] = y[i] + 0.5 * dt * k1[i];
      rhs(t + 0.5 * dt, tmp, k2);
      for (std::size_t i = 0; i < y.size(); ++i) tmp[i] = y[i] + 0.5 * dt * k2[i];
      rhs(t + 0.5 * dt, tmp, k3);
      for (std::size_t i = 0; i < y.size(); ++i) tmp[i] = y[i] + dt * k3[i];
      rhs(t + dt, tmp, k4);
      for (std::size_t i = 0; i < y.size(); ++i) {
        y[i] += dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      }
      t += dt;
    }
    // Output index of `target` in the library's run (start −300 fs, every 2 fs).
    const auto k = static_cast<std::size_t>(std::lround((target + 300e-15) / 2e-15));
    const double rise_ref = y[0] - 300.0, rise_lib = te_lib[k] - 300.0;
    CHECK(rise_lib == Approx(rise_ref).epsilon(0.01));
  }
}

TEST_CASE("a gold film on oxide: heat crosses the interface and the ledger closes",
          "[thermal][ttm]") {
  auto root = Config::parse(R"(ttm:
  layers:
    - {material: Au, thickness_nm: 50, cells: 100, interface_conductance_W_per_m2K: 1.0e8}
    - {material: SiO2, thickness_nm: 100, cells: 100, first_cell_nm: 0.2}
  boundaries: {front: adiabatic, back: {type: fixed, temperature_K: 300}}
  source: {fluence_J_per_m2: 200, pulse_fwhm_fs: 100, reflectivity: 0.5, penetration_depth_nm: 15}
  time: {start_fs: -500, end_ns: 10, output_every_ps: 5}
)",
                            "stack.yaml");
  const TtmResult r = run_ttm(TtmCase::from_config(root));
  REQUIRE(r.ok);
  // 100 J/m² into 50 nm of gold heats its lattice by ~800 K; the oxide's diffusion length
  // √(Dt) = √(8.5e-7 m²/s × 10 ns) ≈ 90 nm, so heat reaches the fixed back face within the run.
  // The ledger balances to the trapezoidal rule's accuracy on 5 ps outputs.
  CHECK(r.haz.lattice_max_K[100] > 310.0);
  CHECK(r.energy.boundary_loss_J_per_m2.back() > 0.0);
  CHECK(r.energy.relative_imbalance() < 5e-3);
  // The HAZ reaches at least the gold that was heated past Au's 535 K threshold.
  CHECK(r.haz.extent_m > 0.0);
  CHECK(r.haz.electron_diffusion_length_m == Approx(123e-9).epsilon(0.01));
}

TEST_CASE("bad TTM cases are refused with the key named", "[thermal][ttm]") {
  const std::string base = R"(ttm:
  layers:
    - {material: Au, thickness_nm: 100, cells: 400}
  source: {fluence_J_per_m2: 13.4, pulse_fwhm_fs: 96, reflectivity: 0.93, penetration_depth_nm: 15.3}
  time: {start_fs: -300, end_ps: 5, output_every_fs: 2}
)";
  auto with = [&](const char* path, const char* value) {
    auto c = Config::parse(base, "case.yaml");
    c.set(path, value);
    return c;
  };
  REQUIRE_NOTHROW(TtmCase::from_config(Config::parse(base, "case.yaml")));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.layers[0].cells", "0")),
                      Contains("ttm.layers[0].cells = 0 is outside [1, 1000000]"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.layers[0].thickness_nm", "-5")),
                      Contains("case.yaml:3:22: ttm.layers[0].thickness_nm = -5 is outside (0, 1000000]"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.source.fluence_J_per_m2", "-1")),
                      Contains("ttm.source.fluence_J_per_m2 = -1 is outside (0, 100000]"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.source.reflectivity", "1")),
                      Contains("ttm.source.reflectivity = 1 is outside [0, 1)"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.layers[0].material", "Kryptonite")),
                      Contains("case.yaml:3:8: unknown material 'Kryptonite'"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.source.fluence_mJ_per_cm2", "5")),
                      Contains("unknown key 'ttm.source.fluence_mJ_per_cm2'"));
  REQUIRE_THROWS_WITH(TtmCase::from_config(with("ttm.time.end_ns", "1")),
                      Contains("'ttm.time.end_ps' and 'end_ns' give the same quantity twice"));
}

TEST_CASE("a solver failure comes back as a result, not an exception", "[thermal][ttm]") {
  TtmCase c = qiu_tien(100, 10.0);
  c.solver.max_steps = 3;
  TtmResult r;
  REQUIRE_NOTHROW(r = run_ttm(c));
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Contains("CV_TOO_MUCH_WORK"));
  CHECK(r.time_s.size() < 531);  // stopped early, keeping what it had
}

TEST_CASE("a pulse train delivers each pulse's energy", "[thermal][ttm]") {
  // Three pulses 100 ps apart: the ledger absorbs 3 × (1 − R)·F·(1 − e^(−d/δ)) and closes.
  auto root = Config::load_file(psw::data_file("cases/qiu_tien_gold_100nm.yaml"));
  root.set("ttm.source.pulses", "3");
  root.set("ttm.source.repetition_rate_Hz", "1.0e10");
  root.set("ttm.time.end_ps", "250");
  root.set("ttm.time.output_every_fs", "500");
  const TtmResult r = run_ttm(TtmCase::from_config(root));
  REQUIRE(r.ok);
  CHECK(r.energy.absorbed_J_per_m2.back() ==
        Approx(3 * 0.07 * 13.4 * (1 - std::exp(-100.0 / 15.3))).epsilon(1e-9));
  CHECK(r.energy.relative_imbalance() < 1e-3);
  REQUIRE_THROWS_WITH(
      [] {
        auto bad = Config::load_file(psw::data_file("cases/qiu_tien_gold_100nm.yaml"));
        bad.set("ttm.source.pulses", "3");
        return TtmCase::from_config(bad);
      }(),
      Contains("a train of 3 pulses needs repetition_rate_<Hz|kHz|MHz>"));
}

TEST_CASE("a thin film cooled by convection follows Newton's law of cooling", "[thermal][ttm]") {
  // Biot number h·d/k = 1e6 × 1e-7 / 318 ≈ 3e-4 ≪ 1: the film stays uniform and its excess
  // temperature decays as exp(−t/τ), τ = (Cₗ + γT₀)·d/h (constant Cₑ), here 0.251 ns.
  TtmCase c = linear_film(20, 1e-9);
  c.layers[0].thickness_m = 100e-9;
  c.initial_Te_K.assign(20, 400.0);
  c.initial_Tl_K.assign(20, 400.0);
  c.front.kind = BoundaryKind::convective;
  c.front.h_W_per_m2K = 1e6;
  c.front.temperature_K = 300.0;
  c.solver.rtol = 1e-8;
  const TtmResult r = run_ttm(c);
  REQUIRE(r.ok);
  const Material& m = c.layers[0].material;
  const double tau = (m.lattice_heat_capacity + m.gamma * 300.0) * 100e-9 / 1e6;
  for (std::size_t k = 0; k < r.time_s.size(); ++k) {
    const double mean = 0.5 * (r.Tl_K[k * 20] + r.Tl_K[k * 20 + 19]);
    CHECK(mean - 300.0 == Approx(100.0 * std::exp(-r.time_s[k] / tau)).epsilon(2e-3));
  }
  // The energy that left through the face is what the film lost (trapezoidal rule, 0.1 ns).
  const double stored = r.energy.electrons_J_per_m2.back() + r.energy.lattice_J_per_m2.back();
  CHECK(-stored == Approx(r.energy.boundary_loss_J_per_m2.back()).epsilon(2e-3));
}

TEST_CASE("a volumetric heat input warms the film by P·τ/(Cₗ + Cₑ)", "[thermal][ttm]") {
  // 1e19 W/m³ over the whole film for 1 ps, no laser: after the carriers equilibrate the film is
  // uniform and has gained P·τ per volume, so ΔT = P·τ/(Cₗ + γT₀) with constant Cₑ (3.99 K).
  TtmCase c = linear_film(20, 50e-12);
  c.layers[0].thickness_m = 100e-9;
  HeatInput deposit;
  deposit.power_density_W_per_m3 = 1e19;
  deposit.depth_from_m = 0.0;
  deposit.depth_to_m = 100e-9;
  deposit.start_s = 2e-12;
  deposit.duration_s = 1e-12;
  c.heat_inputs = {deposit};
  const TtmResult r = run_ttm(c);
  REQUIRE(r.ok);
  const Material& m = c.layers[0].material;
  const double rise = 1e19 * 1e-12 / (m.lattice_heat_capacity + m.gamma * 300.0);
  const std::size_t last = (r.time_s.size() - 1) * r.cells();
  for (std::size_t i : {std::size_t{0}, std::size_t{19}}) {
    CHECK(r.Tl_K[last + i] - 300.0 == Approx(rise).epsilon(1e-4));
    CHECK(r.Te_K[last + i] - 300.0 == Approx(rise).epsilon(1e-4));
  }
  // The ledger counts the input exactly: P·d·τ = 1e19 × 1e-7 × 1e-12 = 1 J/m².
  CHECK(r.energy.absorbed_J_per_m2.back() == Approx(1.0).epsilon(1e-12));
  CHECK(r.energy.relative_imbalance() < 1e-4);
}

TEST_CASE("heat inputs in a 3-D box: a deposit under the spot, energy accounted", "[thermal][ttm]") {
  auto root = Config::parse(R"(ttm:
  layers:
    - {material: Cu, thickness_nm: 300, cells: 12}
    - {material: polyimide, thickness_nm: 300, cells: 6}
  geometry: {kind: cartesian, size_x_um: 2, size_y_um: 2, cells_x: 8, cells_y: 8}
  source: {fluence_J_per_m2: 1.0e-9, pulse_fwhm_fs: 100, reflectivity: 0.5,
           penetration_depth_nm: 13, peak_time_fs: -1.0e6}
  heat_inputs:
    - {power_density_W_per_m3: 1.0e18, depth_nm: [0, 150], start_ps: 0, duration_ps: 20,
       radius_um: 0.5}
  time: {start_ps: 0, end_ps: 100, output_every_ps: 10}
  solver: {rtol: 1.0e-9, atol_K: 1.0e-8}
)",
                            "deposit.yaml");
  const TtmResult r = run_ttm(TtmCase::from_config(root));
  REQUIRE(r.ok);
  CHECK(r.energy.relative_imbalance() < 1e-4);  // measured 2e-6
  // 12 columns of 0.25 µm have centres within 0.5 µm of the middle: 0.75 µm², so the input is
  // 1e18 W/m³ × 0.75e-12 m² × 150 nm × 20 ps = 2.25e-12 J over the 4 µm² domain.
  CHECK(r.energy.absorbed_J_per_m2.back() == Approx(2.25e-12 / 4e-12).epsilon(1e-12));
  // Of the 8 × 8 columns of 0.25 µm, only those whose centres lie within 0.5 µm of the middle
  // are heated: the column next to the centre must end hotter than a corner column.
  const std::size_t nz = r.x_m.size();
  CHECK(r.haz.lattice_max_K[(3 * 8 + 3) * nz] > r.haz.lattice_max_K[0] + 1.0);
  REQUIRE_THROWS_WITH(
      [&] {
        auto bad = root;
        bad.set("ttm.heat_inputs[0].duration_ps", "0");
        return TtmCase::from_config(bad);
      }(),
      Contains("ttm.heat_inputs[0].duration_ps = 0"));
}
