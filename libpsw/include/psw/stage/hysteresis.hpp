// Piezo hysteresis: the Bouc–Wen model and the Prandtl–Ishlinskii model with its exact inverse.
//
// Bouc–Wen (n = 1), drive voltage u (V) to free stroke p (m), gain d (m/V):
//
//   p = d·u − h,     ḣ = α·d·u̇ − β·|u̇|·h − γ·u̇·|h|.
//
//   Rate independent: in the frame w = s·u, g = s·h with s = sign(u̇) it reads
//   dg/dw = α·d − k·g with k = β + γ for g ≥ 0 and k = β − γ for g < 0, which psw integrates
//   exactly branch by branch (no time step). Bounded (BIBO-stable, h stays in
//   |h| ≤ α·d/(β + γ) from rest) when α > 0, β + γ > 0 and β − γ ≥ 0 (Ikhouane, Mañosa &
//   Rodellar 2007); psw rejects parameters outside that class. Loop width at u = 0 under a
//   symmetric periodic input of amplitude U: α·d·β·U² for small U, 2·α·d/(β + γ) for large U.
//   α dimensionless in (0, 1]; β, γ in 1/V.
//
// Bouc–Wen inverse (feed-forward): the voltage u that makes the stroke p = d·u − h(u) equal a
// wanted value, h advanced along the same exact branches. Along a branch dp/du = d(1 − α) + k·g
// with k ≥ 0 and |g| ≤ αd/(β + γ), so dp/du ≥ d·(1 − 2αβ/(β + γ)) > 0 when 2αβ < β + γ: the
// stroke is then strictly increasing in u from any state, the step from the last u lies
// between Δp/d and Δp/(d·(1 − 2αβ/(β + γ))), and a bracketed root find solves it to rounding.
// Outside that class psw has no Bouc–Wen inverse (the stroke can fold back on itself).
//
// Prandtl–Ishlinskii, weighted play operators with thresholds 0 = r₀ < r₁ < … (V):
//
//   F_r[u](t) = max(u − r, min(u + r, F_r[u](t⁻))),     p = d·Σᵢ wᵢ·F_{rᵢ}[u].
//
//   Its inverse is again a Prandtl–Ishlinskii model (Kuhnen 2003):
//   r′ᵢ = Σ_{j≤i} w_j·(rᵢ − r_j),  w′₀ = 1/w₀,  w′ᵢ = −wᵢ/((Σ_{j≤i} w_j)(Σ_{j<i} w_j)),
//   defined when w₀ > 0 and every partial sum Σ_{j≤i} w_j > 0, which psw requires. Operators
//   start relaxed (F = 0), so forward and inverse start consistent at u = 0.
//
// References: R. Bouc (1967); Y.-K. Wen, J. Eng. Mech. Div. 102 (1976) 249; F. Ikhouane,
// V. Mañosa, J. Rodellar, Syst. Control Lett. 56 (2007) 197; M. Ismail, F. Ikhouane,
// J. Rodellar, Arch. Comput. Methods Eng. 16 (2009) 161; K. Kuhnen, Eur. J. Control 9 (2003) 407;
// M. Goldfarb, N. Celanovic, J. Dyn. Syst. Meas. Control 119 (1997) 478 (piezo Bouc–Wen).
#pragma once

#include <vector>

namespace psw::stage {

struct BoucWenParams {
  double alpha = 0.0;        ///< α, (0, 1]
  double beta_per_V = 0.0;   ///< β, 1/V
  double gamma_per_V = 0.0;  ///< γ, 1/V; β + γ > 0 and β − γ ≥ 0

  /// @throws std::invalid_argument naming the violated condition and the values.
  void validate() const;
  /// True when the stroke is strictly increasing in u from every state: 2αβ < β + γ.
  bool invertible() const { return 2.0 * alpha * beta_per_V < beta_per_V + gamma_per_V; }
};

/// Bouc–Wen hysteresis, integrated exactly in the input (rate independent).
class BoucWen {
 public:
  /// @throws std::invalid_argument for unstable parameters or a gain outside (0, 1e-3] m/V.
  BoucWen(const BoucWenParams& params, double gain_m_per_V);

  /// Moves the input to u_V; returns the free stroke p = d·u − h (m).
  double update(double u_V);
  /// Back to rest: u = 0, h = 0.
  void reset();

  double hysteretic_m() const { return h_; }
  double input_V() const { return u_; }
  const BoucWenParams& params() const { return params_; }
  double gain_m_per_V() const { return d_; }

 private:
  BoucWenParams params_;
  double d_;
  double u_ = 0.0;
  double h_ = 0.0;
};

/// The exact inverse of a Bouc–Wen model: a copy of the model, driven by the voltages it returns.
class BoucWenInverse {
 public:
  /// @throws std::invalid_argument when the parameters are unstable or not invertible.
  BoucWenInverse(const BoucWenParams& params, double gain_m_per_V);

  /// The voltage whose stroke is `stroke_m`; the internal model moves there.
  double update(double stroke_m);
  void reset() { model_.reset(); }
  /// The internal model (its stroke equals the last update's argument to rounding).
  const BoucWen& model() const { return model_; }

 private:
  BoucWen model_;
  double min_slope_;  ///< d·(1 − 2αβ/(β + γ)), m/V
};

/// One play (backlash) operator step: max(u − r, min(u + r, z_prev)).
inline double play(double u, double r, double z_prev) {
  const double upper = u + r;
  const double lower = u - r;
  return z_prev > upper ? upper : (z_prev < lower ? lower : z_prev);
}

struct PrandtlIshlinskiiParams {
  std::vector<double> thresholds_V;  ///< r₀ = 0 < r₁ < …, each ≤ 1e4 V
  std::vector<double> weights;       ///< w₀ > 0; every partial sum > 0

  /// @throws std::invalid_argument naming the field, the index and the value.
  void validate() const;
};

/// Weighted play operators; output in the input's unit (volts equivalent; multiply by d).
class PrandtlIshlinskii {
 public:
  /// @throws std::invalid_argument when `params` fails validate().
  explicit PrandtlIshlinskii(PrandtlIshlinskiiParams params);

  /// Moves the input to u; returns Σᵢ wᵢ·F_{rᵢ}[u].
  double update(double u);
  void reset();

  /// The exact inverse (Kuhnen 2003), started relaxed.
  PrandtlIshlinskii inverse() const;

  const PrandtlIshlinskiiParams& params() const { return params_; }
  /// Σᵢ wᵢ: the largest slope of the output against the input.
  double max_slope() const;

 private:
  PrandtlIshlinskiiParams params_;
  std::vector<double> state_;
};

}  // namespace psw::stage
