// Densification under a temperature history: the master sintering curve (Su & Johnson 1996).
//
// When one mechanism with activation energy Q controls densification and the microstructure
// evolves along one path, the relative density depends on time and temperature only through
// the work of sintering
//
//   Θ(t) = ∫₀ᵗ (1/T)·exp(−Q/RT) dt                                  (s/K)
//
// and ρ = Φ(Θ) is one curve for a given powder and green density. psw uses the sigmoid in ln Θ
// common in MSC fits (e.g. Blaine et al. 2006):
//
//   ρ(Θ) = ρ₀ + (ρ_max − ρ₀) / (1 + exp(−(ln Θ − ln Θ₅₀)/w))
//
// For particles of diameter d the curve shifts with Herring's scaling, Θ₅₀(d) =
// Θ₅₀(d_ref)·(d/d_ref)^m_H, m_H = 4 for boundary diffusion.
//
// @note The curve describes one ink (particle size, capping agent, green density); apply it to
//       another only through the size shift, and expect factors of a few from the organics.
//
// References: H. Su, D. L. Johnson, J. Am. Ceram. Soc. 79 (1996) 3211; D. C. Blaine et al.,
// J. Am. Ceram. Soc. 89 (2006) 1236; C. Herring, J. Appl. Phys. 21 (1950) 301.
#pragma once

#include <psw/sintering/material.hpp>
#include <psw/sintering/temperature_history.hpp>

namespace psw::sintering {

class MasterSinteringCurve {
 public:
  /// The curve of `params` shifted to particles of `diameter_m`.
  /// @throws std::invalid_argument for diameter outside (0, 1 mm] or bad params.
  MasterSinteringCurve(const MasterCurveParams& params, double diameter_m);

  double activation_J_per_mol() const { return Q_; }
  double ln_theta50() const { return ln_theta50_; }
  double green_density() const { return rho0_; }
  double max_density() const { return rho_max_; }

  /// ρ(Θ) for Θ ≥ 0 (ρ₀ at Θ = 0).
  double density(double theta_s_per_K) const;
  /// Θ at which ρ is reached: 0 for ρ ≤ ρ₀, +inf for ρ ≥ ρ_max.
  double theta_for_density(double density) const;
  /// ρ at time t under `history`.
  double density_at(const TemperatureHistory& history, double t_s) const;

 private:
  double Q_, ln_theta50_, width_, rho0_, rho_max_;
};

}  // namespace psw::sintering
