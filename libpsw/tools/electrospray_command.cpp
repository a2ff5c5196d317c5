#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/electrospray/electrospray_case.hpp>
#include <psw/io/results_file.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

// The HDF5 layout of docs/electrospray.md: the window and the scaling law always; the launch,
// every droplet's landing and the footprint for a stable cone-jet; the deposition with a defect.
void write_results(const electrospray::ElectrosprayCase& c,
                   const electrospray::ElectrosprayReport& r, const std::string& case_text,
                   const std::string& path) {
  using namespace electrospray;
  io::ResultsFile file(path);
  file.write_provenance(case_text);

  // Operating point and window.
  const ConeJetResult& w = r.cone_jet;
  file.write_scalar("/electrospray/cone_jet/voltage_V", w.voltage_V);
  file.write_scalar("/electrospray/cone_jet/flow_m3_per_s", w.flow_m3_per_s);
  file.write_scalar("/electrospray/cone_jet/onset_voltage_V", w.onset_voltage_V);
  file.write_scalar("/electrospray/cone_jet/multijet_voltage_V", w.multijet_voltage_V);
  file.write_scalar("/electrospray/cone_jet/corona_voltage_V", w.corona_voltage_V);
  file.write_scalar("/electrospray/cone_jet/minimum_flow_m3_per_s", w.minimum_flow_m3_per_s);
  file.write_scalar("/electrospray/cone_jet/tip_field_V_per_m", w.tip_field_V_per_m);
  file.write_scalar("/electrospray/cone_jet/taylor_field_V_per_m", w.taylor_field_V_per_m);
  file.write_scalar("/electrospray/cone_jet/corona_field_V_per_m", w.corona_field_V_per_m);
  file.write_scalar("/electrospray/cone_jet/charge_relaxation_time_s", w.charge_relaxation_time_s);
  file.set_attribute("/electrospray/cone_jet", "status", to_string(w.status));
  file.set_attribute("/electrospray/cone_jet", "reason", w.reason);

  // What the scaling law predicts at the operating point.
  const ScalingPrediction& p = w.prediction;
  file.write_scalar("/electrospray/scaling/current_A", p.current_A);
  file.write_scalar("/electrospray/scaling/jet_diameter_m", p.jet_diameter_m);
  file.write_scalar("/electrospray/scaling/droplet_diameter_m", p.droplet_diameter_m);
  file.write_scalar("/electrospray/scaling/droplet_charge_C", p.droplet_charge_C);
  file.write_scalar("/electrospray/scaling/rayleigh_fraction", p.rayleigh_fraction);
  file.set_attribute("/electrospray/scaling", "law", to_string(p.law));
  file.set_attribute("/electrospray/scaling", "in_validity_range",
                     p.in_validity_range ? "yes" : "no");

  // Launch of the Monte Carlo.
  if (r.launch) {
    const SprayLaunch& l = *r.launch;
    file.write_scalar("/electrospray/launch/median_diameter_m", l.median_diameter_m);
    file.write_scalar("/electrospray/launch/geometric_std", l.geometric_std);
    file.write_scalar("/electrospray/launch/rayleigh_fraction", l.rayleigh_fraction);
    file.write_scalar("/electrospray/launch/height_m", l.height_m);
    file.write_scalar("/electrospray/launch/speed_m_per_s", l.speed_m_per_s);
    file.write_scalar("/electrospray/launch/position_spread_m", l.position_spread_m);
    file.write_scalar("/electrospray/launch/angle_spread_rad", l.angle_spread_rad);
  }

  // Every droplet, in launch order (NaN position for the ones that did not land).
  if (r.spray) {
    const SprayResult& s = *r.spray;
    file.write("/electrospray/landing/x_m", s.x_m);
    file.write("/electrospray/landing/y_m", s.y_m);
    file.write("/electrospray/landing/time_s", s.time_s);
    file.write("/electrospray/landing/emitted_diameter_m", s.emitted_diameter_m);
    file.write("/electrospray/landing/landing_diameter_m", s.landing_diameter_m);
    std::vector<double> status;
    status.reserve(s.status.size());
    for (FlightStatus f : s.status) status.push_back(static_cast<double>(f));
    file.write("/electrospray/landing/status", status);
    file.set_attribute("/electrospray/landing/status", "codes",
                       "0 landed, 1 returned, 2 timed_out, 3 step_limit");

    // Footprint and scatter over the landed droplets.
    file.write_scalar("/electrospray/footprint/landed", static_cast<double>(s.landed));
    file.write_scalar("/electrospray/footprint/lost", static_cast<double>(s.lost));
    file.write_scalar("/electrospray/footprint/mean_x_m", s.mean_x_m);
    file.write_scalar("/electrospray/footprint/mean_y_m", s.mean_y_m);
    file.write_scalar("/electrospray/footprint/sigma_x_m", s.sigma_x_m);
    file.write_scalar("/electrospray/footprint/sigma_y_m", s.sigma_y_m);
    file.write_scalar("/electrospray/footprint/radius_rms_m", s.radius_rms_m);
    file.write_scalar("/electrospray/footprint/radius_50_m", s.radius_50_m);
    file.write_scalar("/electrospray/footprint/radius_95_m", s.radius_95_m);
    file.write_scalar("/electrospray/footprint/standard_error_m", s.standard_error_m);
    file.write_scalar("/electrospray/flight/mean_time_s", s.mean_time_s);
    file.write_scalar("/electrospray/flight/max_reynolds", s.max_reynolds);
    file.write_scalar("/electrospray/flight/max_rayleigh_fraction", s.max_rayleigh_fraction);
    file.write_scalar("/electrospray/flight/mean_steps", s.mean_steps);

    // The space charge's last field, when the case asked for it.
    if (!s.space_charge.empty()) {
      file.write("/electrospray/space_charge/height_m", s.space_charge.heights_m());
      file.write("/electrospray/space_charge/line_charge_C_per_m",
                 s.space_charge.line_charge_C_per_m);
      file.write("/electrospray/space_charge/sigma_m", s.space_charge.sigma_m);
      file.write_scalar("/electrospray/space_charge/residual", s.space_charge_residual);
    }
  }

  // Deposition into the open.
  if (r.deposition) {
    const DepositionResult& d = *r.deposition;
    file.write_scalar("/electrospray/deposition/particle_volume_rate_m3_per_s",
                      d.particle_volume_rate_m3_per_s);
    file.write_scalar("/electrospray/deposition/captured_fraction", d.captured_fraction);
    file.write_scalar("/electrospray/deposition/deposited_volume_rate_m3_per_s",
                      d.deposited_volume_rate_m3_per_s);
    file.write_scalar("/electrospray/deposition/defect_volume_m3", d.defect_volume_m3);
    file.write_scalar("/electrospray/deposition/metal_volume_needed_m3", d.metal_volume_needed_m3);
    file.write_scalar("/electrospray/deposition/fill_time_s", d.fill_time_s);
    file.write_scalar("/electrospray/deposition/particles_per_droplet", d.particles_per_droplet);
  }
  file.set_attribute("/electrospray", "ink", c.ink.name);
  file.commit();
}

}  // namespace

Command add_electrospray_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "electrospray",
      "Cone-jet window, scaling laws, droplet flight and landing Monte Carlo, deposition time");
  struct Options {
    std::string case_path;
    std::string output;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("case", opt->case_path, "Electrospray case (YAML, top-level key `electrospray:`)")
      ->required();
  cmd->add_option("-o,--output", opt->output, "Write the results to this HDF5 file");

  return {cmd, [opt] {
            // Load the case, run it, print the one-screen summary. A point outside the
            // cone-jet window is a result (its reason is printed), not an error.
            const Config root = Config::load_file(opt->case_path);
            const auto c = electrospray::ElectrosprayCase::from_config(root);
            const auto report = electrospray::run_case(c);
            std::fputs(electrospray::format_summary(c, report).c_str(), stdout);

            // The file appears only now, whole, after the run has succeeded.
            if (!opt->output.empty()) {
              write_results(c, report, root.to_yaml(), opt->output);
              std::printf("results written to %s\n", opt->output.c_str());
            }
            return 0;
          }};
}

}  // namespace psw::cli
