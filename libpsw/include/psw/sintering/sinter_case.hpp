// A sintering case: what `psw sinter CASE.yaml` and psw.sintering.sinter() read and report.
//
//   sinter:
//     material: Ag                  # built-in: Ag, Cu (data/sintering/*.yaml)
//     particle_diameter_nm: 50
//     grain_size_nm: 50             # optional; the particle diameter by default
//     viscosity_Pa_s: 1e9           # optional; turns on viscous-flow neck growth
//     duration_s: 1800              # horizon of the reported curves
//     temperature:                  # exactly one of constant_K, ramp, table, ttm
//       constant_K: 623.15
//       # ramp: {start_K: 300, end_K: 623, duration_s: 60}     (then held at end_K)
//       # table: {time_s: [0, 10, 20], temperature_K: [300, 500, 500]}
//       # ttm: {results: run.h5, depth_nm: 20, then_K: 300, then_ramp_s: 1e-6}
//     resistivity:                  # optional
//       conduction: bruggeman       # or percolation
//       percolation_threshold: 0.3333
//       percolation_exponent: 2.0
//       target_ratio: 3             # target = ratio × bulk resistivity
//     master_sintering_curve: {...} # optional; overrides the material's (keys as in ag.yaml)
//     statistics:                   # optional: sintering-time distribution of many joints
//       reference_volume_um3: 8     # V_ref
//       volume_exponent: 1.0        # β in t = t_ref·(V/V_ref)^β
//       reference_time_s: 60        # optional; default: this deposit's time to the target
//       volume: {median_um3: 8, sigma_ln: 0.6}      # either a volume distribution ...
//       calibrate: {median_s: 60, p99_s: 240}       # ... or the times to calibrate one to
//       samples: 10000
//       seed: 1
//
// `ttm:` reads the lattice temperature of a `psw ttm CASE -o run.h5` results file (relative
// paths resolve against the case file's directory) at the cell whose centre is nearest
// `depth_nm` (measured from the front face; it must lie inside the film; of two equally near
// cells the shallower). Slab results are read as they are; axisymmetric ones on the axis (the
// first radial cell); 3-D (cartesian) results are refused. The record's times are shifted so
// that its first time is t = 0. After the record's end the history holds its last temperature,
// or, with `then_K` (and then `then_ramp_s`, required), goes linearly to then_K over
// then_ramp_s and holds that: a TTM run covers ps to ns, sintering takes ms to s, so then_K is
// typically the substrate temperature the deposit cools back to.
//
// Unknown keys are errors (file:line:col, the key, the accepted keys). A missing results file,
// missing /thermal datasets, an unfinished TTM run or a depth outside the film are errors
// naming the key, the file and the case position.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <psw/core/config.hpp>
#include <psw/sintering/deposit.hpp>
#include <psw/sintering/neck_growth.hpp>
#include <psw/sintering/sintering_time.hpp>

namespace psw::sintering {

struct StatisticsCase {
  double reference_volume_m3 = 8e-18;
  double volume_exponent = 1.0;
  std::optional<double> reference_time_s;
  std::optional<LognormalVolume> volume;
  std::optional<double> calibrate_median_s, calibrate_p99_s;
  std::size_t samples = 10000;
  std::uint64_t seed = 1;
};

struct SinterCase {
  SinteringMaterial material;
  double particle_diameter_m = 50e-9;
  double grain_size_m = 0.0;
  std::optional<double> viscosity_Pa_s;
  double duration_s = 1800.0;
  TemperatureHistory history = TemperatureHistory::constant(300.0);
  ResistivityModel resistivity;
  double target_ratio = 3.0;
  std::optional<MasterCurveParams> curve;
  std::optional<StatisticsCase> statistics;

  /// Reads the `sinter:` section of `root` and finishes every map it reads.
  /// @throws std::invalid_argument with file:line:col, key, value and range for bad input.
  static SinterCase from_config(const Config& root);
};

struct MechanismSummary {
  Mechanism mechanism;
  int n = 0, m = 0;
  double B = 0.0;                 ///< m^m/s at the peak temperature
  double time_to_neck_0p3_s = 0;  ///< this mechanism alone, x/a = 0.3, at the peak temperature
};

struct StatisticsSummary {
  LognormalVolume volume;
  VolumeTimeLaw law;
  double median_s = 0, p99_s = 0, mean_s = 0, sigma_ln_time = 0;
  double sample_median_s = 0, sample_p99_s = 0;
  std::size_t samples = 0;
};

struct SinterReport {
  std::string material;
  double particle_diameter_m = 0, grain_size_m = 0, peak_temperature_K = 0;
  double melting_point_K = 0;     ///< Buffat–Borel for the particle radius
  double coalescence_time_s = 0;  ///< Koch–Friedlander at the peak temperature
  std::vector<MechanismSummary> mechanisms;
  NeckGrowthResult neck;  ///< all mechanisms together, over the case's duration
  std::vector<double> time_s, temperature_K, density, resistivity_ohm_m;  ///< 201 points
  double bulk_resistivity_ohm_m = 0, target_resistivity_ohm_m = 0;
  TimeToTarget target;
  std::optional<StatisticsSummary> statistics;
};

/// Runs every model of the case. Expected outcomes (an unreachable target) are in the report.
SinterReport run_sinter_case(const SinterCase& c);

/// The one-screen text summary printed by `psw sinter`.
std::string format_summary(const SinterReport& report);

}  // namespace psw::sintering
