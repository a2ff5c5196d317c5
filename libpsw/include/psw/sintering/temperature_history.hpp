// A deposit's temperature as a function of time: piecewise linear through (tᵢ, Tᵢ) points, held
// at the last temperature after the last point.
//
// One representation carries every source: a constant temperature is one point, a ramp-and-hold
// is two, a measured furnace profile or the lattice temperature of a TTM run at the deposit is a
// table. The hold after the end lets a short record (a ramp) stand for "ramp, then stay there".
//
// Integrals of Arrhenius factors over the history, ∫ f(T(t)) dt, are what sintering needs; the
// class evaluates them segment by segment with Gauss–Legendre quadrature, refining a segment
// until the Arrhenius exponent Q/RT changes by less than 0.25 across each piece.
#pragma once

#include <functional>
#include <span>
#include <vector>

namespace psw::sintering {

class TemperatureHistory {
 public:
  /// T(t) = T_K for all t ≥ 0. @throws std::invalid_argument unless T_K ∈ (0, 1e5].
  static TemperatureHistory constant(double T_K);
  /// Linear from start_K at t = 0 to end_K at t = duration_s, then held at end_K.
  /// @throws std::invalid_argument for temperatures outside (0, 1e5] or duration ≤ 0.
  static TemperatureHistory ramp(double start_K, double end_K, double duration_s);
  /// Through the given points; times strictly increasing from 0 (the first must be 0).
  /// @throws std::invalid_argument naming the offending index.
  static TemperatureHistory table(std::vector<double> time_s, std::vector<double> temperature_K);

  /// T at time t ≥ 0 (the last temperature after the last point).
  double at(double t_s) const;

  /// ∫₀ᵗ exp(−Q/RT(τ))/T(τ) dτ: the work of sintering of Su & Johnson (1996), s/K.
  double theta(double t_s, double activation_J_per_mol) const;

  /// The first time at which theta(t, Q) reaches `theta_target`; never +inf because of the
  /// hold, but may be very large. Returns +inf when the held temperature makes no progress
  /// (exp underflow).
  double time_to_theta(double theta_target, double activation_J_per_mol) const;

  std::span<const double> times_s() const { return t_; }
  std::span<const double> temperatures_K() const { return T_; }
  /// Time of the last point (0 for a constant history).
  double last_time_s() const { return t_.back(); }

 private:
  TemperatureHistory(std::vector<double> t, std::vector<double> T);
  // ∫ exp(−Q/RT)/T over [a, b] inside segment i.
  double segment_integral(std::size_t i, double a, double b, double Q) const;

  std::vector<double> t_, T_;
};

}  // namespace psw::sintering
