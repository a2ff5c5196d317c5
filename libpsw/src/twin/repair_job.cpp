#include <psw/core/log.hpp>
#include <psw/core/units.hpp>
#include <psw/twin/repair_job.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace psw::embedded {
std::string_view demo_job();
}

namespace psw::twin {
namespace {

constexpr Range kLineDimension_um = Range::open_closed(0.0, 1000.0);
constexpr Range kGap_um = Range::open_closed(0.0, 100.0);
constexpr Range kWaferCoordinate_um = Range::closed(-300000.0, 300000.0);

LineSpec read_line(const Config& c, const LineSpec& fallback) {
  LineSpec line;
  line.material = c.get_string("material", fallback.material);
  line.width_m = c.get_si("width_um", fallback.width_m / units::kMicrometre, kLineDimension_um);
  line.thickness_m =
      c.get_si("thickness_um", fallback.thickness_m / units::kMicrometre, kLineDimension_um);
  return line;
}

}  // namespace

RepairJob RepairJob::from_config(const Config& root) {
  const Config c = root.section("job");
  root.finish();

  RepairJob job;
  job.name = c.get_string("name");
  job.wafer_id = c.get_string("wafer_id", "");
  job.seed = static_cast<std::uint64_t>(c.get_int("seed", 0, Range::closed(0, 9.0e18)));
  job.hal_uri = c.get_string("hal", "sim://");

  LineSpec line;
  if (const auto section = c.optional_section("line")) {
    line = read_line(*section, line);
    section->finish();
  }

  // Sites: each with a unique id, its position, the gap, and optional overrides of the line.
  std::set<std::string> ids;
  for (const Config& s : c.list("sites")) {
    RepairSite site;
    site.id = s.get_string("id");
    if (!ids.insert(site.id).second) throw s.error("duplicate site id '" + site.id + "'");
    site.x_m = s.get_si("x_um", kWaferCoordinate_um);
    site.y_m = s.get_si("y_um", kWaferCoordinate_um);
    site.gap_m = s.get_si("gap_um", kGap_um);
    site.line = read_line(s, line);
    site.image = s.get_string("image", "");
    s.finish();
    job.sites.push_back(std::move(site));
  }
  if (job.sites.empty()) throw c.error("job '" + job.name + "' lists no sites");
  c.finish();
  return job;
}

std::string_view demo_job_yaml() { return embedded::demo_job(); }

RepairJob demo_job() {
  return RepairJob::from_config(Config::parse(demo_job_yaml(), "<built-in demo job>"));
}

JobSummary run_job(const RepairJob& job) {
  JobSummary summary;
  summary.sites = job.sites.size();
  for (const RepairSite& site : job.sites) {
    summary.total_fill_volume_m3 += site.fill_volume_m3();
    summary.largest_gap_m = std::max(summary.largest_gap_m, site.gap_m);
  }
  log::telemetry(log::Level::info, "job_validated",
                 {{"job", job.name}, {"sites", summary.sites},
                  {"fill_volume_um3", summary.total_fill_volume_m3 / 1e-18}});

  // The weld cell (DESIGN.md section 3) replaces this account once it exists; until then
  // `psw run` validates the job, plans volumes, and says so.
  summary.simulated = false;
  summary.message =
      "validated the job and computed the metal volume each open needs; no joint was welded: "
      "the weld cell that runs deposition, sintering and stage motion per joint is not built "
      "yet (the models it will drive run on their own: psw electrospray, psw sinter, psw stage, "
      "psw ttm)";
  return summary;
}

}  // namespace psw::twin
