// Sintering-time statistics for scheduling: a lognormal distribution and the interface through
// which a sintering-time model hands the scheduler a time for a joint of a given deposit volume.
//
// Lognormal T = exp(μ + σZ), Z ~ N(0, 1):
//   median      m  = e^μ
//   quantile    t_p = e^(μ + σ·z_p),  z_p = Φ⁻¹(p)
//   mean        E[T] = e^(μ + σ²/2),   Var[T] = (e^(σ²) − 1)·E[T]²
//   fixed by a median m and a P99 t₉₉ > m:  μ = ln m,  σ = ln(t₉₉/m) / z₀.₉₉ (z₀.₉₉ = 2.3263…)
//   mean residual time after e seconds of work:
//     E[T − e | T > e] = E[T]·Φ((μ + σ² − ln e)/σ) / Φ((μ − ln e)/σ) − e
//
// Until the sintering module (issue #5) provides times from neck growth and densification, the
// scheduler uses LognormalSinteringTime: median and P99 given at a reference deposit volume V₀,
// with the median scaling as (V/V₀)^a and σ independent of volume:
//   μ(V) = ln m₀ + a·ln(V/V₀)
// The exponent a is an assumption (default 1/3: the time to heat and sinter a deposit
// taken to grow with its linear size); σ fixed means the tail ratio t₉₉/m is the same at every
// volume. The sintering module plugs in by implementing SinteringTimeModel.
//
// References: E. Limpert, W. A. Stahel, M. Abbt, "Log-normal distributions across the
// sciences", BioScience 51 (2001) 341; L. F. Fenton, "The sum of log-normal probability
// distributions in scatter transmission systems", IRE Trans. Commun. Syst. 8 (1960) 57.
#pragma once

#include <memory>
#include <string>

#include <psw/core/rng.hpp>

namespace psw::scheduling {

/// Standard normal CDF Φ(x).
double normal_cdf(double x);
/// Φ⁻¹(p) for p in (0, 1), to about 1e-14 relative (Newton on erfc from a bracketed start).
/// @throws std::invalid_argument when p is outside (0, 1).
double normal_quantile(double p);

/// A lognormal distribution of a duration, in seconds.
struct LogNormal {
  double mu = 0.0;     ///< mean of ln T (T in seconds)
  double sigma = 0.0;  ///< standard deviation of ln T, ≥ 0

  /// From a median and a P99, both in seconds, 0 < median < p99.
  /// @throws std::invalid_argument naming the two values when p99 ≤ median or either is ≤ 0.
  static LogNormal from_median_p99(double median_s, double p99_s);
  /// Moment-matched (mean and variance), for summarising other distributions.
  static LogNormal from_mean_sd(double mean_s, double sd_s);

  double median() const;
  double mean() const;
  double variance() const;
  double quantile(double p) const;
  double cdf(double t_s) const;
  /// E[T − e | T > e]: the expected remaining time after `elapsed_s` seconds of work.
  double mean_residual(double elapsed_s) const;
  double sample(RngStream& rng) const;
};

/// Fenton–Wilkinson: the lognormal with the mean and variance of a sum of independent
/// durations whose means and variances add up to `mean_sum` and `variance_sum`.
LogNormal fenton_wilkinson(double mean_sum, double variance_sum);

/// Where sintering times come from: a model that, given a joint's deposited volume, draws the
/// time the laser needs to sinter it and summarises the distribution for planning.
class SinteringTimeModel {
 public:
  virtual ~SinteringTimeModel() = default;
  /// A sintering time in seconds for a joint of `volume_m3`.
  virtual double sample_s(double volume_m3, RngStream& rng) const = 0;
  /// The distribution used for prediction and planning: exact for lognormal models, a
  /// moment-matched lognormal otherwise.
  virtual LogNormal predicted(double volume_m3) const = 0;
  virtual std::string describe() const = 0;
};

/// Lognormal sintering times fixed by a median and a P99 at a reference volume.
class LognormalSinteringTime final : public SinteringTimeModel {
 public:
  /// @param median_s, p99_s   at the reference volume, 0 < median_s < p99_s
  /// @param reference_volume_m3  V₀ > 0
  /// @param volume_exponent   a in m(V) = m₀·(V/V₀)^a, in [0, 3]
  /// @throws std::invalid_argument naming the bad parameter
  LognormalSinteringTime(double median_s, double p99_s, double reference_volume_m3,
                         double volume_exponent);

  double sample_s(double volume_m3, RngStream& rng) const override;
  LogNormal predicted(double volume_m3) const override;
  std::string describe() const override;

  double median_s() const { return median_s_; }
  double p99_s() const { return p99_s_; }

 private:
  double median_s_, p99_s_, reference_volume_m3_, volume_exponent_;
  LogNormal at_reference_;
};

}  // namespace psw::scheduling
