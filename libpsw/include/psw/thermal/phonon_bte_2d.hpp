// The gray phonon BTE on a 2-D Cartesian grid (x across, y along; a film with a hot spot, a
// line beside a via), steady or stepped in time.
//
//   Ω·∇φ + φ/Λ = T/Λ + Q/(C·v)          (steady; backward Euler adds (φ − φ_old)/(v·Δt))
//   T = (1/4π)∫φ dΩ,   q = (C·v/4π)∫Ω φ dΩ
//
// φ in temperature units, Q a volumetric heat source (W/m³). Directions: a product quadrature,
// Gauss–Legendre in cos θ (θ from the out-of-plane axis, the two hemispheres folded together)
// times `azimuths` equally spaced angles φ offset by half a step, so that every direction has
// its mirror images in x and in y. Cells: diamond differencing, swept from the upwind corner for
// each of the four quadrants. Walls: black at a temperature, or mirrors (specular, adiabatic).
// Iteration, `acceleration`:
// - krylov (the default): restarted GMRES on the fixed point of the sweep, T = K·T + b (with
//   the intensities mirrors return as unknowns too), right-preconditioned by the diffusion
//   correction below (the reflected intensities get the correction of the cell they leave).
//   Each GMRES iteration costs one sweep. GMRES minimises the true residual, so a
//   preconditioner that is inconsistent with the sweep (thick cells, lagging mirrors) slows it
//   but cannot make it diverge (Warsa, Wareing & Morel, Nucl. Sci. Eng. 147 (2004) 218).
//   Measured (a 100 nm box of 20 × 20 cells, S4 × 16, a heated square, one wall at 301 K, the
//   others black at 300 K): 15, 22, 32 and 63 sweeps at Δx/Λ = 1, 2, 4 and 10 where plain
//   iteration takes 1271, 4387, 15 739 and 86 569 (the DSA alone 58 at Δx = Λ and is off
//   beyond); with mirrors on two opposite walls 22, 32, 63 and 156 against 2519-163 933.
// - dsa: source iteration with diffusion synthetic acceleration: after each sweep the change in
//   T drives a cell-centred diffusion problem (D = 1/(3σ), Marshak conditions at black walls, no
//   flux through mirrors; one sparse Cholesky factorisation per run) whose solution corrects T:
//   10-60 sweeps at Kn = 0.01-0.1 with cells up to Λ. Unlike the slab's (phonon_bte.hpp) this
//   DSA is not discretised consistently with the sweep: it is switched off (the result's message
//   says so) for cells thicker than a mean free path (it diverges from about 1.25), and a run
//   that diverges anyway restarts without it. With mirrors on opposite walls one of the two
//   reflections lags a sweep, which the DSA (taking the mirrors as exact) cannot follow, so each
//   iteration then re-sweeps with the same source until the reflections settle (measured: 35-65
//   sweeps in all where plain iteration takes 600-2500).
// - none: plain source iteration, fast for Kn ≳ 0.3, crawling in the diffusive limit.
// Non-convergence is a status, not an exception.
//
// Sinks: black regions inside the box at a fixed temperature (a via tied to a heat sink); their
// cells absorb what arrives and emit at their temperature, as a black wall does.
//
// Energy: the converged steady field satisfies Σ Q·V = net heat out through the walls and into
// the sinks to the iteration tolerance; a time step satisfies C·ΔT·V = Δt·(Q·V − net outflow)
// per cell.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include <psw/thermal/phonon_bte.hpp>

namespace psw::thermal {

struct Wall2d {
  bool mirror = false;
  double T_K = 300.0;  ///< black wall temperature
};

/// A box of volumetric heating.
struct HeatBox2d {
  double x0_m = 0, x1_m = 0, y0_m = 0, y1_m = 0;
  double power_W_per_m3 = 0;
};

/// A black region inside the box held at a temperature: every cell whose centre lies inside
/// absorbs all phonons arriving and emits at T_K (a via or pad tied to a heat sink).
struct SinkBox2d {
  double x0_m = 0, x1_m = 0, y0_m = 0, y1_m = 0;
  double T_K = 300.0;
};

struct Bte2dOptions {
  double width_m = 100e-9;                 ///< Lx, (0, 1]
  double height_m = 100e-9;                ///< Ly, (0, 1]
  std::size_t cells_x = 50, cells_y = 50;  ///< [1, 4000] each
  PhononProperties phonons;
  /// Walls: x = 0, x = Lx, y = 0, y = Ly.
  Wall2d left, right, bottom, top;
  std::vector<HeatBox2d> heat;
  std::vector<SinkBox2d> sinks;
  std::size_t polar = 8;      ///< Gauss–Legendre points in cos θ over [0, 1], [1, 64]
  std::size_t azimuths = 16;  ///< a multiple of 4, [4, 256]
  BteAcceleration acceleration = BteAcceleration::krylov;
  double initial_K = 300.0;  ///< start (and the transient's initial state)
  double tolerance = 1e-8;   ///< max |ΔT| per sweep, relative to the temperature span
  std::size_t max_iterations = 20000;
  // Transient (steps > 0): backward Euler from uniform initial_K.
  double time_step_s = 0.0;
  std::size_t steps = 0;

  double knudsen() const { return phonons.mean_free_path_m / std::min(width_m, height_m); }
  /// @throws std::invalid_argument naming the first violated field (and when a steady problem
  /// has no black wall: with mirrors all round it has no steady state).
  void validate() const;
};

struct Bte2dResult {
  BteStatus status = BteStatus::converged;
  std::string message;
  std::size_t iterations = 0;    ///< sweeps (all steps together when transient)
  std::vector<double> x_m, y_m;  ///< cell centres
  /// The last state, row-major [j·nx + i] (y rows, x fastest).
  std::vector<double> T_K, qx_W_per_m2, qy_W_per_m2;
  /// Net heat per unit depth leaving through each wall (W/m): left, right, bottom, top.
  std::array<double, 4> wall_out_W_per_m{};
  double source_W_per_m = 0.0;   ///< Σ Q·(cell area), W/m
  double sink_in_W_per_m = 0.0;  ///< net heat per unit depth absorbed by the sink regions
  // Transient only: per time (0 first).
  std::vector<double> time_s, stored_J_per_m, input_J_per_m;
  std::vector<double> T_history_K;  ///< time-major snapshots of T_K
};

/// Steady when options.steps == 0, else the transient. @throws std::invalid_argument.
Bte2dResult solve_bte_2d(const Bte2dOptions& options);

/// Reads a `bte_2d:` section: box {width_nm, height_nm, cells_x, cells_y}, phonons (as for
/// `bte`), walls {left, right, bottom, top: {T_K} or mirror}, heat: [{x_nm: [a, b], y_nm: [c, d],
/// power_W_per_m3}], sinks: [{x_nm: [a, b], y_nm: [c, d], T_K}], polar, azimuths, acceleration
/// (krylov | dsa | none), initial_K, tolerance, max_iterations, and optionally transient:
/// {time_step_ps (or fs, ns), steps}.
Bte2dOptions parse_bte_2d(const Config& section);

}  // namespace psw::thermal
