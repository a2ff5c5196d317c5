#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include <psw/core/error.hpp>
#include <psw/sintering/deposit.hpp>

namespace psw::sintering {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

// ---- master sintering curve ------------------------------------------------------------------

MasterSinteringCurve::MasterSinteringCurve(const MasterCurveParams& p, double diameter_m)
    : Q_(p.activation_J_per_mol),
      ln_theta50_(p.ln_theta50),
      width_(p.width),
      rho0_(p.green_density),
      rho_max_(p.max_density) {
  require_in_range("master sintering curve: particle diameter_m", diameter_m,
                   Range::open_closed(0.0, 1e-3));
  require_in_range("master sintering curve: Q_J_per_mol", Q_, Range::open_closed(0.0, 1e6));
  require_in_range("master sintering curve: width", width_, Range::open_closed(0.0, 20.0));
  require_in_range("master sintering curve: green_density", rho0_, Range::open(0.0, 1.0));
  require_in_range("master sintering curve: max_density", rho_max_, Range::open_closed(rho0_, 1.0));
  require_in_range("master sintering curve: reference_diameter_m", p.reference_diameter_m,
                   Range::positive());

  // Herring shift of Θ₅₀ to this particle size.
  ln_theta50_ += p.size_exponent * std::log(diameter_m / p.reference_diameter_m);
}

double MasterSinteringCurve::density(double theta) const {
  if (!(theta > 0.0)) return rho0_;
  const double z = (std::log(theta) - ln_theta50_) / width_;
  return rho0_ + (rho_max_ - rho0_) / (1.0 + std::exp(-z));
}

double MasterSinteringCurve::theta_for_density(double rho) const {
  if (rho <= rho0_) return 0.0;
  if (rho >= rho_max_) return kInf;
  // Invert the sigmoid: ln Θ = ln Θ₅₀ − w·ln((ρ_max − ρ₀)/(ρ − ρ₀) − 1).
  return std::exp(ln_theta50_ - width_ * std::log((rho_max_ - rho0_) / (rho - rho0_) - 1.0));
}

double MasterSinteringCurve::density_at(const TemperatureHistory& history, double t_s) const {
  return density(history.theta(t_s, Q_));
}

// ---- resistivity -----------------------------------------------------------------------------

std::string_view to_string(ConductionModel model) {
  return model == ConductionModel::bruggeman ? "bruggeman" : "percolation";
}

double mayadas_shatzkes_factor(double grain_size_m, double mean_free_path_m, double reflection) {
  require_in_range("mayadas_shatzkes_factor: grain_size_m", grain_size_m, Range::positive());
  require_in_range("mayadas_shatzkes_factor: mean_free_path_m", mean_free_path_m,
                   Range::non_negative());
  require_in_range("mayadas_shatzkes_factor: reflection", reflection, Range::closed_open(0.0, 1.0));
  const double alpha = mean_free_path_m / grain_size_m * reflection / (1.0 - reflection);
  if (alpha == 0.0) return 1.0;
  // For large α (grains far below λ) the bracket's terms cancel; its asymptotic series
  // 1/(4α) − 1/(5α²) + 1/(6α³) is used there.
  double bracket = 0.0;
  if (alpha > 1e3) {
    bracket =
        1.0 / (4.0 * alpha) - 1.0 / (5.0 * alpha * alpha) + 1.0 / (6.0 * alpha * alpha * alpha);
  } else {
    bracket =
        1.0 / 3.0 - alpha / 2.0 + alpha * alpha - alpha * alpha * alpha * std::log1p(1.0 / alpha);
  }
  return 1.0 / (3.0 * bracket);
}

void ResistivityModel::validate() const {
  require_in_range("resistivity: percolation_threshold", percolation_threshold,
                   Range::open(0.0, 1.0));
  require_in_range("resistivity: percolation_exponent", percolation_exponent,
                   Range::open_closed(0.0, 5.0));
  require_in_range("resistivity: bulk_resistivity_ohm_m", bulk_resistivity_ohm_m,
                   Range::positive());
  require_in_range("resistivity: mean_free_path_m", mean_free_path_m, Range::non_negative());
  require_in_range("resistivity: reflection", reflection, Range::closed_open(0.0, 1.0));
}

double ResistivityModel::conductance_fraction(double phi) const {
  if (conduction == ConductionModel::bruggeman) {
    return phi > 1.0 / 3.0 ? std::min(1.0, (3.0 * phi - 1.0) / 2.0) : 0.0;
  }
  if (phi <= percolation_threshold) return 0.0;
  const double x = std::min(1.0, (phi - percolation_threshold) / (1.0 - percolation_threshold));
  return std::pow(x, percolation_exponent);
}

double ResistivityModel::solid_fraction_for(double s) const {
  if (conduction == ConductionModel::bruggeman) return (2.0 * s + 1.0) / 3.0;
  return percolation_threshold +
         (1.0 - percolation_threshold) * std::pow(s, 1.0 / percolation_exponent);
}

double ResistivityModel::grain_boundary_factor(double grain_size_m) const {
  return mayadas_shatzkes_factor(grain_size_m, mean_free_path_m, reflection);
}

double ResistivityModel::resistivity(double phi, double grain_size_m) const {
  const double s = conductance_fraction(phi);
  if (s <= 0.0) return kInf;
  return bulk_resistivity_ohm_m * grain_boundary_factor(grain_size_m) / s;
}

double ResistivityModel::solid_fraction_for_resistivity(double target, double grain_size_m) const {
  require_in_range("resistivity target_ohm_m", target, Range::positive());
  const double s = bulk_resistivity_ohm_m * grain_boundary_factor(grain_size_m) / target;
  if (s > 1.0) return s;  // > 1: even full density is above the target
  return solid_fraction_for(s);
}

// ---- deposit ---------------------------------------------------------------------------------

std::string_view to_string(TargetStatus status) {
  switch (status) {
    case TargetStatus::reached:
      return "reached";
    case TargetStatus::already_met:
      return "already_met";
    case TargetStatus::unreachable:
      return "unreachable";
    case TargetStatus::not_in_history:
      return "not_in_history";
  }
  return "unknown";
}

void DepositOptions::validate() const {
  require_in_range("deposit: particle_diameter_m", particle_diameter_m,
                   Range::open_closed(0.0, 1e-4));
  require_in_range("deposit: grain_size_m", grain_size_m, Range::closed(0.0, 1e-3));
  resistivity.validate();
}

DepositOptions deposit_options_for(const SinteringMaterial& material, double particle_diameter_m) {
  DepositOptions o;
  o.particle_diameter_m = particle_diameter_m;
  o.resistivity.bulk_resistivity_ohm_m = material.bulk_resistivity_ohm_m;
  o.resistivity.mean_free_path_m = material.electron_mean_free_path_m;
  o.resistivity.reflection = material.grain_boundary_reflection;
  return o;
}

namespace {
MasterCurveParams require_curve(const SinteringMaterial& material,
                                const std::optional<MasterCurveParams>& curve) {
  if (curve) return *curve;
  if (material.master_curve) return *material.master_curve;
  throw std::invalid_argument("material " + material.name +
                              " has no master_sintering_curve; give one in the case");
}
}  // namespace

Deposit::Deposit(const SinteringMaterial& material, DepositOptions options,
                 std::optional<MasterCurveParams> curve)
    : options_((options.validate(), std::move(options))),
      curve_(require_curve(material, curve), options_.particle_diameter_m),
      grain_size_(options_.grain_size_m > 0.0 ? options_.grain_size_m
                                              : options_.particle_diameter_m) {}

double Deposit::density_at(const TemperatureHistory& history, double t_s) const {
  return curve_.density_at(history, t_s);
}

double Deposit::resistivity_for_density(double density) const {
  return options_.resistivity.resistivity(density, grain_size_);
}

double Deposit::resistivity_at(const TemperatureHistory& history, double t_s) const {
  return resistivity_for_density(density_at(history, t_s));
}

TimeToTarget Deposit::time_to_resistivity(const TemperatureHistory& history,
                                          double target_ohm_m) const {
  TimeToTarget out;
  out.density = options_.resistivity.solid_fraction_for_resistivity(target_ohm_m, grain_size_);

  // Invert target → density → Θ, then search the history for Θ.
  if (out.density >= curve_.max_density()) {
    out.status = TargetStatus::unreachable;
    out.theta_s_per_K = kInf;
    out.message = "target " + format_number(target_ohm_m) + " ohm m needs relative density " +
                  format_number(out.density) + ", above the curve's maximum " +
                  format_number(curve_.max_density());
    return out;
  }
  out.theta_s_per_K = curve_.theta_for_density(out.density);
  if (out.theta_s_per_K <= 0.0) {
    out.status = TargetStatus::already_met;
    out.message = "the green deposit already meets the target";
    return out;
  }
  out.time_s = history.time_to_theta(out.theta_s_per_K, curve_.activation_J_per_mol());
  if (!std::isfinite(out.time_s)) {
    out.status = TargetStatus::not_in_history;
    out.message = "the final temperature " + format_number(history.temperatures_K().back()) +
                  " K makes no measurable progress";
    return out;
  }
  out.status = TargetStatus::reached;
  char text[64];
  std::snprintf(text, sizeof text, "reached at t = %.4g s", out.time_s);
  out.message = text;
  return out;
}

TimeToTarget Deposit::time_to_resistivity_ratio(const TemperatureHistory& history,
                                                double ratio) const {
  require_in_range("target resistivity ratio", ratio, Range::closed(1.0, 1e6));
  return time_to_resistivity(history, ratio * options_.resistivity.bulk_resistivity_ohm_m);
}

}  // namespace psw::sintering
