#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <psw/core/error.hpp>
#include <psw/core/ode.hpp>

namespace psw {
namespace {

// Dormand–Prince 5(4) tableau (Hairer, Nørsett & Wanner, table II.5.2).
constexpr double kC2 = 1.0 / 5, kC3 = 3.0 / 10, kC4 = 4.0 / 5, kC5 = 8.0 / 9;
constexpr double kA21 = 1.0 / 5;
constexpr double kA31 = 3.0 / 40, kA32 = 9.0 / 40;
constexpr double kA41 = 44.0 / 45, kA42 = -56.0 / 15, kA43 = 32.0 / 9;
constexpr double kA51 = 19372.0 / 6561, kA52 = -25360.0 / 2187, kA53 = 64448.0 / 6561,
                 kA54 = -212.0 / 729;
constexpr double kA61 = 9017.0 / 3168, kA62 = -355.0 / 33, kA63 = 46732.0 / 5247, kA64 = 49.0 / 176,
                 kA65 = -5103.0 / 18656;
constexpr double kB1 = 35.0 / 384, kB3 = 500.0 / 1113, kB4 = 125.0 / 192, kB5 = -2187.0 / 6784,
                 kB6 = 11.0 / 84;
// Fifth- minus fourth-order weights: the local error estimate.
constexpr double kE1 = 71.0 / 57600, kE3 = -71.0 / 16695, kE4 = 71.0 / 1920,
                 kE5 = -17253.0 / 339200, kE6 = 22.0 / 525, kE7 = -1.0 / 40;

// Step-size control: safety factor, bounds on the change per step, the error exponent
// 1/(q+1) for the embedded order q = 4, and the underflow margin in units of ε·|t|.
constexpr double kSafety = 0.9, kMinFactor = 0.2, kMaxFactor = 5.0, kExponent = 0.2;
constexpr double kUnderflowUlps = 64.0;

bool all_finite(std::span<const double> v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

}  // namespace

std::string_view to_string(OdeStatus status) {
  switch (status) {
    case OdeStatus::accepted:
      return "accepted";
    case OdeStatus::reached_end:
      return "reached_end";
    case OdeStatus::step_size_underflow:
      return "step_size_underflow";
    case OdeStatus::step_limit:
      return "step_limit";
  }
  return "unknown";
}

void OdeOptions::validate() const {
  require_in_range("ode.relative_tolerance", relative_tolerance, Range::open_closed(0.0, 1.0));
  require(!absolute_tolerance.empty(),
          "ode.absolute_tolerance is empty; give one value or one "
          "per controlled component");
  for (std::size_t i = 0; i < absolute_tolerance.size(); ++i) {
    require_in_range("ode.absolute_tolerance[" + std::to_string(i) + "]", absolute_tolerance[i],
                     Range::non_negative());
  }
  require_in_range("ode.initial_step", initial_step, Range::non_negative());
  require_in_range("ode.min_step", min_step, Range::non_negative());
  require_in_range("ode.max_step", max_step, Range::open_closed(0.0, HUGE_VAL));
  require(adaptive || initial_step > 0.0,
          "ode.initial_step = 0 is outside (0, inf): fixed steps (adaptive = false) need a size");
}

DormandPrince54::DormandPrince54(OdeRhs rhs, OdeOptions options)
    : rhs_(std::move(rhs)), options_(std::move(options)) {
  options_.validate();
  require(static_cast<bool>(rhs_), "ode: no right-hand side given");
}

void DormandPrince54::eval(double t, std::span<const double> y, std::span<double> dydt) {
  ++evaluations_;
  rhs_(t, y, dydt);
}

double DormandPrince54::weighted_rms(std::span<const double> v, std::span<const double> a,
                                     std::span<const double> b) const {
  const auto& atol = options_.absolute_tolerance;
  double sum = 0.0;
  for (std::size_t i = 0; i < m_; ++i) {
    const double w = atol[atol.size() == 1 ? 0 : i] +
                     options_.relative_tolerance * std::max(std::abs(a[i]), std::abs(b[i]));
    sum += (v[i] / w) * (v[i] / w);
  }
  return std::sqrt(sum / static_cast<double>(m_));
}

double DormandPrince54::starting_step() {
  // Hairer §II.4: h₀ from ‖y₀‖/‖f₀‖, then h₁ from the second derivative, (0.01/d)^(1/5).
  const double d0 = weighted_rms(y_, y_, y_), d1 = weighted_rms(f_, y_, y_);
  const double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
  for (std::size_t i = 0; i < y_.size(); ++i) tmp_[i] = y_[i] + h0 * f_[i];
  std::vector<double>& f1 = k_[0];
  eval(t_ + h0, tmp_, f1);
  for (std::size_t i = 0; i < y_.size(); ++i) err_[i] = f1[i] - f_[i];
  const double d2 = weighted_rms(err_, y_, y_) / h0;
  const double dmax = std::max(d1, d2);
  const double h1 = dmax <= 1e-15 ? std::max(1e-6, h0 * 1e-3) : std::pow(0.01 / dmax, kExponent);
  return std::min({100.0 * h0, h1, options_.max_step});
}

void DormandPrince54::start(double t0, std::span<const double> y0) {
  const std::size_t n = y0.size();
  require(n > 0, "ode: the initial state is empty");
  m_ = options_.controlled_size == 0 ? n : options_.controlled_size;
  require(m_ <= n, "ode.controlled_size = " + std::to_string(m_) + " is outside [0, " +
                       std::to_string(n) + "] (the state's size)");
  const std::size_t n_atol = options_.absolute_tolerance.size();
  require(n_atol == 1 || n_atol == m_, "ode.absolute_tolerance has " + std::to_string(n_atol) +
                                           " values; give 1 or " + std::to_string(m_) +
                                           " (one per controlled component)");
  y_.assign(y0.begin(), y0.end());
  f_.assign(n, 0.0);
  y_new_.assign(n, 0.0);
  tmp_.assign(n, 0.0);
  err_.assign(n, 0.0);
  k_.assign(6, std::vector<double>(n, 0.0));
  t_ = t0;
  evaluations_ = 0;
  eval(t_, y_, f_);
  t_prev_ = t_;
  y_prev_ = y_;
  f_prev_ = f_;
  last_rejected_ = false;
  can_retake_ = false;
  accepted_ = rejected_ = 0;
  h_ = options_.initial_step > 0.0 ? std::min(options_.initial_step, options_.max_step)
                                   : starting_step();
}

OdeStatus DormandPrince54::step(double t_stop) {
  const std::size_t n = y_.size();
  require(n > 0, "ode: step() before start()");
  if (!(t_stop > t_)) {
    throw std::invalid_argument("ode: step(t_stop = " + format_number(t_stop) +
                                ") needs t_stop after t = " + format_number(t_));
  }
  const std::vector<double>& k1 = f_;
  std::vector<double>&k2 = k_[0], &k3 = k_[1], &k4 = k_[2], &k5 = k_[3], &k6 = k_[4], &k7 = k_[5];
  while (true) {
    // Reach t_stop exactly when the step would end within a relative 1e-12 of it (round-off
    // in t would otherwise leave a sliver of a step).
    const bool clipped = h_ >= (t_stop - t_) * (1.0 - 1e-12);
    const double h = clipped ? t_stop - t_ : h_;

    // The six stages ahead of the new point, then the new point and f there (FSAL).
    for (std::size_t i = 0; i < n; ++i) tmp_[i] = y_[i] + h * (kA21 * k1[i]);
    eval(t_ + kC2 * h, tmp_, k2);
    for (std::size_t i = 0; i < n; ++i) tmp_[i] = y_[i] + h * (kA31 * k1[i] + kA32 * k2[i]);
    eval(t_ + kC3 * h, tmp_, k3);
    for (std::size_t i = 0; i < n; ++i) {
      tmp_[i] = y_[i] + h * (kA41 * k1[i] + kA42 * k2[i] + kA43 * k3[i]);
    }
    eval(t_ + kC4 * h, tmp_, k4);
    for (std::size_t i = 0; i < n; ++i) {
      tmp_[i] = y_[i] + h * (kA51 * k1[i] + kA52 * k2[i] + kA53 * k3[i] + kA54 * k4[i]);
    }
    eval(t_ + kC5 * h, tmp_, k5);
    for (std::size_t i = 0; i < n; ++i) {
      tmp_[i] =
          y_[i] + h * (kA61 * k1[i] + kA62 * k2[i] + kA63 * k3[i] + kA64 * k4[i] + kA65 * k5[i]);
    }
    eval(t_ + h, tmp_, k6);
    for (std::size_t i = 0; i < n; ++i) {
      y_new_[i] = y_[i] + h * (kB1 * k1[i] + kB3 * k3[i] + kB4 * k4[i] + kB5 * k5[i] + kB6 * k6[i]);
    }
    const double t_new = clipped ? t_stop : t_ + h;
    eval(t_new, y_new_, k7);

    // Local error h·Σ(bᵢ − b̂ᵢ)kᵢ in the weighted rms norm; fixed steps skip the control.
    double factor = 1.0;
    if (options_.adaptive) {
      for (std::size_t i = 0; i < m_; ++i) {
        err_[i] =
            h * (kE1 * k1[i] + kE3 * k3[i] + kE4 * k4[i] + kE5 * k5[i] + kE6 * k6[i] + kE7 * k7[i]);
      }
      const double err = weighted_rms(err_, y_, y_new_);

      // Rejected (or not finite): shrink and retry, unless the step has underflowed.
      if (!(err <= 1.0) || !all_finite(y_new_)) {
        ++rejected_;
        last_rejected_ = true;
        const double shrink = std::isfinite(err)
                                  ? std::max(kMinFactor, kSafety * std::pow(err, -kExponent))
                                  : kMinFactor;
        h_ = h * shrink;
        const double floor =
            std::max({options_.min_step,
                      kUnderflowUlps * std::numeric_limits<double>::epsilon() * std::abs(t_),
                      std::numeric_limits<double>::min()});
        if (h_ < floor) return OdeStatus::step_size_underflow;
        continue;
      }
      factor = err == 0.0 ? kMaxFactor : kSafety * std::pow(err, -kExponent);
      factor = std::clamp(factor, kMinFactor, last_rejected_ ? 1.0 : kMaxFactor);
      last_rejected_ = false;
    }

    // Accepted: the old point becomes the previous one.
    std::swap(y_prev_, y_);
    std::swap(f_prev_, f_);
    t_prev_ = t_;
    std::swap(y_, y_new_);
    std::swap(f_, k7);
    t_ = t_new;
    ++accepted_;
    can_retake_ = true;
    h_ = options_.adaptive ? std::min(h * factor, options_.max_step) : options_.initial_step;
    return OdeStatus::accepted;
  }
}

void DormandPrince54::retake(double h) {
  require(can_retake_, "ode: retake() needs an accepted step to discard");
  require_in_range("ode: retake step", h, Range::positive());
  std::swap(y_, y_prev_);
  std::swap(f_, f_prev_);
  t_ = t_prev_;
  --accepted_;
  h_ = h;
  can_retake_ = false;
}

OdeSolution integrate(const OdeRhs& rhs, double t0, std::span<const double> y0, double t_end,
                      const OdeOptions& options, std::size_t max_steps) {
  require(t_end > t0,
          "ode: t_end = " + format_number(t_end) + " is not after t0 = " + format_number(t0));
  DormandPrince54 stepper(rhs, options);
  stepper.start(t0, y0);
  OdeSolution out;

  // Step until the end, the step limit or an underflow.
  while (stepper.t() < t_end) {
    if (stepper.accepted_steps() >= max_steps) {
      out.status = OdeStatus::step_limit;
      out.message = "ode: " + std::to_string(max_steps) +
                    " steps reached t = " + format_number(stepper.t()) +
                    " short of t_end = " + format_number(t_end);
      break;
    }
    if (stepper.step(t_end) == OdeStatus::step_size_underflow) {
      out.status = OdeStatus::step_size_underflow;
      out.message = "ode: step size underflow at t = " + format_number(stepper.t()) + " (step " +
                    format_number(stepper.next_step()) + "): the tolerance cannot be met there";
      break;
    }
  }
  out.t = stepper.t();
  out.y.assign(stepper.y().begin(), stepper.y().end());
  out.steps = stepper.accepted_steps();
  out.rejected = stepper.rejected_steps();
  out.evaluations = stepper.evaluations();
  return out;
}

}  // namespace psw
