#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <utility>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/core/ode.hpp>
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

  // Dormand–Prince 5(4) on x/a with a purely relative tolerance (x/a > 0 throughout).
  OdeOptions ode;
  ode.relative_tolerance = options.relative_tolerance;
  ode.absolute_tolerance = {0.0};
  ode.initial_step = 0.1 * t;
  DormandPrince54 stepper(
      [&](double time, std::span<const double> v, std::span<double> dv) {
        dv[0] = rate(terms, history.at(time), v[0]);
      },
      std::move(ode));
  stepper.start(t, std::span<const double>(&y, 1));
  int landing = 0;  // attempts to land the last step on stop_ratio
  while (t < end_time_s && y < options.stop_ratio * (1.0 - 1e-10)) {
    // No progress (the rate blew up; should not happen for x/a > 0): stop where we are.
    if (stepper.step(end_time_s) != OdeStatus::accepted) break;

    // Overshot stop_ratio: retake the step shortened by the secant estimate.
    const double y_new = stepper.y()[0];
    if (y_new - options.stop_ratio > 1e-10 * options.stop_ratio && landing < 30) {
      const double h = stepper.t() - stepper.previous_t();
      stepper.retake(h * std::clamp((options.stop_ratio - y) / (y_new - y), 0.01, 0.999999));
      ++landing;
      continue;
    }
    t = stepper.t();
    y = y_new;
    result.time_s.push_back(t);
    result.x_over_a.push_back(y);
    result.dominant.push_back(dominant(terms, history.at(t), y));
  }
  result.steps = stepper.accepted_steps();
  result.rejected = stepper.rejected_steps();
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
