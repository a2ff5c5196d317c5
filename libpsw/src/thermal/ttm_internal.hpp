// Pieces shared by the 1-D (banded) and the 2-D/3-D (Krylov) two-temperature solvers.
#pragma once

#include <psw/core/constants.hpp>
#include <psw/core/grid.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace psw::thermal::detail {

inline constexpr double kPulseWindowFwhm = 4.0;  // pulses resolved over t₀ ± 4 FWHM (≈ e^-44)
inline constexpr std::size_t kMaxStoredValues = 50'000'000;

inline double electron_capacity(const TtmCase& c, const Material& m, double Te) {
  switch (c.heat_capacity_model) {
    case ElectronHeatCapacity::linear: return m.gamma * Te;
    case ElectronHeatCapacity::constant: return m.gamma * c.initial_temperature_K;
    case ElectronHeatCapacity::table: return (*m.electron_heat_capacity_table)(Te);
  }
  return 0.0;
}

inline double electron_conductivity(const TtmCase& c, const Material& m, double Te, double Tl) {
  switch (c.conductivity_model) {
    case ElectronConductivity::linear: return m.k0 * Te / Tl;
    case ElectronConductivity::constant: return m.k0;
    case ElectronConductivity::anisimov_rethfeld: return anisimov_rethfeld_conductivity(m, Te, Tl);
  }
  return 0.0;
}

/// G(Tₑ), W/(m³·K).
inline double coupling(const TtmCase& c, const Material& m, double Te) {
  return c.coupling_model == ElectronPhononCoupling::table ? (*m.coupling_table)(Te) : m.coupling;
}

/// ∫_{T₀}^{T} Cₑ dT per volume.
inline double electron_energy(const TtmCase& c, const Material& m, double Te) {
  const double T0 = c.initial_temperature_K;
  switch (c.heat_capacity_model) {
    case ElectronHeatCapacity::linear: return 0.5 * m.gamma * (Te * Te - T0 * T0);
    case ElectronHeatCapacity::constant: return m.gamma * T0 * (Te - T0);
    case ElectronHeatCapacity::table: return table_integral(*m.electron_heat_capacity_table, T0, Te);
  }
  return 0.0;
}

/// Heat flowing into a boundary cell per unit area for one carrier, W/m².
inline double boundary_gain(const Boundary& b, double T, double conductivity, double width,
                            bool lattice) {
  switch (b.kind) {
    case BoundaryKind::adiabatic: return 0.0;
    case BoundaryKind::fixed:
      return conductivity > 0.0 ? 2.0 * conductivity / width * (b.temperature_K - T) : 0.0;
    case BoundaryKind::convective:
      if (!lattice) return 0.0;
      return -(b.h_W_per_m2K * (T - b.temperature_K) +
               b.emissivity * constants::kStefanBoltzmann *
                   (std::pow(T, 4) - std::pow(b.temperature_K, 4)));
  }
  return 0.0;
}

/// d(boundary_gain)/dT, for preconditioners (≤ 0).
inline double boundary_gain_slope(const Boundary& b, double T, double conductivity, double width,
                                  bool lattice) {
  switch (b.kind) {
    case BoundaryKind::adiabatic: return 0.0;
    case BoundaryKind::fixed: return conductivity > 0.0 ? -2.0 * conductivity / width : 0.0;
    case BoundaryKind::convective:
      if (!lattice) return 0.0;
      return -(b.h_W_per_m2K + 4.0 * b.emissivity * constants::kStefanBoltzmann * T * T * T);
  }
  return 0.0;
}

// RAII for the SUNDIALS objects of one run.
struct Cvode {
  SUNContext ctx = nullptr;
  N_Vector y = nullptr;
  SUNMatrix A = nullptr;
  SUNLinearSolver LS = nullptr;
  void* mem = nullptr;
  ~Cvode() {
    if (mem) CVodeFree(&mem);
    if (LS) SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    if (y) N_VDestroy(y);
    if (ctx) SUNContext_Free(&ctx);
  }
};

/// Where the integrator must stop so that no pulse is stepped over: every FWHM/4 across each
/// pulse window t₀ ± 4 FWHM. (CVODE's stop-time clamp overrides its maximum step, so a step
/// limit alone does not keep it from crossing a whole pulse between sparse outputs.)
class PulseClock {
 public:
  explicit PulseClock(const TtmCase& c) : fwhm_(c.source.fwhm_s) {
    const double half = kPulseWindowFwhm * fwhm_;
    for (int k = 0; k < c.source.pulses; ++k) {
      const double t0 = c.source.peak_time_s + (k > 0 ? k / c.source.repetition_rate_Hz : 0.0);
      if (t0 + half <= c.start_s || t0 - half >= c.end_s) continue;
      windows_.emplace_back(t0 - half, t0 + half);
      const int substeps = static_cast<int>(8.0 * kPulseWindowFwhm);
      for (int s = 0; s <= substeps; ++s) {
        stops_.push_back(t0 - half + 2.0 * half * s / substeps);
      }
    }
    // Heat inputs switch on and off: stop at both edges.
    for (const HeatInput& h : c.heat_inputs) {
      stops_.push_back(h.start_s);
      stops_.push_back(h.start_s + h.duration_s);
    }
    std::sort(stops_.begin(), stops_.end());
  }

  /// The first stop strictly after t, or +∞ (as a time far past `end`).
  double next_stop(double t, double end) const {
    const auto it = std::upper_bound(stops_.begin(), stops_.end(), t);
    return it == stops_.end() ? 2.0 * std::abs(end) + 1.0 : *it;
  }
  /// The largest step to allow from t: FWHM/10 inside a pulse window, unlimited (0) outside.
  double max_step(double t) const {
    for (const auto& [a, b] : windows_) {
      if (t >= a && t < b) return fwhm_ / 10.0;
    }
    return 0.0;
  }

 private:
  double fwhm_;
  std::vector<std::pair<double, double>> windows_;
  std::vector<double> stops_;
};

/// SUNDIALS error handler that logs at debug level instead of printing to stderr.
void cvode_error_handler(int code, const char* module, const char* function, char* message,
                         void* data);
std::string cvode_flag_name(int flag);

/// The depth grid of a layer stack: each layer uniform or graded, stacked from the front.
struct DepthGrid {
  std::vector<double> centres, widths;
  std::vector<int> layer;  ///< layer index of each cell
};
inline DepthGrid depth_grid(const TtmCase& c) {
  DepthGrid g;
  double origin = 0.0;
  for (std::size_t k = 0; k < c.layers.size(); ++k) {
    const Layer& L = c.layers[k];
    const Grid1D cells = L.first_cell_m > 0.0
                             ? Grid1D::graded(L.thickness_m, L.cells, L.first_cell_m, origin)
                             : Grid1D::uniform(L.thickness_m, L.cells, origin);
    g.centres.insert(g.centres.end(), cells.centres().begin(), cells.centres().end());
    g.widths.insert(g.widths.end(), cells.widths().begin(), cells.widths().end());
    g.layer.insert(g.layer.end(), cells.cells(), static_cast<int>(k));
    origin += L.thickness_m;
  }
  return g;
}

/// Length of [a, b] inside [from, to].
inline double overlap(double a, double b, double from, double to) {
  return std::max(0.0, std::min(b, to) - std::max(a, from));
}

/// Runs the CVODE problem in `cv` from c.start_s to the last output time start + k·Δt ≤ end,
/// stopping across every pulse window (PulseClock), and calls record(t) at the start and at
/// each output. A CVODE failure sets r.ok = false with the reason and ends the run early; the
/// step and right-hand-side counts go into r either way.
void integrate_outputs(const TtmCase& c, const Cvode& cv, TtmResult& r,
                       const std::function<void(double)>& record,
                       const std::function<void()>& on_step = {});

/// The 2-D axisymmetric and 3-D Cartesian solver (ttm_nd.cpp).
TtmResult run_ttm_nd(const TtmCase& c);

/// The slab with the lattice carried by the phonon BTE (ttm_bte.cpp).
TtmResult run_ttm_bte(const TtmCase& c);

}  // namespace psw::thermal::detail
