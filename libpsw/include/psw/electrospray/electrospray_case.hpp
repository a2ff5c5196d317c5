// An electrospray case: ink, emitter, operating point, and what to compute. `psw electrospray
// CASE.yaml` and psw.electrospray.run() read it, check the cone-jet window, fly a Monte Carlo
// of droplets, and (when the case names a defect) work out the deposition.
//
//   electrospray:
//     ink: ag-np-eg                  # built-in name, inline map, or `ink_file: PATH`
//     emitter: {shape: hyperboloid, radius_um: 5, gap_um: 200}   # uniform | point | hyperboloid
//     voltage_V: 800                 # or voltage_kV
//     flow_rate_pL_per_s: 2000       # or flow_rate_nL_per_s, flow_rate_m3_per_s
//     scaling_law: ganan_calvo       # fernandez_de_la_mora | ganan_calvo | hartman | chen_pui
//     window: {multijet_voltage_ratio: 1.5, min_flow_factor: 1, check_corona: true}
//     gas: {temperature_K: 293.15, pressure_Pa: 101325, viscosity_Pa_s: 1.81e-5,
//           mean_free_path_nm: 66}
//     flight: {integrator: adaptive, relative_tolerance: 1e-6, position_tolerance_nm: 0.1,
//              velocity_tolerance_m_per_s: 1e-6, rk4_step_ns: 1, max_time_ms: 100,
//              drag: true, evaporation: true, gravity: true, brownian: true}
//     launch: {diameter_gsd: 1.1, height_below_tip_um: 5, position_spread_nm: 100,
//              angle_spread_deg: 0, speed_m_per_s: 1}
//     monte_carlo: {droplets: 2000, seed: 1, threads: 0, space_charge: false,
//                   space_charge_passes: 3}
//     defect: {length_um: 3, width_um: 2, height_um: 2, packing_fraction: 0.6}
//
// Every section but the ink, emitter, voltage and flow is optional. Launch defaults come from
// the cone-jet (see derive_launch()). Unknown keys are errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <psw/core/config.hpp>
#include <psw/electrospray/cone_jet.hpp>
#include <psw/electrospray/deposition.hpp>
#include <psw/electrospray/field.hpp>
#include <psw/electrospray/flight.hpp>
#include <psw/electrospray/ink.hpp>
#include <psw/electrospray/spray.hpp>

namespace psw::electrospray {

/// Launch settings a case may override; unset ones are derived from the cone-jet.
struct LaunchSettings {
  double geometric_std = 1.1;                ///< σ_g of the droplet diameters, [1, 5]
  std::optional<double> height_below_tip_m;  ///< default: the emitter radius
  std::optional<double> position_spread_m;   ///< default: the jet radius d_j/2
  double angle_spread_rad = 0.0;             ///< [0, 0.5]
  std::optional<double> speed_m_per_s;       ///< default: jet speed 4Q/(π·d_j²)
};

struct ElectrosprayCase {
  Ink ink;
  EmitterShape shape = EmitterShape::hyperboloid;
  EmitterGeometry emitter;
  double voltage_V = 0.0;
  double flow_m3_per_s = 0.0;
  ScalingLaw law = ScalingLaw::ganan_calvo;
  WindowOptions window;
  Gas gas;
  FlightOptions flight;
  LaunchSettings launch;
  SprayOptions monte_carlo;
  std::optional<Defect> defect;
  std::string source;  ///< where the case came from

  /// Reads the `electrospray` section of a case file and rejects unknown keys.
  /// @throws std::invalid_argument naming the file, line, key, value and range.
  static ElectrosprayCase from_config(const Config& root);
};

/// The launch of the Monte Carlo for a stable cone-jet: median diameter and Rayleigh fraction
/// from the scaling law, jet speed 4Q/(π·d_j²) and spread d_j/2 unless the case sets them,
/// launch one emitter radius below the tip unless the case sets it.
SprayLaunch derive_launch(const ElectrosprayCase& c, const ConeJetResult& cone_jet);

struct ElectrosprayReport {
  ConeJetResult cone_jet;
  std::optional<SprayLaunch> launch;           ///< when the cone-jet is stable
  std::optional<SprayResult> spray;            ///< when the cone-jet is stable
  std::optional<DepositionResult> deposition;  ///< with a defect and a nanoparticle ink
  std::vector<std::string> notes;              ///< validity warnings, in words
};

/// Runs the case. Outside the cone-jet window the report carries the reason and no spray.
ElectrosprayReport run_case(const ElectrosprayCase& c);

/// The one-screen text summary `psw electrospray` prints.
std::string format_summary(const ElectrosprayCase& c, const ElectrosprayReport& report);

}  // namespace psw::electrospray
