// Sintering-time statistics: from a distribution of deposited volumes to a distribution of
// sintering times, and back (calibration). This is the piece the scheduler samples.
//
// Volumes are lognormal: ln V ~ N(ln V_med, σ²). A joint of volume V needs
//
//   t(V) = t_ref · (V/V_ref)^β
//
// t_ref the time a deposit of the reference volume needs (e.g. Deposit::time_to_resistivity
// under the process's temperature history), β the volume exponent. β = 1 describes a deposit
// sintered through in passes of fixed depth over a fixed footprint (time ∝ thickness ∝ volume);
// β = 0 a deposit whose time does not depend on its size. Then t is lognormal as well:
//
//   ln t ~ N(ln t_ref + β·ln(V_med/V_ref), (β·σ)²),
//
// so the median time is t(V_med) and the q-quantile is t(V_med·exp(σ·z_q)), z_q the standard
// normal quantile (z_0.99 = 2.3263). calibrate_volume_distribution() inverts this: given the
// median and P99 of the sintering time (production: P99 = 240 s, about one joint in 100), it
// returns V_med = V_ref·(t_med/t_ref)^(1/β) and σ = ln(t_99/t_med)/(β·z_0.99).
//
// Sampling uses psw::RngStream, so a scheduler that gives joint i the stream root.substream(i)
// draws the same times on any number of threads.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include <psw/core/rng.hpp>

namespace psw::sintering {

/// Standard normal quantile z_p, p ∈ (0, 1); |error| < 1e-14 (Acklam's rational approximation
/// refined by one Halley step). @throws std::invalid_argument outside (0, 1).
double standard_normal_quantile(double p);

/// ln V ~ N(ln median_m3, sigma_ln²).
struct LognormalVolume {
  double median_m3 = 1e-18;  ///< > 0
  double sigma_ln = 0.5;     ///< ≥ 0
  void validate() const;
  double quantile_m3(double p) const;
  double sample_m3(RngStream& rng) const { return median_m3 * std::exp(sigma_ln * rng.normal()); }
};

/// t(V) = t_ref·(V/V_ref)^β.
struct VolumeTimeLaw {
  double reference_time_s = 60.0;      ///< t_ref > 0
  double reference_volume_m3 = 1e-18;  ///< V_ref > 0
  double volume_exponent = 1.0;        ///< β ∈ (0, 4]
  void validate() const;
  double time_s(double volume_m3) const;
  double volume_m3(double time_s) const;
};

/// The distribution of sintering times implied by a volume distribution and a law.
class SinteringTimeDistribution {
 public:
  /// @throws std::invalid_argument for bad parameters.
  SinteringTimeDistribution(LognormalVolume volume, VolumeTimeLaw law);

  const LognormalVolume& volume() const { return volume_; }
  const VolumeTimeLaw& law() const { return law_; }

  double median_s() const { return law_.time_s(volume_.median_m3); }
  /// σ of ln t = β·σ_V.
  double sigma_ln_time() const { return law_.volume_exponent * volume_.sigma_ln; }
  double quantile_s(double p) const { return law_.time_s(volume_.quantile_m3(p)); }
  double mean_s() const;
  /// Probability density of t at `t_s` > 0 (lognormal).
  double density(double t_s) const;

  /// One joint: a volume, and its time.
  struct Joint {
    double volume_m3;
    double time_s;
  };
  Joint sample(RngStream& rng) const;
  /// `n` sintering times, joint i from rng.substream(i) (order- and thread-independent).
  std::vector<double> sample_times(std::size_t n, const RngStream& rng) const;

 private:
  LognormalVolume volume_;
  VolumeTimeLaw law_;
};

/// The volume distribution whose sintering times have the given median and P99 under `law`.
/// @throws std::invalid_argument unless 0 < median_s < p99_s.
LognormalVolume calibrate_volume_distribution(double median_s, double p99_s,
                                              const VolumeTimeLaw& law);

/// Standard error of the sample q-quantile of n draws from `dist` (asymptotic:
/// √(q(1−q)/n)/f(t_q)), for sampling-error bands.
double quantile_standard_error(const SinteringTimeDistribution& dist, double q, std::size_t n);

}  // namespace psw::sintering
