#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/sintering/neck_growth.hpp>

namespace psw::sintering {
namespace {

// One mechanism's contribution to d(x/a)/dt = c·g(T)/(x/a)^(n−1), with g(T) = exp(−Q/RT)/T for
// diffusion (c folds in the coefficient, prefactor, γΩ/k, 1/(n·aᵐ)) and g = 1 for viscous flow.
struct Term {
  Mechanism mechanism;
  int n;
  double c;
  double Q;  // J/mol; unused for viscous flow
  bool thermal;
};

double coefficient(Mechanism m) {
  switch (m) {
    case Mechanism::viscous_flow:
      return 1.5;
    case Mechanism::volume_diffusion:
      return 80.0;
    case Mechanism::grain_boundary_diffusion:
      return 96.0;
    case Mechanism::surface_diffusion:
      return 56.0;
  }
  return 0.0;
}

int exponent_n(Mechanism m) {
  switch (m) {
    case Mechanism::viscous_flow:
      return 2;
    case Mechanism::volume_diffusion:
      return 5;
    case Mechanism::grain_boundary_diffusion:
      return 6;
    case Mechanism::surface_diffusion:
      return 7;
  }
  return 0;
}

int exponent_m(Mechanism m) {
  switch (m) {
    case Mechanism::viscous_flow:
      return 1;
    case Mechanism::volume_diffusion:
      return 3;
    case Mechanism::grain_boundary_diffusion:
    case Mechanism::surface_diffusion:
      return 4;
  }
  return 0;
}

const ArrheniusLaw& diffusion_law(const SinteringMaterial& material, Mechanism m) {
  switch (m) {
    case Mechanism::volume_diffusion:
      return material.lattice_diffusion;
    case Mechanism::grain_boundary_diffusion:
      return material.boundary_diffusion;
    default:
      return material.surface_diffusion;
  }
}

std::vector<Term> make_terms(const SinteringMaterial& material, double a,
                             const NeckGrowthOptions& options) {
  const double gamma_omega_over_k =
      material.surface_energy_J_per_m2 * material.atomic_volume_m3() / constants::kBoltzmann;
  std::vector<Term> terms;
  for (Mechanism m : options.mechanisms) {
    const int n = exponent_n(m);
    const double scale = 1.0 / (n * std::pow(a, exponent_m(m)));
    if (m == Mechanism::viscous_flow) {
      if (!options.viscosity_Pa_s) continue;
      terms.push_back(
          {m, n,
           coefficient(m) * material.surface_energy_J_per_m2 / *options.viscosity_Pa_s * scale, 0.0,
           false});
      continue;
    }
    const ArrheniusLaw& law = diffusion_law(material, m);
    terms.push_back({m, n, coefficient(m) * law.prefactor * gamma_omega_over_k * scale,
                     law.activation_J_per_mol, true});
  }
  return terms;
}

double term_rate(const Term& term, double T, double y) {
  const double g = term.thermal ? std::exp(-term.Q / (constants::kGasConstant * T)) / T : 1.0;
  return term.c * g / std::pow(y, term.n - 1);
}

double rate(const std::vector<Term>& terms, double T, double y) {
  double sum = 0.0;
  for (const Term& term : terms) sum += term_rate(term, T, y);
  return sum;
}

Mechanism dominant(const std::vector<Term>& terms, double T, double y) {
  Mechanism best = terms.front().mechanism;
  double best_rate = -1.0;
  for (const Term& term : terms) {
    const double r = term_rate(term, T, y);
    if (r > best_rate) {
      best_rate = r;
      best = term.mechanism;
    }
  }
  return best;
}

// Time for the fastest mechanism alone, at T, to grow a neck of ratio y0 from nothing:
// y0ⁿ = n·c·g·t.
double start_time(const std::vector<Term>& terms, double T, double y0) {
  double t0 = std::numeric_limits<double>::infinity();
  for (const Term& term : terms) {
    const double g = term.thermal ? std::exp(-term.Q / (constants::kGasConstant * T)) / T : 1.0;
    const double speed = term.n * term.c * g;
    if (speed > 0.0) t0 = std::min(t0, std::pow(y0, term.n) / speed);
  }
  return t0;
}

void check_inputs(double radius_m, double end_time_s, const NeckGrowthOptions& options) {
  require_in_range("neck growth: radius_m", radius_m, Range::open_closed(0.0, 1e-3));
  require_in_range("neck growth: end_time_s", end_time_s, Range::positive());
  options.validate();
}

}  // namespace

std::string_view to_string(Mechanism m) {
  switch (m) {
    case Mechanism::viscous_flow:
      return "viscous_flow";
    case Mechanism::volume_diffusion:
      return "volume_diffusion";
    case Mechanism::grain_boundary_diffusion:
      return "grain_boundary_diffusion";
    case Mechanism::surface_diffusion:
      return "surface_diffusion";
  }
  return "unknown";
}

double NeckLaw::neck_ratio(double radius_m, double t_s) const {
  return std::pow(B * t_s / std::pow(radius_m, m), 1.0 / n);
}

double NeckLaw::time_to(double radius_m, double x_over_a) const {
  return std::pow(x_over_a, n) * std::pow(radius_m, m) / B;
}

NeckLaw neck_law(const SinteringMaterial& material, Mechanism mechanism, double T_K,
                 std::optional<double> viscosity_Pa_s) {
  require_in_range("neck_law: T_K", T_K, Range::open_closed(0.0, 1e5));
  NeckLaw law{exponent_n(mechanism), exponent_m(mechanism), 0.0};
  const double gamma = material.surface_energy_J_per_m2;
  if (mechanism == Mechanism::viscous_flow) {
    if (!viscosity_Pa_s) {
      throw std::invalid_argument("neck_law: viscous flow needs viscosity_Pa_s");
    }
    require_in_range("neck_law: viscosity_Pa_s", *viscosity_Pa_s, Range::positive());
    law.B = coefficient(mechanism) * gamma / *viscosity_Pa_s;
    return law;
  }
  const double kT = constants::kBoltzmann * T_K;
  law.B = coefficient(mechanism) * diffusion_law(material, mechanism)(T_K) * gamma *
          material.atomic_volume_m3() / kT;
  return law;
}

void NeckGrowthOptions::validate() const {
  require_in_range("neck growth: relative_tolerance", relative_tolerance,
                   Range::open_closed(0.0, 1e-2));
  require_in_range("neck growth: initial_ratio", initial_ratio, Range::open_closed(0.0, 0.1));
  require_in_range("neck growth: stop_ratio", stop_ratio, Range::open_closed(initial_ratio, 1.0));
  if (viscosity_Pa_s) {
    require_in_range("neck growth: viscosity_Pa_s", *viscosity_Pa_s, Range::positive());
  }
  require(!mechanisms.empty(), "neck growth: no mechanisms selected");
}

NeckGrowthResult grow_neck(const SinteringMaterial& material, double radius_m,
                           const TemperatureHistory& history, double end_time_s,
                           const NeckGrowthOptions& options) {
  check_inputs(radius_m, end_time_s, options);
  const std::vector<Term> terms = make_terms(material, radius_m, options);
  require(!terms.empty(), "neck growth: only viscous flow selected but no viscosity given");
  NeckGrowthResult result;

  // Start: the neck the fastest mechanism grows alone at the initial temperature.
  double t = start_time(terms, history.at(0.0), options.initial_ratio);
  double y = options.initial_ratio;
  if (!(t < end_time_s)) return result;
  result.time_s.push_back(t);
  result.x_over_a.push_back(y);
  result.dominant.push_back(dominant(terms, history.at(t), y));

  // Dormand–Prince 5(4) tableau (Dormand & Prince 1980), FSAL.
  constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
  constexpr double a21 = 1.0 / 5;
  constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
  constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
  constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                   a54 = -212.0 / 729;
  constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                   a65 = -5103.0 / 18656;
  constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784,
                   b6 = 11.0 / 84;
  constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                   e6 = 22.0 / 525, e7 = -1.0 / 40;

  auto f = [&](double time, double value) { return rate(terms, history.at(time), value); };
  double h = 0.1 * t;
  double k1 = f(t, y);
  int landing = 0;  // attempts to land the last step on stop_ratio
  while (t < end_time_s && y < options.stop_ratio * (1.0 - 1e-10)) {
    h = std::min(h, end_time_s - t);

    // One embedded step; the error estimate compares the 5th- and 4th-order solutions.
    const double k2 = f(t + c2 * h, y + h * a21 * k1);
    const double k3 = f(t + c3 * h, y + h * (a31 * k1 + a32 * k2));
    const double k4 = f(t + c4 * h, y + h * (a41 * k1 + a42 * k2 + a43 * k3));
    const double k5 = f(t + c5 * h, y + h * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4));
    const double k6 = f(t + h, y + h * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5));
    const double y_new = y + h * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6);
    const double k7 = f(t + h, y_new);
    const double err = std::abs(h * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7)) /
                       (options.relative_tolerance * std::max(y, y_new));

    // Accept or reject, then adapt h with the usual safety factor and bounds.
    const double factor = err > 0.0 ? std::clamp(0.9 * std::pow(err, -0.2), 0.2, 5.0) : 5.0;
    const double overshoot = (y_new - options.stop_ratio) / options.stop_ratio;
    if (err <= 1.0 && overshoot > 1e-10 && landing < 30) {
      // Land on stop_ratio: shorten the step by the secant estimate and redo it.
      h *= std::clamp((options.stop_ratio - y) / (y_new - y), 0.01, 0.999999);
      ++landing;
      continue;
    }
    if (err <= 1.0 && std::isfinite(y_new)) {
      t += h;
      y = y_new;
      k1 = k7;
      ++result.steps;
      result.time_s.push_back(t);
      result.x_over_a.push_back(y);
      result.dominant.push_back(dominant(terms, history.at(t), y));
    } else {
      ++result.rejected;
    }
    h *= factor;
    if (h <= 1e-14 * t) break;  // no progress: the rate blew up (should not happen for y > 0)
  }
  result.reached_stop = y >= options.stop_ratio * (1.0 - 1e-10);
  return result;
}

double grow_neck_rk4(const SinteringMaterial& material, double radius_m,
                     const TemperatureHistory& history, double end_time_s, std::size_t steps,
                     const NeckGrowthOptions& options) {
  check_inputs(radius_m, end_time_s, options);
  require(steps > 0, "grow_neck_rk4: steps must be > 0");
  const std::vector<Term> terms = make_terms(material, radius_m, options);
  require(!terms.empty(), "neck growth: only viscous flow selected but no viscosity given");
  double t = start_time(terms, history.at(0.0), options.initial_ratio);
  double y = options.initial_ratio;
  if (!(t < end_time_s)) return 0.0;
  const double h = (end_time_s - t) / static_cast<double>(steps);
  auto f = [&](double time, double value) { return rate(terms, history.at(time), value); };
  for (std::size_t i = 0; i < steps; ++i) {
    const double k1 = f(t, y);
    const double k2 = f(t + 0.5 * h, y + 0.5 * h * k1);
    const double k3 = f(t + 0.5 * h, y + 0.5 * h * k2);
    const double k4 = f(t + h, y + h * k3);
    y += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    t += h;
  }
  return y;
}

}  // namespace psw::sintering
