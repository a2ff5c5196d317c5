// Monte Carlo of the spray: many droplets launched from the jet with scattered size, position
// and direction, flown to the substrate (flight.hpp), with a Brownian displacement added at
// landing. It gives the deposition footprint and the placement scatter.
//
// Droplet i draws, from its own stream RngStream(seed).substream(i), in this order:
//   d_i = d_med·exp(ln(σ_g)·n₁)                      (lognormal, geometric std σ_g)
//   x_i = s·n₂, y_i = s·n₃, z_i = z_launch           (lateral spread s per axis)
//   v_i = u·(θ·n₄, θ·n₅, −1)                         (axial speed u, small-angle spread θ)
//   q_i = sign(V)·χ·q_R(d_i)                         (the cone-jet's fraction χ of Rayleigh)
//   after landing: x += √B·n₆, y += √B·n₇            (Brownian, B from the flight)
// with n₁…n₇ standard normal deviates. So droplet i lands in the same place whatever the
// number of threads, and a run is reproducible from its seed.
//
// Statistics over the landed droplets: mean landing point, 1σ scatter per axis, rms radius,
// radii about the mean holding 50 % and 95 % of the landings (the footprint), and the
// standard error of the mean position σ/√N, which falls as 1/√N.
//
// Space charge (optional): pass 0 flies droplets without it; each further pass builds the
// SpaceCharge of flight.hpp from where the previous pass's droplets crossed a grid of heights
// (λ = I/mean |v_z|, σ² = mean r²/2), under-relaxed against the previous field, and flies
// again. Intermediate passes fly a subsample.
//
// @note Satellite droplets, Coulomb fission, coalescence and droplet–droplet forces beyond the
//       mean field are not modelled. The launch parameters (spread, angle, height, σ_g) are
//       inputs: psw derives defaults from the cone-jet (case.hpp), but they are estimates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <psw/electrospray/flight.hpp>

namespace psw::electrospray {

/// How droplets leave the jet.
struct SprayLaunch {
  double median_diameter_m = 1e-6;  ///< d_med, (0, 1 mm]
  double geometric_std = 1.0;       ///< σ_g, [1, 5]; 1 is monodisperse
  double rayleigh_fraction = 0.5;   ///< χ = q/q_R, [0, 1]
  double polarity = 1.0;            ///< sign of the charge, ±1
  double height_m = 100e-6;         ///< z of the launch point, > 0
  double speed_m_per_s = 0.0;       ///< u, axial launch speed toward the plane, ≥ 0
  double position_spread_m = 0.0;   ///< s, 1σ per lateral axis, ≥ 0
  double angle_spread_rad = 0.0;    ///< θ, 1σ per lateral axis, [0, 0.5]
  void validate() const;
};

struct SprayOptions {
  std::size_t droplets = 1000;  ///< [1, 1e8]
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0: all hardware threads
  bool space_charge = false;
  double current_A = 0.0;                  ///< emitted current, for the space charge, ≥ 0
  unsigned space_charge_passes = 3;        ///< passes after the first, [1, 20]
  std::size_t space_charge_levels = 33;    ///< heights of the SpaceCharge grid, [2, 10000]
  std::size_t space_charge_sample = 2000;  ///< droplets per intermediate pass, ≥ 10
  void validate() const;
};

struct SprayResult {
  // Per droplet, in launch order; NaN position for droplets that did not land.
  std::vector<double> x_m, y_m;
  std::vector<double> time_s;
  std::vector<double> emitted_diameter_m;
  std::vector<double> landing_diameter_m;
  std::vector<FlightStatus> status;

  std::size_t landed = 0;
  std::size_t lost = 0;  ///< returned, timed out or out of steps
  double mean_x_m = 0.0, mean_y_m = 0.0;
  double sigma_x_m = 0.0, sigma_y_m = 0.0;      ///< 1σ scatter per axis (sample, N−1)
  double radius_rms_m = 0.0;                    ///< rms distance from the mean landing point
  double radius_50_m = 0.0, radius_95_m = 0.0;  ///< footprint radii about the mean
  double standard_error_m = 0.0;  ///< of the mean position per axis: max(σx, σy)/√N
  double mean_time_s = 0.0;
  double max_reynolds = 0.0;
  double max_rayleigh_fraction = 0.0;
  double mean_steps = 0.0;  ///< accepted steps per flight
  double mean_field_evaluations = 0.0;
  SpaceCharge space_charge;  ///< the last pass's field (empty without space charge)
  /// rms relative change of σ(z) in the last update of the space charge (0 without it); a
  /// large value says the passes have not settled: raise space_charge_passes.
  double space_charge_residual = 0.0;
};

/// Runs the Monte Carlo. @throws std::invalid_argument for bad launch or options.
SprayResult simulate_spray(const EmitterField& field, const Ink& ink, const Gas& gas,
                           const FlightOptions& flight, const SprayLaunch& launch,
                           const SprayOptions& options);

}  // namespace psw::electrospray
