#include <psw/stage/stage_case.hpp>

#include <psw/core/error.hpp>
#include <psw/stage/stage_config.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace psw::stage {
namespace {

template <typename... Args>
std::string line(const char* format, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return buffer;
}

// `stage:` as a path (relative to the case file) or an inline map.
XyzParams stage_of(const Config& root) {
  root.accept("stage");
  const Config node = root.child("stage");
  if (node.is_map()) return stage_from_config(node);
  std::filesystem::path path = root.get_string("stage");
  if (path.is_relative()) path = std::filesystem::path(root.source()).parent_path() / path;
  return load_stage_file(path);
}

ErrorTerm error_term(const Config& c, std::string_view sigma_key, std::string_view half_key,
                     double scale) {
  ErrorTerm t;
  const std::string kind = c.get_choice("distribution", "gaussian", {"gaussian", "uniform"});
  t.distribution = kind == "uniform" ? ErrorDistribution::uniform : ErrorDistribution::gaussian;
  t.scale = scale * c.get_double(kind == "uniform" ? half_key : sigma_key, Range::closed(0, 1e6));
  c.finish();
  return t;
}

void run_step(const Config& c, StageCaseResult& r, std::uint64_t seed) {
  r.axis = c.get_string("axis", "x");
  const AxisParams& a = r.stage.axes[r.stage.axis_index(r.axis)];
  const double travel_um = a.travel_m * 1e6;
  const double start = c.get_si("start_um", Range::closed(0, travel_um));
  const double size = c.get_si("size_um", Range::closed(-travel_um, travel_um));
  const double duration = c.get_si("duration_ms", 20.0, Range::open_closed(0, 1e5));
  const double hold = c.get_si("hold_ms", 10.0, Range::closed(0, 1e5));
  c.finish();
  if (size == 0.0 || start + size < 0.0 || start + size > a.travel_m) {
    throw c.error("step.size_um = " + format_number(size * 1e6) + " must be non-zero and keep " +
                  "start_um + size_um inside [0, " + format_number(travel_um) + "]");
  }
  r.step = step_response(a, start, size, duration, hold, seed);
  const StepMetrics& m = r.step->metrics;
  r.summary.push_back(
      line("step %s: %.4g um -> %.4g um", r.axis.c_str(), start * 1e6, (start + size) * 1e6));
  r.summary.push_back(line("  rise 10-90%%   %.4g ms", m.rise_time_s * 1e3));
  r.summary.push_back(
      line("  overshoot     %.3g %%  (peak at %.4g ms)", m.overshoot * 100, m.peak_time_s * 1e3));
  r.summary.push_back(line("  settled       %s at %.4g ms (window +-%.4g nm)",
                           m.settled ? "yes" : "no", m.settling_time_s * 1e3,
                           a.servo.window_m * 1e9));
  r.summary.push_back(line("  ONT? true at  %.4g ms (settle time %.4g ms)",
                           r.step->on_target_time_s * 1e3, a.servo.settle_time_s * 1e3));
  r.summary.push_back(line("  final error   %.4g nm", m.final_error_m * 1e9));
}

void run_bode(const Config& c, StageCaseResult& r) {
  r.axis = c.get_string("axis", "x");
  const AxisParams& a = r.stage.axes[r.stage.axis_index(r.axis)];
  const double f_min = c.get_si("f_min_Hz", 1.0, Range::open(0, 1e6));
  const double f_max =
      c.get_si("f_max_Hz", a.servo.rate_Hz * 0.45, Range::open(f_min, a.servo.rate_Hz / 2));
  const int points = static_cast<int>(c.get_int("points", 200, Range::closed(2, 100000)));
  c.finish();
  r.bode = bode(a, f_min, f_max, points);
  r.summary.push_back(
      line("bode %s: %d points, %.4g-%.4g Hz", r.axis.c_str(), points, f_min, f_max));
  r.summary.push_back(line("  first resonance (loaded) %.4g Hz", a.flexure.loaded_resonance_Hz()));
  r.summary.push_back(line("  closed-loop -3 dB        %.4g Hz", r.bode->bandwidth_Hz));
  r.summary.push_back(line("  closed-loop peak         %.3g dB", r.bode->peak_dB));
  r.summary.push_back(line("  loop spectral radius     %.9f", closed_loop_spectral_radius(a)));
}

void run_moves(const Config& c, StageCaseResult& r, std::uint64_t seed) {
  const double timeout = c.get_si("timeout_ms", 100.0, Range::open_closed(0, 1e5));
  const double dwell = c.get_si("dwell_ms", 1.0, Range::closed(0, 1e5));
  const std::vector<Config> targets = c.list("targets_um");
  if (targets.empty()) throw c.error("moves.targets_um: give at least one target");
  std::vector<std::vector<double>> points;
  for (const Config& t : targets) {
    if (!t.is_sequence() || t.size() != r.stage.axes.size()) {
      throw t.error("moves.targets_um: each target lists " + std::to_string(r.stage.axes.size()) +
                    " positions (one per axis)");
    }
    std::vector<double> p;
    for (std::size_t i = 0; i < t.size(); ++i) {
      p.push_back(1e-6 * t.item(i).as_double(Range::closed(0, r.stage.axes[i].travel_m * 1e6)));
    }
    points.push_back(p);
  }
  c.finish();

  XyzStage stage(r.stage, seed);
  stage.set_servo(true);
  r.summary.push_back(line("moves on %s: %zu target(s)", r.stage.name.c_str(), points.size()));
  for (const auto& p : points) {
    // Command, wait for ONT? on every axis (or the timeout), dwell, read the errors.
    MoveRecord m;
    m.target_m = p;
    stage.move_to(p);
    const double start = stage.time_s();
    while (!stage.on_target() && stage.time_s() - start < timeout) stage.tick();
    m.reached = stage.on_target();
    m.on_target_time_s = stage.time_s() - start;
    stage.step(dwell);
    std::string errors;
    for (std::size_t i = 0; i < stage.size(); ++i) {
      m.error_m.push_back(stage.axis(i).position_m() - p[i]);
      errors += line(" %s %+.3g", r.stage.axes[i].name.c_str(), m.error_m.back() * 1e9);
    }
    r.summary.push_back(line("  %s in %.4g ms; error (nm):", m.reached ? "on target" : "TIMEOUT",
                             m.on_target_time_s * 1e3) +
                        errors);
    r.moves.push_back(m);
  }
}

void run_placement(const Config& c, StageCaseResult& r, std::uint64_t seed) {
  r.axis = c.get_string("axis", "x");
  const AxisParams& a = r.stage.axes[r.stage.axis_index(r.axis)];
  PlacementBudget b;
  b.seed = seed;
  const Config stage_error = c.section("stage_error");
  if (stage_error.has("simulate_moves")) {
    const int moves =
        static_cast<int>(stage_error.get_int("simulate_moves", Range::closed(1, 1e5)));
    const double dwell = stage_error.get_si("dwell_ms", 1.0, Range::closed(0, 1e4));
    stage_error.finish();
    b.stage_samples_m = settled_stage_errors(a, moves, dwell, seed);
  } else {
    b.stage_m = error_term(stage_error, "sigma_nm", "half_width_nm", 1e-9);
  }
  b.drift_rate_m_per_s =
      error_term(c.section("drift_rate"), "sigma_nm_per_s", "half_width_nm_per_s", 1e-9);
  b.deposition_time_s = c.get_si("deposition_time_s", Range::closed(0, 1e5));
  if (const auto landing = c.optional_section("landing_scatter")) {
    b.landing_m = error_term(*landing, "sigma_nm", "half_width_nm", 1e-9);
  }
  b.tolerance_m = c.get_si("tolerance_nm", 50.0, Range::open_closed(0, 1e6));
  b.samples = static_cast<int>(c.get_int("samples", 100000, Range::closed(100, 1e8)));
  c.finish();

  r.placement = placement_monte_carlo(b);
  const PlacementResult& p = *r.placement;
  const double tol_nm = b.tolerance_m * 1e9;
  r.summary.push_back(line("placement on %s (axis %s): %d samples, seed %llu", r.stage.name.c_str(),
                           r.axis.c_str(), p.samples, static_cast<unsigned long long>(seed)));
  if (!b.stage_samples_m.empty()) {
    r.summary.push_back(line("  stage error from %zu simulated moves", b.stage_samples_m.size()));
  }
  r.summary.push_back(line("  1 sigma per axis        %.4g nm (analytic %.4g nm)", p.sigma_m * 1e9,
                           p.analytic_sigma_m * 1e9));
  r.summary.push_back(
      line("  P(|e_x| <= %.4g nm)      %.4f%s", tol_nm, p.p_within_axis,
           p.all_gaussian ? line(" (analytic %.4f)", p.analytic_p_axis).c_str() : ""));
  r.summary.push_back(
      line("  P(|e| <= %.4g nm) in XY  %.4f%s", tol_nm, p.p_within_radius,
           p.all_gaussian ? line(" (analytic %.4f)", p.analytic_p_radius).c_str() : ""));
}

}  // namespace

StageCaseResult run_stage_case(const Config& root) {
  StageCaseResult r;
  r.stage = stage_of(root);
  const auto seed = static_cast<std::uint64_t>(root.get_int("seed", 1, Range::closed(0, 9e15)));

  // Exactly one analysis section.
  int count = 0;
  for (const char* kind : {"step", "bode", "moves", "placement"}) {
    if (root.has(kind)) {
      ++count;
      r.analysis = kind;
    }
  }
  if (count != 1) {
    throw root.error("a stage case holds exactly one of step, bode, moves, placement (found " +
                     std::to_string(count) + ")");
  }
  const Config section = root.section(r.analysis);
  if (r.analysis == "step") run_step(section, r, seed);
  if (r.analysis == "bode") run_bode(section, r);
  if (r.analysis == "moves") run_moves(section, r, seed);
  if (r.analysis == "placement") run_placement(section, r, seed);
  root.finish();
  return r;
}

}  // namespace psw::stage
