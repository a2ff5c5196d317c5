// One backward-Euler time step of the gray phonon BTE across a uniform slab: shared by the
// transient slab solver and the two-temperature model's `lattice_transport: bte`.
//
// With x in mean free paths and α = Λ/(vΔt), σ = 1 + α, each ordinate solves
//
//   μ·φ' + σ·φ = T + α·φ_old + Q·Λ/(C·v)
//
// by source iteration on T = ½Σwφ with diamond differencing and a DSA correction; Q (W/m³) is an
// isotropic volumetric source (the electrons' G(Tₑ − Tₗ) in the TTM). Walls are black at a
// temperature, or mirrors (adiabatic: every phonon is reflected specularly). The accepted step
// satisfies C·ΔT·dx = Δt·(q_in − q_out + Q·dx) per cell to the inner tolerance.
#pragma once

#include <cstddef>
#include <vector>

#include <psw/thermal/phonon_bte.hpp>

namespace psw::thermal::detail {

/// A `phonons:` map {mean_free_path_nm, group_velocity_m_per_s, heat_capacity_J_per_m3K}, shared
/// by the slab and 2-D case readers. @throws std::invalid_argument naming the key.
PhononProperties parse_phonons(const Config& phonons);

struct BteWall {
  bool mirror = false;
  double T_K = 0.0;  ///< black wall temperature (unused for a mirror)
};

class BteStepper {
 public:
  /// Uniform slab of `cells` over `thickness_m`, starting isotropic at `initial_K`.
  BteStepper(const PhononProperties& phonons, double thickness_m, std::size_t cells,
             std::size_t ordinates, double initial_K);

  struct StepResult {
    bool converged = false;
    double residual = 0.0;
    std::size_t sweeps = 0;
    double q_left_W_per_m2 = 0.0;   ///< into the slab at x = 0
    double q_right_W_per_m2 = 0.0;  ///< out of the slab at x = L
  };

  /// Advances by dt with the volumetric source Q (W/m³ per cell; empty: none). `scale` (K) sets
  /// the convergence test: max |ΔT| per sweep < tolerance·scale.
  StepResult step(double dt, const std::vector<double>& Q, const BteWall& left,
                  const BteWall& right, double tolerance, std::size_t max_iterations, double scale);

  /// Equivalent equilibrium temperature per cell.
  const std::vector<double>& T() const { return T_; }
  /// Sets the temperature (and an isotropic intensity at it) of every cell.
  void set_isotropic(const std::vector<double>& T);

 private:
  PhononProperties phonons_;
  std::size_t n_, N_;
  double dx_, dtau_;
  GaussLegendre quad_;
  std::vector<double> phi_old_, phi_, T_, T_new_, f_;
  std::vector<double> out_left_, out_right_;  ///< per positive ordinate, leaving each wall
};

}  // namespace psw::thermal::detail
