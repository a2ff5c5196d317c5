// The two-temperature model with the lattice carried by the gray phonon BTE (1-D slab).
//
// Operator splitting over fixed steps Δt:
//   1. electrons, backward Euler with the lattice held at Tₗⁿ:
//        C̄ₑ·w·(Tₑ′ − Tₑ)/Δt = Σ K_face·(Tₑ′_nb − Tₑ′) + S − G·w·(Tₑ′ − Tₗⁿ)
//      with C̄ₑ = Cₑ((Tₑ + Tₑ′)/2) (Picard), so C̄ₑ·ΔTₑ is ∫Cₑ dT exactly for linear Cₑ; S is
//      the laser energy the cell absorbs during the step, divided by Δt;
//   2. phonons, one BTE step (bte_stepper.hpp) with the volumetric source G·(Tₑ′ − Tₗⁿ): the
//      energy the electrons gave up in step 1 arrives in the lattice, so the exchange conserves
//      energy exactly and the ledger closes to the inner tolerances.
// Walls: the front is a mirror for phonons and closed to electrons (adiabatic); the back is the
// same when adiabatic, or black at its temperature with the electrons' half-cell conductance
// when fixed.
#include "bte_stepper.hpp"
#include "ttm_internal.hpp"

#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/core/tridiagonal.hpp>

#include <algorithm>
#include <cmath>

namespace psw::thermal::detail {

TtmResult run_ttm_bte(const TtmCase& c) {
  const Layer& layer = c.layers.front();
  const Material& m = layer.material;
  const std::size_t n = layer.cells;
  const double L = layer.thickness_m, w = L / static_cast<double>(n);
  const double T0 = c.initial_temperature_K;

  PhononProperties phonons;
  phonons.heat_capacity_J_per_m3K = m.lattice_heat_capacity;
  phonons.mean_free_path_m = layer.phonon_mean_free_path_m;
  phonons.group_velocity_m_per_s =
      3.0 * m.lattice_conductivity / (m.lattice_heat_capacity * layer.phonon_mean_free_path_m);
  require_in_range("phonon group velocity 3k_l/(C_l·mfp), m/s", phonons.group_velocity_m_per_s,
                   Range::open_closed(0.0, 1e5));

  TtmResult r;
  r.geometry = Geometry::slab;
  r.lateral_x_faces_m = {0.0, 1.0};
  r.x_m.resize(n);
  r.width_m.assign(n, w);
  r.layer_of_cell.assign(n, 0);
  std::vector<double> absorb(n);
  const double delta = c.source.penetration_depth_m + c.source.ballistic_range_m;
  for (std::size_t i = 0; i < n; ++i) {
    const double x0 = static_cast<double>(i) * w;
    r.x_m[i] = x0 + 0.5 * w;
    absorb[i] = std::exp(-x0 / delta) - std::exp(-(x0 + w) / delta);
  }

  // Time steps: whole substeps per output interval, none longer than the target.
  const double target = c.bte.time_step_s > 0.0 ? c.bte.time_step_s : c.source.fwhm_s / 10.0;
  const auto substeps = static_cast<std::size_t>(std::ceil(c.output_every_s / target - 1e-9));
  const double dt = c.output_every_s / static_cast<double>(std::max<std::size_t>(1, substeps));
  const auto outputs = static_cast<std::size_t>(
      std::floor((c.end_s - c.start_s) / c.output_every_s * (1.0 + 1e-12)) + 1);

  std::vector<double> Te(n, c.initial_electron_temperature_K.value_or(T0)), Tl(n, T0);
  BteStepper phonon(phonons, L, n, c.bte.ordinates, T0);
  const bool back_fixed = c.back.kind == BoundaryKind::fixed;
  const BteWall front_wall{true, 0.0}, back_wall{!back_fixed, c.back.temperature_K};

  const double per_pulse = (1.0 - c.source.reflectivity) * c.source.fluence_J_per_m2;
  const double delivered0 = c.source.delivered(c.start_s);
  double absorbed_fraction = 0.0;
  for (double a : absorb) absorbed_fraction += a;
  double boundary_loss = 0.0;
  const auto stored_electrons = [&] {
    double e = 0.0;
    for (double T : Te) e += electron_energy(c, m, T) * w;
    return e;
  };
  const double electrons0 = stored_electrons();
  r.haz.lattice_max_K.assign(n, T0);

  const auto record = [&](double t) {
    r.time_s.push_back(t);
    r.Te_K.insert(r.Te_K.end(), Te.begin(), Te.end());
    r.Tl_K.insert(r.Tl_K.end(), Tl.begin(), Tl.end());
    double lattice = 0.0;
    for (double T : Tl) lattice += m.lattice_heat_capacity * (T - T0) * w;
    r.energy.absorbed_J_per_m2.push_back(per_pulse * absorbed_fraction *
                                         (c.source.delivered(t) - delivered0));
    r.energy.electrons_J_per_m2.push_back(stored_electrons() - electrons0);
    r.energy.lattice_J_per_m2.push_back(lattice);
    r.energy.boundary_loss_J_per_m2.push_back(boundary_loss);
  };
  const auto track_peaks = [&] {
    for (std::size_t i = 0; i < n; ++i) {
      r.haz.lattice_max_K[i] = std::max(r.haz.lattice_max_K[i], Tl[i]);
      r.haz.electron_max_K = std::max(r.haz.electron_max_K, Te[i]);
    }
  };
  track_peaks();
  record(c.start_s);

  std::vector<double> a(n), b(n), cc(n), rhs(n), scratch(n), Te_new(n), face(n > 0 ? n - 1 : 0),
      G(n), exchange(n);
  double t = c.start_s;
  for (std::size_t k = 1; k < outputs && r.ok; ++k) {
    for (std::size_t s = 0; s < substeps && r.ok; ++s) {
      const double t1 = t + dt;
      const double pulse = per_pulse * (c.source.delivered(t1) - c.source.delivered(t)) / dt;
      // Electron face conductances, two half cells in series, at the start of the step.
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const double ka = electron_conductivity(c, m, Te[i], Tl[i]);
        const double kb = electron_conductivity(c, m, Te[i + 1], Tl[i + 1]);
        face[i] = 1.0 / (0.5 * w / ka + 0.5 * w / kb);
      }
      const double back_k =
          back_fixed ? 2.0 * electron_conductivity(c, m, Te[n - 1], Tl[n - 1]) / w : 0.0;

      // Picard on the midpoint heat capacity and coupling.
      Te_new = Te;
      for (int it = 0; it < 20; ++it) {
        for (std::size_t i = 0; i < n; ++i) {
          const double mid = 0.5 * (Te[i] + Te_new[i]);
          const double ce = electron_capacity(c, m, mid) * w / dt;
          G[i] = coupling(c, m, mid);
          a[i] = i > 0 ? -face[i - 1] : 0.0;
          cc[i] = i + 1 < n ? -face[i] : 0.0;
          b[i] = ce - a[i] - cc[i] + G[i] * w + (i + 1 == n ? back_k : 0.0);
          rhs[i] = ce * Te[i] + pulse * absorb[i] + G[i] * w * Tl[i] +
                   (i + 1 == n ? back_k * c.back.temperature_K : 0.0);
        }
        std::vector<double> previous = Te_new;
        Te_new = rhs;
        solve_tridiagonal(a, b, cc, Te_new, scratch);
        double change = 0.0;
        for (std::size_t i = 0; i < n; ++i) change = std::max(change, std::abs(Te_new[i] - previous[i]));
        if (change <= 1e-12 * std::max(1.0, Te_new[0])) break;
      }
      for (std::size_t i = 0; i < n; ++i) exchange[i] = G[i] * (Te_new[i] - Tl[i]);
      if (back_fixed) boundary_loss += back_k * (Te_new[n - 1] - c.back.temperature_K) * dt;

      // Phonons, with the electrons' loss as their source.
      const auto step = phonon.step(dt, exchange, front_wall, back_wall, c.bte.tolerance_K,
                                    c.bte.max_iterations, 1.0);
      if (!step.converged) {
        r.ok = false;
        r.message = "the phonon BTE step at t = " + format_number(t) + " s did not converge " +
                    "(residual " + format_number(step.residual) + " K after " +
                    std::to_string(step.sweeps) + " sweeps)";
        break;
      }
      boundary_loss += (step.q_right_W_per_m2 - step.q_left_W_per_m2) * dt;
      Te = Te_new;
      Tl = phonon.T();
      t = t1;
      ++r.steps;
      r.rhs_evaluations += static_cast<long>(step.sweeps);
      track_peaks();
    }
    if (r.ok) {
      t = c.start_s + static_cast<double>(k) * c.output_every_s;  // no drift from summing dt
      record(t);
    }
  }

  r.haz.threshold_K = c.haz_threshold_K.value_or(m.haz_threshold_K);
  for (std::size_t i = 0; i < n; ++i) {
    r.haz.lattice_peak_K = std::max(r.haz.lattice_peak_K, r.haz.lattice_max_K[i]);
    if (r.haz.lattice_max_K[i] >= r.haz.threshold_K) {
      r.haz.extent_m = std::max(r.haz.extent_m, r.x_m[i] + 0.5 * w);
    }
  }
  r.haz.electron_diffusion_length_m = m.electron_diffusion_length();
  log::telemetry(log::Level::info, "ttm_done",
                 {{"ok", r.ok}, {"cells", n}, {"outputs", r.time_s.size()}, {"steps", r.steps},
                  {"lattice_transport", "bte"}, {"Te_max_K", r.haz.electron_max_K},
                  {"Tl_max_K", r.haz.lattice_peak_K},
                  {"energy_imbalance", r.energy.relative_imbalance()}});
  return r;
}

}  // namespace psw::thermal::detail
