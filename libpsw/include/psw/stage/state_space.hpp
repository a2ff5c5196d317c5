// Linear time-invariant systems: continuous state space, its exact zero-order-hold
// discretisation, and frequency responses of both.
//
//   continuous:  ẋ = A·x + B·u,   y = C·x + D·u
//   discrete:    x[k+1] = Φ·x[k] + Γ·u[k],   y[k] = C·x[k] + D·u[k]
//   ZOH (u held constant over each period T):
//                Φ = e^{A·T},   Γ = ∫₀ᵀ e^{A·s} ds · B,
//   both read off one matrix exponential  exp([A B; 0 0]·T) = [Φ Γ; 0 I]  (Van Loan 1978).
//
// Single input, single output (the stage axes are SISO; XYZ coupling is applied outside).
// The discretisation is exact for piecewise-constant inputs: a run at a fixed servo rate
// reproduces the continuous solution at the sample instants to rounding, whatever the period.
//
// References: C. F. Van Loan, "Computing integrals involving the matrix exponential", IEEE TAC
// 23 (1978) 395; G. F. Franklin, J. D. Powell, M. Workman, "Digital Control of Dynamic
// Systems", 3rd ed. (1998), ch. 4.
#pragma once

#include <Eigen/Dense>

#include <complex>

namespace psw::stage {

/// ẋ = A·x + B·u, y = C·x + D·u with a scalar input and output.
struct ContinuousSystem {
  Eigen::MatrixXd A;
  Eigen::VectorXd B;
  Eigen::RowVectorXd C;
  double D = 0.0;

  Eigen::Index order() const { return A.rows(); }

  /// G(s) = C·(sI − A)⁻¹·B + D at s = jω (ω in rad/s).
  std::complex<double> frequency_response(double omega_rad_per_s) const;

  /// y(∞)/u for a constant input: D − C·A⁻¹·B. @throws std::invalid_argument if A is singular.
  double dc_gain() const;
};

/// x[k+1] = Φ·x[k] + Γ·u[k], y[k] = C·x[k] + D·u[k], period T.
struct DiscreteSystem {
  Eigen::MatrixXd Phi;
  Eigen::VectorXd Gamma;
  Eigen::RowVectorXd C;
  double D = 0.0;
  double period_s = 0.0;

  Eigen::Index order() const { return Phi.rows(); }

  /// G(z) = C·(zI − Φ)⁻¹·Γ + D at z = e^{jωT}.
  std::complex<double> frequency_response(double omega_rad_per_s) const;
};

/// Exact zero-order-hold discretisation at period T.
/// @throws std::invalid_argument when period_s is not positive and finite, or the matrices'
///         sizes disagree.
DiscreteSystem discretize_zoh(const ContinuousSystem& system, double period_s);

}  // namespace psw::stage
