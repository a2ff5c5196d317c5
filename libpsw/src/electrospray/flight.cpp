#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include <psw/core/error.hpp>
#include <psw/core/ode.hpp>
#include <psw/electrospray/flight.hpp>

namespace psw::electrospray {
namespace {

using constants::kPi;
using constants::kVacuumPermittivity;

// State: position (3), velocity (3), accumulated Brownian variance B.
constexpr int kStateSize = 7;
constexpr int kControlled = 6;  // B is a quadrature: it does not steer the step size
using State = std::array<double, kStateSize>;

// The forces on one droplet, with its constants.
class Dynamics {
 public:
  Dynamics(const EmitterField& field, const SpaceCharge* space_charge, const Ink& ink,
           const Gas& gas, const FlightOptions& options, double beta, const Launch& launch)
      : field_(field),
        space_charge_(space_charge),
        options_(options),
        q_(launch.charge_C),
        d0_sq_(launch.diameter_m * launch.diameter_m),
        beta_(beta),
        mu_(gas.viscosity_Pa_s),
        lambda_(gas.mean_free_path_m),
        kT_(constants::kBoltzmann * gas.temperature_K) {
    // Particles keep their volume; the solvent around them evaporates.
    const double v0 = kPi * launch.diameter_m * d0_sq_ / 6.0;
    const double phi = ink.nanoparticles ? ink.nanoparticles->volume_fraction : 0.0;
    particle_volume_ = phi * v0;
    particle_mass_ =
        ink.nanoparticles ? particle_volume_ * ink.nanoparticles->density_kg_per_m3 : 0.0;
    solvent_density_ = ink.solvent_density_kg_per_m3();
    solid_sq_ = d0_sq_ * std::cbrt(phi * phi);
    constant_size_ = beta_ == 0.0;
    if (constant_size_) coefficients(launch.diameter_m, inv_mass_, inv_tau_, two_d_);
  }

  double diameter(double t) const {
    return constant_size_ ? std::sqrt(d0_sq_) : std::sqrt(std::max(d0_sq_ - beta_ * t, solid_sq_));
  }
  double charge() const { return q_; }

  // dy/dt at (t, y).
  void rhs(double t, std::span<const double> y, std::span<double> dy) {
    ++evaluations;
    const Eigen::Vector3d x(y[0], y[1], y[2]);
    Eigen::Vector3d e = field_.field(x);
    if (space_charge_ != nullptr) e += space_charge_->field(x);

    double inv_mass = inv_mass_, inv_tau = inv_tau_, two_d = two_d_;
    if (!constant_size_) coefficients(diameter(t), inv_mass, inv_tau, two_d);

    // Coulomb force, slip-corrected Stokes drag, gravity.
    Eigen::Vector3d a = (q_ * inv_mass) * e;
    if (options_.drag) a -= inv_tau * Eigen::Vector3d(y[3], y[4], y[5]);
    if (options_.gravity) a.z() -= kStandardGravity;

    dy[0] = y[3];
    dy[1] = y[4];
    dy[2] = y[5];
    dy[3] = a.x();
    dy[4] = a.y();
    dy[5] = a.z();
    dy[6] = options_.brownian ? two_d : 0.0;
  }

  std::size_t evaluations = 0;

 private:
  // 1/m, 1/τ = 3πμd/(C·m) and 2D = 2k_BT·C/(3πμd) at diameter d.
  void coefficients(double d, double& inv_mass, double& inv_tau, double& two_d) const {
    const double mass =
        particle_mass_ + solvent_density_ * (kPi * d * d * d / 6.0 - particle_volume_);
    const double friction = 3.0 * kPi * mu_ * d / cunningham_factor(d, lambda_);
    inv_mass = 1.0 / mass;
    inv_tau = friction * inv_mass;
    two_d = 2.0 * kT_ / friction;
  }

  const EmitterField& field_;
  const SpaceCharge* space_charge_;
  const FlightOptions& options_;
  double q_, d0_sq_, beta_, mu_, lambda_, kT_;
  double particle_volume_ = 0.0, particle_mass_ = 0.0, solvent_density_ = 0.0;
  double solid_sq_ = 0.0;
  bool constant_size_ = true;
  double inv_mass_ = 0.0, inv_tau_ = 0.0, two_d_ = 0.0;
};

// y + h·Σ aᵢkᵢ for up to six stages.
State combine(const State& y, double h,
              std::initializer_list<std::pair<double, const State*>> terms) {
  State out = y;
  for (const auto& [a, k] : terms) {
    if (a == 0.0) continue;
    for (int i = 0; i < kStateSize; ++i) out[i] += h * a * (*k)[i];
  }
  return out;
}

// One classic RK4 step from (t, y) with k1 = f(t, y).
void rk4_step(Dynamics& dyn, double t, const State& y, const State& k1, double h, State& y_out) {
  State k2, k3, k4;
  dyn.rhs(t + 0.5 * h, combine(y, h, {{0.5, &k1}}), k2);
  dyn.rhs(t + 0.5 * h, combine(y, h, {{0.5, &k2}}), k3);
  dyn.rhs(t + h, combine(y, h, {{1.0, &k3}}), k4);
  y_out = combine(y, h, {{1.0 / 6, &k1}, {1.0 / 3, &k2}, {1.0 / 3, &k3}, {1.0 / 6, &k4}});
}

// Cubic Hermite basis on θ ∈ [0, 1] and its derivative.
struct Hermite {
  double h00, h10, h01, h11;
  explicit Hermite(double s)
      : h00(2 * s * s * s - 3 * s * s + 1),
        h10(s * s * s - 2 * s * s + s),
        h01(-2 * s * s * s + 3 * s * s),
        h11(s * s * s - s * s) {}
  static Hermite derivative(double s) {
    Hermite d(0.0);
    d.h00 = 6 * s * s - 6 * s;
    d.h10 = 3 * s * s - 4 * s + 1;
    d.h01 = -6 * s * s + 6 * s;
    d.h11 = 3 * s * s - 2 * s;
    return d;
  }
  double operator()(double p0, double v0, double p1, double v1, double h) const {
    return h00 * p0 + h10 * h * v0 + h01 * p1 + h11 * h * v1;
  }
};

// The fraction θ of the step [y0 → y1] at which the Hermite interpolant of z reaches 0.
double landing_fraction(const State& y0, const State& y1, double h) {
  double lo = 0.0, hi = 1.0;
  for (int i = 0; i < 80 && hi - lo > 1e-16; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (Hermite(mid)(y0[2], y0[5], y1[2], y1[5], h) > 0.0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

// Records where the step [y0 → y1] crosses the record's heights (linear within the step).
void record_crossings(const State& y0, const State& y1, CrossingRecord& rec, std::size_t& next) {
  if (!(y1[2] < y0[2])) return;
  while (next < rec.heights_m.size() && rec.heights_m[next] >= y1[2]) {
    const double zk = rec.heights_m[next];
    if (zk <= y0[2]) {
      const double s = (y0[2] - zk) / (y0[2] - y1[2]);
      const double x = y0[0] + s * (y1[0] - y0[0]), y = y0[1] + s * (y1[1] - y0[1]);
      rec.radius_m[next] = std::hypot(x, y);
      rec.speed_z_m_per_s[next] = std::abs(y0[5] + s * (y1[5] - y0[5]));
    }
    ++next;
  }
}

}  // namespace

std::string_view to_string(Integrator integrator) {
  return integrator == Integrator::adaptive ? "adaptive" : "rk4";
}

Integrator parse_integrator(std::string_view text) {
  if (text == "adaptive") return Integrator::adaptive;
  if (text == "rk4") return Integrator::rk4;
  throw std::invalid_argument("unknown integrator '" + std::string(text) +
                              "'; known integrators: adaptive, rk4");
}

std::string_view to_string(FlightStatus status) {
  switch (status) {
    case FlightStatus::landed:
      return "landed";
    case FlightStatus::returned:
      return "returned";
    case FlightStatus::timed_out:
      return "timed_out";
    case FlightStatus::step_limit:
      return "step_limit";
  }
  return "unknown";
}

void FlightOptions::validate() const {
  require_in_range("flight.relative_tolerance", relative_tolerance, Range::open_closed(0, 0.1));
  require_in_range("flight.position_tolerance_m", position_tolerance_m,
                   Range::open_closed(0, 1e-3));
  require_in_range("flight.velocity_tolerance_m_per_s", velocity_tolerance_m_per_s,
                   Range::open_closed(0, 1e3));
  require_in_range("flight.rk4_step_s", rk4_step_s, Range::open_closed(0, 1));
  require_in_range("flight.max_time_s", max_time_s, Range::open_closed(0, 1e3));
  require(max_steps >= 1, "flight.max_steps = 0 is outside [1, inf)");
}

std::vector<double> SpaceCharge::heights_m() const {
  const std::size_t n = line_charge_C_per_m.size();
  std::vector<double> z(n);
  for (std::size_t j = 0; j < n; ++j) {
    z[j] = n == 1 ? 0.0 : top_m * static_cast<double>(n - 1 - j) / static_cast<double>(n - 1);
  }
  return z;
}

Eigen::Vector3d SpaceCharge::field(const Eigen::Vector3d& x) const {
  const std::size_t n = line_charge_C_per_m.size();
  if (n < 2) return Eigen::Vector3d::Zero();

  // λ and σ at this height, linear between the grid heights (ascending index k: z = k·Δz).
  const double s = std::clamp(x.z() / top_m, 0.0, 1.0) * static_cast<double>(n - 1);
  const std::size_t k = std::min(static_cast<std::size_t>(s), n - 2);
  const double w = s - static_cast<double>(k);
  const double lambda = (1 - w) * line_charge_C_per_m[k] + w * line_charge_C_per_m[k + 1];
  const double sigma = (1 - w) * sigma_m[k] + w * sigma_m[k + 1];

  // Gauss's law for a Gaussian beam: E_r/r = λ/(2πε₀)·(1 − exp(−r²/2σ²))/r².
  const double r2 = x.x() * x.x() + x.y() * x.y();
  const double a = 0.5 / (sigma * sigma);
  const double per_r2 = r2 * a < 1e-12 ? a : -std::expm1(-r2 * a) / r2;
  const double scale = lambda / (2.0 * kPi * kVacuumPermittivity) * per_r2;
  return {scale * x.x(), scale * x.y(), 0.0};
}

DropletFlight::DropletFlight(const EmitterField& field, const Ink& ink, const Gas& gas,
                             const FlightOptions& options, const SpaceCharge* space_charge)
    : field_(field),
      ink_(ink),
      gas_(gas),
      options_(options),
      space_charge_(space_charge),
      beta_(0.0) {
  options_.validate();
  ink_.validate();
  gas_.validate();
  if (options_.evaporation) beta_ = evaporation_constant(ink_, gas_);
}

FlightResult DropletFlight::fly(const Launch& launch, CrossingRecord* record) const {
  require_in_range("launch.diameter_m", launch.diameter_m, Range::open_closed(0.0, 1e-3));
  const double top = field_.geometry().gap_m;
  require_in_range("launch.position_m.z", launch.position_m.z(), Range::open_closed(0.0, top));
  if (field_.inside_emitter(launch.position_m)) {
    throw std::invalid_argument("launch position (" + format_number(launch.position_m.x()) + ", " +
                                format_number(launch.position_m.y()) + ", " +
                                format_number(launch.position_m.z()) +
                                ") m lies inside the emitter");
  }

  Dynamics dyn(field_, space_charge_, ink_, gas_, options_, beta_, launch);
  FlightResult result;
  const bool adaptive = options_.integrator == Integrator::adaptive;
  std::size_t next_height = 0;

  State y{launch.position_m.x(),
          launch.position_m.y(),
          launch.position_m.z(),
          launch.velocity_m_per_s.x(),
          launch.velocity_m_per_s.y(),
          launch.velocity_m_per_s.z(),
          0.0};
  State k1, y1, k_end;
  double t = 0.0, h = options_.rk4_step_s;

  // The adaptive scheme: Dormand–Prince 5(4) on position and velocity; B rides along.
  std::optional<DormandPrince54> stepper;
  if (adaptive) {
    OdeOptions ode;
    ode.relative_tolerance = options_.relative_tolerance;
    ode.absolute_tolerance = {
        options_.position_tolerance_m,       options_.position_tolerance_m,
        options_.position_tolerance_m,       options_.velocity_tolerance_m_per_s,
        options_.velocity_tolerance_m_per_s, options_.velocity_tolerance_m_per_s};
    ode.controlled_size = kControlled;
    ode.max_step = options_.max_time_s;
    stepper.emplace([&dyn](double time, std::span<const double> s,
                           std::span<double> ds) { dyn.rhs(time, s, ds); },
                    std::move(ode));
    stepper->start(t, y);
  } else {
    dyn.rhs(t, y, k1);
  }

  const auto finish = [&](FlightStatus status, const State& s, double time) {
    result.status = status;
    result.position_m = {s[0], s[1], s[2]};
    result.velocity_m_per_s = {s[3], s[4], s[5]};
    result.time_s = time;
    result.diameter_m = dyn.diameter(time);
    result.brownian_variance_m2 = s[6];
    result.rayleigh_fraction =
        std::abs(dyn.charge()) / rayleigh_charge(result.diameter_m, ink_.surface_tension_N_per_m);
    result.field_evaluations = dyn.evaluations;
    return result;
  };

  while (true) {
    if (result.steps >= options_.max_steps) return finish(FlightStatus::step_limit, y, t);
    if (t >= options_.max_time_s) return finish(FlightStatus::timed_out, y, t);

    // Advance one step; the adaptive scheme rejects and retries internally.
    if (adaptive) {
      const OdeStatus status = stepper->step(options_.max_time_s);
      result.rejected_steps = stepper->rejected_steps();
      if (status != OdeStatus::accepted) return finish(FlightStatus::step_limit, y, t);
      std::copy_n(stepper->y().begin(), kStateSize, y1.begin());
      h = stepper->t() - t;
    } else {
      h = std::min(h, options_.max_time_s - t);
      rk4_step(dyn, t, y, k1, h, y1);
      dyn.rhs(t + h, y1, k_end);
    }
    ++result.steps;
    if (record != nullptr) record_crossings(y, y1, *record, next_height);

    // Landing inside this step: locate it on the Hermite interpolant.
    if (y1[2] <= 0.0) {
      const double s = landing_fraction(y, y1, h);
      const Hermite p(s), dp = Hermite::derivative(s);
      State landed{};
      for (int i = 0; i < 3; ++i) {
        landed[i] = p(y[i], y[i + 3], y1[i], y1[i + 3], h);
        landed[i + 3] =
            (dp.h00 * y[i] + dp.h01 * y1[i]) / h + dp.h10 * y[i + 3] + dp.h11 * y1[i + 3];
      }
      landed[2] = 0.0;
      landed[6] = y[6] + s * (y1[6] - y[6]);
      return finish(FlightStatus::landed, landed, t + s * h);
    }

    // Back at the emitter: lost to this spray.
    const Eigen::Vector3d x1(y1[0], y1[1], y1[2]);
    if (y1[2] > top || field_.inside_emitter(x1)) return finish(FlightStatus::returned, y1, t + h);

    t = adaptive ? stepper->t() : t + h;
    y = y1;
    k1 = k_end;
    const double speed = std::sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5]);
    result.max_reynolds =
        std::max(result.max_reynolds, reynolds_number(dyn.diameter(t), speed, gas_));
  }
}

}  // namespace psw::electrospray
