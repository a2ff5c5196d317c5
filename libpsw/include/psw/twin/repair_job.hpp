// A repair job: which opens in which line to weld, where, and with which devices.
//
// Job file (YAML), every length in µm at the edge and SI inside:
//
//   job:
//     name: demo-rdl-repair        # free text
//     wafer_id: DEMO-W01           # reported to the fab host
//     seed: 20261203               # fixes every random stream of the run
//     hal: sim://                  # device URI: sim://, tcp://127.0.0.1:50000, serial://...
//     line: {material: Cu, width_um: 2.0, thickness_um: 2.0}
//     sites:
//       - {id: J1, x_um: 1250.0, y_um: 830.5, gap_um: 3.0, image: images/j1.png}
//
// Each site may override the line's width and thickness. Unknown keys are errors.
#pragma once

#include <psw/core/config.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace psw::twin {

struct LineSpec {
  std::string material = "Cu";
  double width_m = 2e-6;      ///< (0, 1 mm]
  double thickness_m = 2e-6;  ///< (0, 1 mm]
};

struct RepairSite {
  std::string id;
  double x_m = 0.0;     ///< stage position, wafer coordinates
  double y_m = 0.0;
  double gap_m = 0.0;   ///< length of the open along the line, (0, 100 µm]
  LineSpec line;
  std::string image;    ///< microscope image of the defect; empty when none was taken

  /// Volume of metal that fills the open to the line's cross-section: gap × width × thickness.
  double fill_volume_m3() const { return gap_m * line.width_m * line.thickness_m; }
};

struct RepairJob {
  std::string name;
  std::string wafer_id;
  std::uint64_t seed = 0;
  std::string hal_uri = "sim://";
  std::vector<RepairSite> sites;

  /// Reads the `job` section of a job file and rejects unknown keys.
  /// @throws std::invalid_argument naming the file, line, key and bad value.
  static RepairJob from_config(const Config& root);
};

/// What `psw run` did with a job.
struct JobSummary {
  std::size_t sites = 0;
  double total_fill_volume_m3 = 0.0;
  double largest_gap_m = 0.0;
  bool simulated = false;  ///< false while no physics model runs behind the job
  std::string message;     ///< a plain account of what was done and what was not
};

/// The demo job's YAML text (data/jobs/demo.yaml, compiled in).
std::string_view demo_job_yaml();

/// Parses the demo job.
RepairJob demo_job();

/// Runs the job as far as the library can today and says so in the summary.
JobSummary run_job(const RepairJob& job);

}  // namespace psw::twin
