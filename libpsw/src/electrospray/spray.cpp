#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/core/rng.hpp>
#include <psw/electrospray/spray.hpp>

namespace psw::electrospray {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Smallest lateral spread the space-charge field is built with, m.
constexpr double kMinSpread_m = 1e-9;

// What one flight leaves behind, beyond the per-droplet vectors of SprayResult.
struct FlightTally {
  double reynolds = 0.0, rayleigh = 0.0;
  std::size_t steps = 0, evaluations = 0;
};

// Droplet i's launch and its two Brownian deviates, drawn in the documented order.
Launch draw_launch(RngStream& rng, const SprayLaunch& l) {
  Launch launch;
  launch.diameter_m = l.median_diameter_m * std::exp(std::log(l.geometric_std) * rng.normal());
  launch.position_m = {l.position_spread_m * rng.normal(), l.position_spread_m * rng.normal(),
                       l.height_m};
  const double ax = l.angle_spread_rad * rng.normal(), ay = l.angle_spread_rad * rng.normal();
  launch.velocity_m_per_s = l.speed_m_per_s * Eigen::Vector3d(ax, ay, -1.0);
  return launch;
}

// Per-droplet crossing records of one pass: `levels` values per droplet.
struct Crossings {
  std::vector<double> heights;
  std::vector<double> radius, speed;
};

// Flies droplets [0, count) on `threads` threads into `out` (resized to count).
void run_pass(const DropletFlight& flight, const SprayLaunch& l, const Ink& ink,
              const RngStream& root, std::size_t count, unsigned threads, SprayResult& out,
              std::vector<FlightTally>& tally, Crossings* crossings) {
  out.x_m.assign(count, kNaN);
  out.y_m.assign(count, kNaN);
  out.time_s.assign(count, kNaN);
  out.emitted_diameter_m.assign(count, kNaN);
  out.landing_diameter_m.assign(count, kNaN);
  out.status.assign(count, FlightStatus::landed);
  tally.assign(count, {});
  const std::size_t levels = crossings ? crossings->heights.size() : 0;
  if (crossings) {
    crossings->radius.assign(count * levels, kNaN);
    crossings->speed.assign(count * levels, kNaN);
  }

  // One droplet: draw, fly, add the Brownian displacement.
  const auto fly_one = [&](std::size_t i) {
    RngStream rng = root.substream(i);
    Launch launch = draw_launch(rng, l);
    launch.charge_C = l.polarity * l.rayleigh_fraction *
                      rayleigh_charge(launch.diameter_m, ink.surface_tension_N_per_m);
    CrossingRecord record;
    if (crossings) {
      record.heights_m = crossings->heights;
      record.radius_m = std::span<double>(crossings->radius).subspan(i * levels, levels);
      record.speed_z_m_per_s = std::span<double>(crossings->speed).subspan(i * levels, levels);
    }
    const FlightResult f = flight.fly(launch, crossings ? &record : nullptr);
    const double n6 = rng.normal(), n7 = rng.normal();
    const double kick = std::sqrt(f.brownian_variance_m2);
    out.status[i] = f.status;
    out.emitted_diameter_m[i] = launch.diameter_m;
    out.time_s[i] = f.time_s;
    out.landing_diameter_m[i] = f.diameter_m;
    if (f.status == FlightStatus::landed) {
      out.x_m[i] = f.position_m.x() + kick * n6;
      out.y_m[i] = f.position_m.y() + kick * n7;
    }
    tally[i] = {f.max_reynolds, f.rayleigh_fraction, f.steps, f.field_evaluations};
  };

  // Work shared in chunks; the first exception stops the pass and is rethrown.
  constexpr std::size_t kChunk = 64;
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto worker = [&] {
    try {
      for (std::size_t start = next.fetch_add(kChunk); start < count;
           start = next.fetch_add(kChunk)) {
        const std::size_t end = std::min(count, start + kChunk);
        for (std::size_t i = start; i < end; ++i) fly_one(i);
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  const unsigned n = std::max(
      1u, std::min<unsigned>(threads, static_cast<unsigned>((count + kChunk - 1) / kChunk)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

// The mean field of a pass: λ = I/⟨|v_z|⟩ and σ² = ⟨r²⟩/2 at each height.
SpaceCharge build_space_charge(const Crossings& c, std::size_t count, double current_A,
                               double top_m) {
  const std::size_t levels = c.heights.size();
  SpaceCharge sc;
  sc.top_m = top_m;
  sc.line_charge_C_per_m.assign(levels, 0.0);
  sc.sigma_m.assign(levels, kNaN);
  for (std::size_t j = 0; j < levels; ++j) {
    double r2 = 0.0, speed = 0.0;
    std::size_t met = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const double r = c.radius[i * levels + j], u = c.speed[i * levels + j];
      if (std::isnan(r)) continue;
      r2 += r * r;
      speed += u;
      ++met;
    }
    const std::size_t k = levels - 1 - j;  // ascending index
    if (met == 0 || speed <= 0.0) continue;
    sc.line_charge_C_per_m[k] = current_A / (speed / static_cast<double>(met));
    sc.sigma_m[k] = std::max(kMinSpread_m, std::sqrt(r2 / (2.0 * static_cast<double>(met))));
  }

  // Heights no droplet crossed carry no charge; give them the nearest spread met.
  double last = kMinSpread_m;
  for (double& s : sc.sigma_m) {
    if (std::isnan(s)) s = last;
    last = s;
  }
  return sc;
}

void summarise(SprayResult& r, const std::vector<FlightTally>& tally) {
  const std::size_t n = r.x_m.size();
  double sx = 0.0, sy = 0.0, st = 0.0, steps = 0.0, evaluations = 0.0;
  r.landed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    steps += static_cast<double>(tally[i].steps);
    evaluations += static_cast<double>(tally[i].evaluations);
    r.max_reynolds = std::max(r.max_reynolds, tally[i].reynolds);
    if (r.status[i] != FlightStatus::landed) continue;
    r.max_rayleigh_fraction = std::max(r.max_rayleigh_fraction, tally[i].rayleigh);
    sx += r.x_m[i];
    sy += r.y_m[i];
    st += r.time_s[i];
    ++r.landed;
  }
  r.lost = n - r.landed;
  r.mean_steps = n ? steps / static_cast<double>(n) : 0.0;
  r.mean_field_evaluations = n ? evaluations / static_cast<double>(n) : 0.0;
  if (r.landed == 0) return;
  const double m = static_cast<double>(r.landed);
  r.mean_x_m = sx / m;
  r.mean_y_m = sy / m;
  r.mean_time_s = st / m;

  // Scatter about the mean, and the footprint radii.
  double vx = 0.0, vy = 0.0;
  std::vector<double> radius2;
  radius2.reserve(r.landed);
  for (std::size_t i = 0; i < n; ++i) {
    if (r.status[i] != FlightStatus::landed) continue;
    const double dx = r.x_m[i] - r.mean_x_m, dy = r.y_m[i] - r.mean_y_m;
    vx += dx * dx;
    vy += dy * dy;
    radius2.push_back(dx * dx + dy * dy);
  }
  const double dof = std::max(1.0, m - 1.0);
  r.sigma_x_m = std::sqrt(vx / dof);
  r.sigma_y_m = std::sqrt(vy / dof);
  r.radius_rms_m = std::sqrt((vx + vy) / m);
  r.standard_error_m = std::max(r.sigma_x_m, r.sigma_y_m) / std::sqrt(m);
  const auto quantile = [&](double p) {
    const auto k = static_cast<std::size_t>(std::ceil(p * m)) - 1;
    std::nth_element(radius2.begin(), radius2.begin() + static_cast<std::ptrdiff_t>(k),
                     radius2.end());
    return std::sqrt(radius2[k]);
  };
  r.radius_50_m = quantile(0.50);
  r.radius_95_m = quantile(0.95);
}

}  // namespace

void SprayLaunch::validate() const {
  require_in_range("launch.median_diameter_m", median_diameter_m, Range::open_closed(0, 1e-3));
  require_in_range("launch.geometric_std", geometric_std, Range::closed(1.0, 5.0));
  require_in_range("launch.rayleigh_fraction", rayleigh_fraction, Range::closed(0.0, 1.0));
  require(polarity == 1.0 || polarity == -1.0,
          "launch.polarity = " + format_number(polarity) + " is not +1 or -1");
  require_in_range("launch.height_m", height_m, Range::open_closed(0.0, 1.0));
  require_in_range("launch.speed_m_per_s", speed_m_per_s, Range::closed(0.0, 1e4));
  require_in_range("launch.position_spread_m", position_spread_m, Range::closed(0.0, 1e-2));
  require_in_range("launch.angle_spread_rad", angle_spread_rad, Range::closed(0.0, 0.5));
}

void SprayOptions::validate() const {
  require_in_range("monte_carlo.droplets", static_cast<double>(droplets), Range::closed(1, 1e8));
  require_in_range("monte_carlo.current_A", current_A, Range::closed(0.0, 1.0));
  require_in_range("monte_carlo.space_charge_passes", space_charge_passes, Range::closed(1, 20));
  require_in_range("monte_carlo.space_charge_levels", static_cast<double>(space_charge_levels),
                   Range::closed(2, 10000));
  require_in_range("monte_carlo.space_charge_sample", static_cast<double>(space_charge_sample),
                   Range::closed(10, 1e8));
}

SprayResult simulate_spray(const EmitterField& field, const Ink& ink, const Gas& gas,
                           const FlightOptions& flight_options, const SprayLaunch& launch,
                           const SprayOptions& options) {
  launch.validate();
  options.validate();
  const RngStream root(options.seed);
  const unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  SprayResult result;
  std::vector<FlightTally> tally;

  // Without space charge: one pass over every droplet.
  if (!options.space_charge) {
    const DropletFlight flight(field, ink, gas, flight_options);
    run_pass(flight, launch, ink, root, options.droplets, threads, result, tally, nullptr);
    summarise(result, tally);
    return result;
  }

  // With space charge: passes on a subsample refine the mean field; the last flies them all.
  SpaceCharge sc;
  Crossings crossings;
  const std::size_t sample = std::min(options.droplets, options.space_charge_sample);
  for (unsigned pass = 0; pass <= options.space_charge_passes; ++pass) {
    const bool last = pass == options.space_charge_passes;
    const DropletFlight flight(field, ink, gas, flight_options, sc.empty() ? nullptr : &sc);
    SpaceCharge probe;
    probe.top_m = launch.height_m;
    probe.line_charge_C_per_m.assign(options.space_charge_levels, 0.0);
    crossings.heights = probe.heights_m();
    run_pass(flight, launch, ink, root, last ? options.droplets : sample, threads, result, tally,
             last ? nullptr : &crossings);
    if (last) break;
    SpaceCharge measured =
        build_space_charge(crossings, sample, options.current_A, launch.height_m);

    // Under-relaxed update (geometric mean of the old and measured spread, arithmetic for λ):
    // the spread is a decreasing function of the field's spread, so plain substitution
    // oscillates. The residual is the rms relative change of σ over the heights.
    double change2 = 0.0;
    if (!sc.empty()) {
      for (std::size_t k = 0; k < measured.sigma_m.size(); ++k) {
        const double damped = std::sqrt(sc.sigma_m[k] * measured.sigma_m[k]);
        change2 += std::pow(damped / sc.sigma_m[k] - 1.0, 2);
        measured.sigma_m[k] = damped;
        measured.line_charge_C_per_m[k] =
            0.5 * (sc.line_charge_C_per_m[k] + measured.line_charge_C_per_m[k]);
      }
      result.space_charge_residual =
          std::sqrt(change2 / static_cast<double>(measured.sigma_m.size()));
    }
    sc = std::move(measured);
    log::telemetry(log::Level::debug, "space_charge_pass",
                   {{"pass", static_cast<std::int64_t>(pass)},
                    {"sigma_substrate_m", sc.sigma_m.front()},
                    {"lambda_substrate_C_per_m", sc.line_charge_C_per_m.front()},
                    {"residual", result.space_charge_residual}});
  }
  const double residual = result.space_charge_residual;
  summarise(result, tally);
  result.space_charge = std::move(sc);
  result.space_charge_residual = residual;
  return result;
}

}  // namespace psw::electrospray
