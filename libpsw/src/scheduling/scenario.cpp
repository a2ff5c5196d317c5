#include <stdexcept>
#include <string>

#include <psw/core/error.hpp>
#include <psw/core/rng.hpp>
#include <psw/scheduling/scenario.hpp>

namespace psw::embedded {
std::string_view default_scheduling_scenario();
}

namespace psw::scheduling {

void CellModel::validate() const {
  require_in_range("cell.stage_speed_m_per_s", stage_speed_m_per_s, Range::open_closed(0, 1));
  require_in_range("cell.stage_settle_s", stage_settle_s, Range::closed(0, 60));
  require_in_range("cell.deposition_overhead_s", deposition_overhead_s, Range::closed(0, 3600));
  require_in_range("cell.deposition_rate_m3_per_s", deposition_rate_m3_per_s, Range::positive());
  require_in_range("cell.verify_s", verify_s, Range::closed(0, 3600));
  require_in_range("cell.reheat_s", reheat_s, Range::closed(0, 3600));
  require_in_range("cell.boost_speedup", boost_speedup, Range::closed(1, 10));
  require_in_range("cell.sintering_positions", sintering_positions, Range::closed(1, 2));
}

namespace {

constexpr double kUm3 = 1e-18;  // m³ per µm³
constexpr double kMm = 1e-3;
constexpr Range kDuration_s = Range::closed(0.0, 3600.0);
constexpr Range kVolume_um3 = Range::open_closed(0.0, 1e6);
constexpr Range kCoordinate_um = Range::closed(-300000.0, 300000.0);

CellModel read_cell(const Config& c, const ScenarioModels& models) {
  CellModel cell;
  cell.stage_speed_m_per_s =
      c.get_double("stage_speed_mm_per_s", 20.0, Range::open_closed(0.0, 1000.0)) * kMm;

  // The settle time: a figure, or the stage model's settle time for a stage case.
  if (c.has("stage")) {
    if (c.has("stage_settle_s")) {
      throw c.error("give either " + c.child_path("stage_settle_s") + " or " +
                    c.child_path("stage") + ", not both");
    }
    if (!models.stage_settle) {
      throw c.error(c.child_path("stage") +
                    ": the stage model is not available to this reader (psw schedule and "
                    "psw.scheduling provide it)");
    }
    c.accept("stage");
    cell.stage_settle_s = models.stage_settle(c.child("stage"));
    if (!(cell.stage_settle_s >= 0.0 && cell.stage_settle_s <= 60.0)) {
      throw c.error(c.child_path("stage") + " gives a settle time of " +
                    format_number(cell.stage_settle_s) + " s, outside [0, 60]");
    }
  } else {
    cell.stage_settle_s = c.get_si("stage_settle_s", 0.2, Range::closed(0.0, 60.0));
  }
  cell.deposition_overhead_s = c.get_si("deposition_overhead_s", 5.0, kDuration_s);
  cell.deposition_rate_m3_per_s =
      c.get_double("deposition_rate_um3_per_s", 1.5, Range::open_closed(0.0, 1e9)) * kUm3;
  cell.verify_s = c.get_si("verify_s", 3.0, kDuration_s);
  cell.reheat_s = c.get_si("reheat_s", 4.0, kDuration_s);
  cell.boost_speedup = c.get_double("boost_speedup", 1.25, Range::closed(1.0, 10.0));
  cell.sintering_positions =
      static_cast<int>(c.get_int("sintering_positions", 1, Range::closed(1, 2)));
  c.finish();
  return cell;
}

void read_sintering(const Config& c, Scenario& s, const ScenarioModels& models) {
  s.drift_per_joint = c.get_double("drift_per_joint", 0.0, Range::open_closed(-0.5, 0.5));

  // A model from another module, by name; `lognormal` (the default) is this module's own.
  const std::string model = c.get_string("model", "lognormal");
  if (model != "lognormal") {
    const auto it = models.sintering.find(model);
    if (it == models.sintering.end()) {
      std::string accepted = "lognormal";
      for (const auto& entry : models.sintering) accepted += ", " + entry.first;
      throw c.error(c.child_path("model") + " = '" + model +
                    "' is not a known model; accepted: " + accepted);
    }
    s.sintering = it->second(c);
    c.finish();
    return;
  }

  const double median = c.get_si("median_s", Range::open_closed(0.0, 1e6));
  const double p99 = c.get_si("p99_s", Range::open_closed(0.0, 1e6));
  if (!(p99 > median)) {
    throw c.error(c.child_path("p99_s") + " = " + format_number(p99) + " must exceed " +
                  c.child_path("median_s") + " = " + format_number(median) +
                  " (a P99 below the median is no distribution)");
  }
  const double reference = c.get_double("reference_volume_um3", 20.0, kVolume_um3) * kUm3;
  const double exponent = c.get_double("volume_exponent", 1.0 / 3.0, Range::closed(0.0, 3.0));
  c.finish();
  s.sintering = std::make_shared<LognormalSinteringTime>(median, p99, reference, exponent);
}

// A pair [a, b] with lo ≤ a ≤ b ≤ hi, scaled to SI.
std::pair<double, double> read_pair(const Config& c, std::string_view key, double scale,
                                    const Range& range, bool ordered) {
  const std::vector<double> v = c.get_doubles(key, range);
  if (v.size() != 2) {
    throw c.error(c.child_path(key) + " needs two numbers, got " + std::to_string(v.size()));
  }
  if (ordered && v[1] < v[0]) {
    throw c.error(c.child_path(key) + " = [" + format_number(v[0]) + ", " + format_number(v[1]) +
                  "] must be [low, high]");
  }
  return {v[0] * scale, v[1] * scale};
}

LotSpec read_lots(const Config& c) {
  LotSpec lots;
  if (c.has("sites")) {
    if (c.has("joints"))
      throw c.error("give either " + c.child_path("joints") + " or " + c.child_path("sites") +
                    ", not both");
    for (const Config& site : c.list("sites")) {
      Joint j;
      j.x_m = site.get_si("x_um", kCoordinate_um);
      j.y_m = site.get_si("y_um", kCoordinate_um);
      j.volume_m3 = site.get_double("volume_um3", kVolume_um3) * kUm3;
      j.priority = static_cast<int>(site.get_int("priority", 0, Range::closed(0, 1000)));
      site.finish();
      lots.sites.push_back(j);
    }
    if (lots.sites.empty()) throw c.error(c.child_path("sites") + " lists no joints");
    lots.joints = lots.sites.size();
  } else {
    lots.joints = static_cast<std::size_t>(c.get_int("joints", Range::closed(1, 100000)));
    const auto field = read_pair(c, "field_mm", kMm, Range::closed(0.0, 300.0), false);
    lots.field_x_m = field.first, lots.field_y_m = field.second;
    const auto volume = read_pair(c, "volume_um3", kUm3, kVolume_um3, true);
    lots.volume_min_m3 = volume.first, lots.volume_max_m3 = volume.second;
    lots.high_priority_fraction =
        c.get_double("high_priority_fraction", 0.0, Range::closed(0.0, 1.0));
  }
  c.finish();
  return lots;
}

void read_policies(const Config& c, PolicyParameters& p) {
  if (auto s = c.optional_section("fifo_abort")) {
    p.abort_timeout_s = s->get_si("timeout_s", p.abort_timeout_s, Range::open_closed(0, 1e6));
    s->finish();
  }
  if (auto s = c.optional_section("fifo_wait")) s->finish();
  if (auto s = c.optional_section("quantile")) {
    p.quantile = s->get_double("quantile", p.quantile, Range::open(0.0, 1.0));
    p.quantile_window =
        static_cast<int>(s->get_int("window", p.quantile_window, Range::closed(1, 10000)));
    s->finish();
  }
  if (auto s = c.optional_section("park_resume")) {
    p.park_quantile = s->get_double("park_quantile", p.park_quantile, Range::open(0.0, 1.0));
    s->finish();
  }
  if (auto s = c.optional_section("buffer_aware")) {
    p.yellow_fraction = s->get_double("yellow_fraction", p.yellow_fraction, Range::open(0.0, 10.0));
    p.red_fraction =
        s->get_double("red_fraction", p.red_fraction, Range::open(p.yellow_fraction, 10.0));
    p.yellow_park_quantile =
        s->get_double("park_quantile", p.yellow_park_quantile, Range::open(0.0, 1.0));
    p.check_lead_s = s->get_si("check_lead_s", p.check_lead_s, Range::closed(0.0, 3600.0));
    s->finish();
  }
  c.finish();
}

}  // namespace

Scenario Scenario::from_config(const Config& root, const ScenarioModels& models) {
  const Config c = root.section("scenario");
  root.finish();

  Scenario s;
  s.name = c.get_string("name", "scenario");
  s.seed = static_cast<std::uint64_t>(c.get_int("seed", 0, Range::closed(0, 9.0e18)));
  if (auto cell = c.optional_section("cell")) s.cell = read_cell(*cell, models);
  read_sintering(c.section("sintering"), s, models);
  s.lots = read_lots(c.section("lots"));
  if (auto plan = c.optional_section("plan")) {
    s.buffer_fraction = plan->get_double("buffer_fraction", 0.10, Range::closed(0.0, 10.0));
    s.plan_quantile = plan->get_double("quantile", 0.5, Range::open(0.0, 1.0));
    if (plan->has("lot_deadline_s")) {
      s.lot_deadline_s = plan->get_si("lot_deadline_s", Range::open_closed(0.0, 1e9));
    }
    plan->finish();
  }
  if (auto pred = c.optional_section("predictor")) {
    s.prior_weight = pred->get_double("prior_weight", 20.0, Range::closed(0.0, 1e9));
    s.forgetting = pred->get_double("forgetting", 0.0, Range::closed_open(0.0, 1.0));
    pred->finish();
  }
  if (auto policies = c.optional_section("policies")) read_policies(*policies, s.policy);
  if (auto mc = c.optional_section("monte_carlo")) {
    s.monte_carlo_lots = static_cast<std::size_t>(mc->get_int("lots", 1000, Range::closed(1, 1e7)));
    s.monte_carlo_threads = static_cast<int>(mc->get_int("threads", 1, Range::closed(1, 256)));
    mc->finish();
  }
  c.finish();
  return s;
}

Lot Scenario::make_lot(std::uint64_t lot_index) const {
  const RngStream lot_rng = RngStream(seed).substream(lot_index);
  Lot lot;

  // Layout: the fixed sites, or positions, volumes and priorities drawn from substream 0.
  if (!lots.sites.empty()) {
    lot.joints = lots.sites;
  } else {
    RngStream layout = lot_rng.substream(0);
    lot.joints.resize(lots.joints);
    for (Joint& j : lot.joints) {
      j.x_m = layout.uniform(0.0, lots.field_x_m);
      j.y_m = layout.uniform(0.0, lots.field_y_m);
      j.volume_m3 = layout.uniform(lots.volume_min_m3, lots.volume_max_m3);
      j.priority = layout.uniform() < lots.high_priority_fraction ? 1 : 0;
    }
  }

  // Truth: each joint's sintering work from the sintering-time model, substream 1.
  RngStream times = lot_rng.substream(1);
  for (Joint& j : lot.joints) j.sinter_work_s = sintering->sample_s(j.volume_m3, times);
  return lot;
}

SinteringPredictor Scenario::make_predictor() const {
  return SinteringPredictor(sintering, prior_weight, forgetting);
}

std::string_view default_scenario_yaml() { return embedded::default_scheduling_scenario(); }

Scenario default_scenario() {
  return Scenario::from_config(
      Config::parse(default_scenario_yaml(), "<built-in default scenario>"));
}

}  // namespace psw::scheduling
