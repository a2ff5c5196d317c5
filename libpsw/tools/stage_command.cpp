#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/io/results_file.hpp>
#include <psw/stage/stage_case.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

// Rows of per-axis values as one row-major matrix (moves × axes), NaN where a row is short.
std::vector<double> matrix(const std::vector<std::vector<double>>& rows, std::size_t columns) {
  std::vector<double> out(rows.size() * columns, std::nan(""));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy(rows[i].begin(), rows[i].begin() + static_cast<long>(rows[i].size()),
              out.begin() + static_cast<long>(i * columns));
  }
  return out;
}

// The stage file a case names by path, as YAML, so the file holds every stage figure it used.
std::string stage_file_text(const Config& root) {
  if (!root.has("stage") || root.child("stage").is_map()) return {};
  std::filesystem::path path = root.child("stage").as_string();
  if (path.is_relative()) path = std::filesystem::path(root.source()).parent_path() / path;
  return Config::load_file(path).to_yaml();
}

// The HDF5 layout of docs/stage.md: one group per analysis under /stage.
void write_results(const stage::StageCaseResult& r, const Config& root, const std::string& path) {
  using namespace stage;
  io::ResultsFile file(path);
  file.write_provenance(root.to_yaml());
  if (const std::string text = stage_file_text(root); !text.empty()) {
    file.set_attribute("/", "stage_file", text);
  }

  // Step response: the traces and their metrics.
  if (r.step) {
    const StepResponse& s = *r.step;
    file.write("/stage/step/time_s", s.time_s);
    file.write("/stage/step/position_m", s.position_m);
    file.write("/stage/step/sensor_m", s.sensor_m);
    file.write("/stage/step/voltage_V", s.voltage_V);
    std::vector<double> on_target(s.on_target.begin(), s.on_target.end());
    file.write("/stage/step/on_target", on_target);
    file.write_scalar("/stage/step/start_m", s.start_m);
    file.write_scalar("/stage/step/target_m", s.target_m);
    file.write_scalar("/stage/step/on_target_time_s", s.on_target_time_s);
    file.write_scalar("/stage/step/rise_time_s", s.metrics.rise_time_s);
    file.write_scalar("/stage/step/peak_time_s", s.metrics.peak_time_s);
    file.write_scalar("/stage/step/overshoot", s.metrics.overshoot);
    file.write_scalar("/stage/step/settling_time_s", s.metrics.settling_time_s);
    file.write_scalar("/stage/step/final_error_m", s.metrics.final_error_m);
    file.set_attribute("/stage/step", "settled", s.metrics.settled ? "yes" : "no");
  }

  // Bode data: the plant and the closed loop on one frequency grid.
  if (r.bode) {
    const BodeData& b = *r.bode;
    file.write("/stage/bode/frequency_Hz", b.frequency_Hz);
    file.write("/stage/bode/plant_magnitude_dB", b.plant_magnitude_dB);
    file.write("/stage/bode/plant_phase_deg", b.plant_phase_deg);
    file.write("/stage/bode/closed_magnitude_dB", b.closed_magnitude_dB);
    file.write("/stage/bode/closed_phase_deg", b.closed_phase_deg);
    file.write_scalar("/stage/bode/bandwidth_Hz", b.bandwidth_Hz);
    file.write_scalar("/stage/bode/peak_dB", b.peak_dB);
  }

  // Moves: one row per target, one column per axis.
  if (!r.moves.empty()) {
    std::vector<std::vector<double>> targets, errors;
    std::vector<double> reached, time;
    std::size_t axes = 0;
    for (const MoveRecord& m : r.moves) {
      targets.push_back(m.target_m);
      errors.push_back(m.error_m);
      axes = std::max({axes, m.target_m.size(), m.error_m.size()});
      reached.push_back(m.reached ? 1.0 : 0.0);
      time.push_back(m.on_target_time_s);
    }
    file.write("/stage/moves/target_m", matrix(targets, axes), {r.moves.size(), axes});
    file.write("/stage/moves/error_m", matrix(errors, axes), {r.moves.size(), axes});
    file.write("/stage/moves/reached", reached);
    file.write("/stage/moves/on_target_time_s", time);
  }

  // Placement Monte Carlo: every sample and the figures drawn from them.
  if (r.placement) {
    const PlacementResult& p = *r.placement;
    file.write("/stage/placement/error_x_m", p.error_x_m);
    file.write("/stage/placement/error_y_m", p.error_y_m);
    file.write_scalar("/stage/placement/mean_m", p.mean_m);
    file.write_scalar("/stage/placement/sigma_m", p.sigma_m);
    file.write_scalar("/stage/placement/p_within_axis", p.p_within_axis);
    file.write_scalar("/stage/placement/p_within_radius", p.p_within_radius);
    file.write_scalar("/stage/placement/analytic_sigma_m", p.analytic_sigma_m);
    file.write_scalar("/stage/placement/analytic_p_axis", p.analytic_p_axis);
    file.write_scalar("/stage/placement/analytic_p_radius", p.analytic_p_radius);
    file.set_attribute("/stage/placement", "all_gaussian", p.all_gaussian ? "yes" : "no");
  }
  file.set_attribute("/stage", "analysis", r.analysis);
  file.set_attribute("/stage", "stage", r.stage.name);
  if (!r.axis.empty()) file.set_attribute("/stage", "axis", r.axis);
  file.commit();
}

}  // namespace

Command add_stage_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "stage",
      "Stage dynamics: a step response, a Bode sweep, XYZ moves or a placement Monte Carlo");
  struct Options {
    std::string case_path;
    std::string output;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("case", opt->case_path, "Stage case file (YAML); see docs/stage.md")->required();
  cmd->add_option("-o,--output", opt->output, "Write the results to this HDF5 file");

  return {cmd, [opt] {
            const Config root = Config::load_file(opt->case_path);
            const stage::StageCaseResult result = stage::run_stage_case(root);
            std::printf("stage %s (%s)\n", result.stage.name.c_str(), opt->case_path.c_str());
            for (const auto& text : result.summary) std::printf("%s\n", text.c_str());

            // The file appears only now, whole, after the run has succeeded.
            if (!opt->output.empty()) {
              write_results(result, root, opt->output);
              std::printf("results written to %s\n", opt->output.c_str());
            }
            return 0;
          }};
}

}  // namespace psw::cli
