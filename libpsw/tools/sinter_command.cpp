#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/core/rng.hpp>
#include <psw/io/results_file.hpp>
#include <psw/sintering/sinter_case.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

// Mechanisms as codes in the file: the order of sintering::kMechanisms.
std::string mechanism_codes() {
  std::string codes;
  for (std::size_t i = 0; i < sintering::kMechanisms.size(); ++i) {
    if (i > 0) codes += ", ";
    codes += std::to_string(i) + " " + std::string(to_string(sintering::kMechanisms[i]));
  }
  return codes;
}

double mechanism_code(sintering::Mechanism m) {
  for (std::size_t i = 0; i < sintering::kMechanisms.size(); ++i) {
    if (sintering::kMechanisms[i] == m) return static_cast<double>(i);
  }
  return -1.0;
}

// The HDF5 layout of docs/sintering.md: the deposit histories, the neck, the per-mechanism
// figures, the time to the target and (when the case asks) the sintering-time statistics.
void write_results(const sintering::SinterCase& c, const sintering::SinterReport& r,
                   const std::string& case_text, const std::string& path) {
  using namespace sintering;
  io::ResultsFile file(path);
  file.write_provenance(case_text);

  // Deposit scale: temperature, density and resistivity on one time grid.
  file.write("/sinter/time_s", r.time_s);
  file.write("/sinter/temperature_K", r.temperature_K);
  file.write("/sinter/density", r.density);
  file.write("/sinter/resistivity_ohm_m", r.resistivity_ohm_m);
  file.write_scalar("/sinter/bulk_resistivity_ohm_m", r.bulk_resistivity_ohm_m);
  file.write_scalar("/sinter/target_resistivity_ohm_m", r.target_resistivity_ohm_m);
  file.write_scalar("/sinter/target/time_s", r.target.time_s);
  file.write_scalar("/sinter/target/density", r.target.density);
  file.write_scalar("/sinter/target/theta_s_per_K", r.target.theta_s_per_K);
  file.set_attribute("/sinter/target", "status", to_string(r.target.status));
  file.set_attribute("/sinter/target", "message", r.target.message);

  // Particle scale: the neck of all mechanisms together, at the solver's accepted steps.
  // (No neck datasets when no neck forms within the case's duration.)
  if (!r.neck.x_over_a.empty()) {
    file.write("/sinter/neck/time_s", r.neck.time_s);
    file.write("/sinter/neck/x_over_a", r.neck.x_over_a);
    std::vector<double> dominant;
    for (Mechanism m : r.neck.dominant) dominant.push_back(mechanism_code(m));
    file.write("/sinter/neck/dominant", dominant);
    file.set_attribute("/sinter/neck/dominant", "codes", mechanism_codes());
  }
  file.write_scalar("/sinter/particle/diameter_m", r.particle_diameter_m);
  file.write_scalar("/sinter/particle/grain_size_m", r.grain_size_m);
  file.write_scalar("/sinter/particle/peak_temperature_K", r.peak_temperature_K);
  file.write_scalar("/sinter/particle/melting_point_K", r.melting_point_K);
  file.write_scalar("/sinter/particle/coalescence_time_s", r.coalescence_time_s);

  // Each mechanism alone at the peak temperature, one row per entry of `mechanism`.
  std::vector<double> code, n, m, B, t03;
  for (const MechanismSummary& s : r.mechanisms) {
    code.push_back(mechanism_code(s.mechanism));
    n.push_back(s.n);
    m.push_back(s.m);
    B.push_back(s.B);
    t03.push_back(s.time_to_neck_0p3_s);
  }
  file.write("/sinter/mechanisms/mechanism", code);
  file.set_attribute("/sinter/mechanisms/mechanism", "codes", mechanism_codes());
  file.write("/sinter/mechanisms/n", n);
  file.write("/sinter/mechanisms/m", m);
  file.write("/sinter/mechanisms/B_m_pow_m_per_s", B);
  file.write("/sinter/mechanisms/time_to_neck_0p3_s", t03);

  // Sintering-time statistics, with the samples drawn again from the same seed.
  if (r.statistics && c.statistics) {
    const StatisticsSummary& s = *r.statistics;
    file.write_scalar("/sinter/statistics/volume_median_m3", s.volume.median_m3);
    file.write_scalar("/sinter/statistics/volume_sigma_ln", s.volume.sigma_ln);
    file.write_scalar("/sinter/statistics/reference_time_s", s.law.reference_time_s);
    file.write_scalar("/sinter/statistics/reference_volume_m3", s.law.reference_volume_m3);
    file.write_scalar("/sinter/statistics/volume_exponent", s.law.volume_exponent);
    file.write_scalar("/sinter/statistics/median_s", s.median_s);
    file.write_scalar("/sinter/statistics/p99_s", s.p99_s);
    file.write_scalar("/sinter/statistics/mean_s", s.mean_s);
    file.write_scalar("/sinter/statistics/sigma_ln_time", s.sigma_ln_time);
    file.write_scalar("/sinter/statistics/sample_median_s", s.sample_median_s);
    file.write_scalar("/sinter/statistics/sample_p99_s", s.sample_p99_s);
    const SinteringTimeDistribution dist(s.volume, s.law);
    file.write("/sinter/statistics/sample_time_s",
               dist.sample_times(s.samples, RngStream(c.statistics->seed)));
  }
  file.set_attribute("/sinter", "material", r.material);
  file.commit();
}

}  // namespace

Command add_sinter_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sinter",
      "Sintering of a nanoparticle deposit: neck growth, densification, resistivity, "
      "time to target, sintering-time statistics");
  struct Options {
    std::string case_path;
    std::string output;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("case", opt->case_path, "Sintering case (YAML, top-level key `sinter:`)")
      ->required();
  cmd->add_option("-o,--output", opt->output, "Write the results to this HDF5 file");

  return {cmd, [opt] {
            // Load and validate the case, run the models, print the one-screen summary.
            const Config root = Config::load_file(opt->case_path);
            const sintering::SinterCase c = sintering::SinterCase::from_config(root);
            const sintering::SinterReport report = sintering::run_sinter_case(c);
            std::fputs(sintering::format_summary(report).c_str(), stdout);

            // The file appears only now, whole, after the run has succeeded.
            if (!opt->output.empty()) {
              write_results(c, report, root.to_yaml(), opt->output);
              std::printf("results written to %s\n", opt->output.c_str());
            }
            return 0;
          }};
}

}  // namespace psw::cli
