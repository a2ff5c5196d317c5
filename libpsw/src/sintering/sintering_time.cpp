#include <cmath>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/sintering/sintering_time.hpp>

namespace psw::sintering {

double standard_normal_quantile(double p) {
  require_in_range("standard_normal_quantile: p", p, Range::open(0.0, 1.0));

  // Acklam's rational approximation (relative error < 1.2e-9) ...
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x = 0.0;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - p_low) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }

  // ... refined by one Halley step on Φ(x) − p, Φ(x) = erfc(−x/√2)/2.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2.0 * constants::kPi) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

void LognormalVolume::validate() const {
  require_in_range("volume distribution: median_m3", median_m3, Range::positive());
  require_in_range("volume distribution: sigma_ln", sigma_ln, Range::closed(0.0, 10.0));
}

double LognormalVolume::quantile_m3(double p) const {
  return median_m3 * std::exp(sigma_ln * standard_normal_quantile(p));
}

void VolumeTimeLaw::validate() const {
  require_in_range("volume-time law: reference_time_s", reference_time_s, Range::positive());
  require_in_range("volume-time law: reference_volume_m3", reference_volume_m3, Range::positive());
  require_in_range("volume-time law: volume_exponent", volume_exponent,
                   Range::open_closed(0.0, 4.0));
}

double VolumeTimeLaw::time_s(double volume_m3) const {
  return reference_time_s * std::pow(volume_m3 / reference_volume_m3, volume_exponent);
}

double VolumeTimeLaw::volume_m3(double t_s) const {
  return reference_volume_m3 * std::pow(t_s / reference_time_s, 1.0 / volume_exponent);
}

SinteringTimeDistribution::SinteringTimeDistribution(LognormalVolume volume, VolumeTimeLaw law)
    : volume_(volume), law_(law) {
  volume_.validate();
  law_.validate();
}

double SinteringTimeDistribution::mean_s() const {
  const double s = sigma_ln_time();
  return median_s() * std::exp(0.5 * s * s);
}

double SinteringTimeDistribution::density(double t_s) const {
  const double s = sigma_ln_time();
  if (!(t_s > 0.0) || s == 0.0) return 0.0;
  const double z = std::log(t_s / median_s()) / s;
  return std::exp(-0.5 * z * z) / (t_s * s * std::sqrt(2.0 * constants::kPi));
}

SinteringTimeDistribution::Joint SinteringTimeDistribution::sample(RngStream& rng) const {
  const double v = volume_.sample_m3(rng);
  return {v, law_.time_s(v)};
}

std::vector<double> SinteringTimeDistribution::sample_times(std::size_t n,
                                                            const RngStream& rng) const {
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    RngStream joint = rng.substream(i);
    out[i] = sample(joint).time_s;
  }
  return out;
}

LognormalVolume calibrate_volume_distribution(double median_s, double p99_s,
                                              const VolumeTimeLaw& law) {
  law.validate();
  require_in_range("calibration: median_s", median_s, Range::positive());
  require_in_range("calibration: p99_s", p99_s, Range::open(median_s, HUGE_VAL));

  // Quantiles map through the monotone law: V_med = t⁻¹(t_med), V_99 = t⁻¹(t_99).
  LognormalVolume v;
  v.median_m3 = law.volume_m3(median_s);
  v.sigma_ln = std::log(law.volume_m3(p99_s) / v.median_m3) / standard_normal_quantile(0.99);
  return v;
}

double quantile_standard_error(const SinteringTimeDistribution& dist, double q, std::size_t n) {
  require_in_range("quantile_standard_error: q", q, Range::open(0.0, 1.0));
  require(n > 0, "quantile_standard_error: n must be > 0");
  const double f = dist.density(dist.quantile_s(q));
  return std::sqrt(q * (1.0 - q) / static_cast<double>(n)) / f;
}

}  // namespace psw::sintering
