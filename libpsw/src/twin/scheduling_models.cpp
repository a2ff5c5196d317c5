#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <psw/core/error.hpp>
#include <psw/sintering/sinter_case.hpp>
#include <psw/stage/stage_case.hpp>
#include <psw/twin/scheduling_models.hpp>

namespace psw::twin {

namespace {

// `key` of `c` as a file (relative to c's file) or an inline map.
Config case_node(const Config& c, std::string_view key) {
  c.accept(key);
  const Config node = c.child(key);
  if (node.is_map()) return node;
  if (!node.is_scalar()) {
    throw node.error(c.child_path(key) + " must be a case file name or an inline map");
  }
  std::filesystem::path path = c.get_string(key);
  if (path.is_relative()) path = std::filesystem::path(c.source()).parent_path() / path;
  try {
    return Config::load_file(path.lexically_normal());
  } catch (const std::invalid_argument& e) {
    throw node.error(c.child_path(key) + ": " + e.what());
  }
}

// Four significant digits, for describe().
std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

VolumeScatterSinteringTime::VolumeScatterSinteringTime(
    sintering::SinteringTimeDistribution distribution, std::string source)
    : distribution_(std::move(distribution)), source_(std::move(source)) {}

double VolumeScatterSinteringTime::sample_s(double volume_m3, RngStream& rng) const {
  // The deposited volume scatters about the planned one as the case's volumes about V_med.
  const double deposited = volume_m3 * std::exp(distribution_.volume().sigma_ln * rng.normal());
  return distribution_.law().time_s(deposited);
}

scheduling::LogNormal VolumeScatterSinteringTime::predicted(double volume_m3) const {
  // ln T ~ N(ln t(V), (β·σ_V)²).
  return {std::log(distribution_.law().time_s(volume_m3)), distribution_.sigma_ln_time()};
}

std::string VolumeScatterSinteringTime::describe() const {
  const auto& law = distribution_.law();
  const auto& volume = distribution_.volume();
  return "sintering module (" + source_ + "): t = " + short_number(law.reference_time_s) +
         " s x (V/" + short_number(law.reference_volume_m3 * 1e18) + " um^3)^" +
         short_number(law.volume_exponent) + ", volume scatter sigma_ln " +
         short_number(volume.sigma_ln) + "; at " + short_number(volume.median_m3 * 1e18) +
         " um^3 median " + short_number(distribution_.median_s()) + " s, P99 " +
         short_number(distribution_.quantile_s(0.99)) + " s";
}

std::shared_ptr<const scheduling::SinteringTimeModel> sintering_time_from_config(const Config& c) {
  c.accept("model");
  if (!c.has("case")) {
    throw c.error(c.child_path("case") +
                  " is missing: model: sintering needs a sinter case (a file or an inline "
                  "map with its sinter: section)");
  }
  const Config root = case_node(c, "case");
  c.finish();

  // The sintering module's own case and report: the law and the volume distribution.
  const sintering::SinterCase sinter = sintering::SinterCase::from_config(root);
  if (!sinter.statistics) {
    throw c.error(c.child_path("case") + " (" + root.source() +
                  ") has no sinter.statistics section: the scheduler needs its volume-time "
                  "statistics");
  }
  const sintering::SinterReport report = sintering::run_sinter_case(sinter);
  const sintering::StatisticsSummary& st = *report.statistics;
  return std::make_shared<VolumeScatterSinteringTime>(
      sintering::SinteringTimeDistribution(st.volume, st.law), root.source());
}

double stage_settle_from_config(const Config& c) {
  if (!c.is_map()) throw c.error(c.key_path() + " must be a map: {case: FILE, settle: on_target}");
  if (!c.has("case")) throw c.error(c.child_path("case") + " is missing: give a stage step case");
  const std::string figure = c.get_choice("settle", "on_target", {"on_target", "window"});
  const Config root = case_node(c, "case");
  c.finish();

  // The stage module's own step response for that case.
  const stage::StageCaseResult result = stage::run_stage_case(root);
  if (!result.step) {
    throw c.error(c.child_path("case") + " (" + root.source() + ") is a '" + result.analysis +
                  "' case; the settle time needs a 'step' case");
  }
  const double t =
      figure == "on_target" ? result.step->on_target_time_s : result.step->metrics.settling_time_s;
  if (!std::isfinite(t)) {
    throw c.error(c.child_path("case") + " (" + root.source() + "): the step never " +
                  (figure == "on_target" ? "reads on target" : "settles inside the window") +
                  " within its duration; lengthen step.duration_ms");
  }
  return t;
}

scheduling::ScenarioModels scheduling_models() {
  scheduling::ScenarioModels models;
  models.sintering["sintering"] = sintering_time_from_config;
  models.stage_settle = stage_settle_from_config;
  return models;
}

}  // namespace psw::twin
