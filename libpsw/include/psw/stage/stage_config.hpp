// Stage parameters from YAML (data/stages/*.yaml): one map per axis, keys with their units.
//
//   stage:
//     name: fast-10um
//     axes:
//       x: {travel_um: 10, gain_um_per_V: 0.1, flexure: {…}, creep: {…}, hysteresis: {…},
//           amplifier: {…}, sensor: {…}, drift: {…}, servo: {…}}
//       y: …
//     cross_coupling: [[0, 0.003], [0.003, 0]]      # optional, axes × axes
//
// Keys whose unit get_si() does not know are converted here: gain_um_per_V (µm/V),
// noise_density_pm_per_rtHz (pm/√Hz), expansion_ppm_per_K, temperature_rate_mK_per_min,
// slew_rate_mm_per_s. Every map is finished: unknown keys are errors naming file and line.
#pragma once

#include <psw/core/config.hpp>
#include <psw/stage/placement.hpp>
#include <psw/stage/xyz_stage.hpp>

#include <filesystem>

namespace psw::stage {

/// One axis map. @throws std::invalid_argument naming the file, line, key, value and range.
AxisParams axis_from_config(const Config& node, const std::string& name);

/// The map under `stage:`.
XyzParams stage_from_config(const Config& stage);

/// A stage file: a root map holding only `stage:`.
XyzParams load_stage_file(const std::filesystem::path& path);

}  // namespace psw::stage
