#include <psw/stage/stage_config.hpp>

#include <psw/core/error.hpp>

#include <algorithm>
#include <cmath>

namespace psw::stage {
namespace {

// A key in a unit get_si() does not know: read in the key's unit, scaled to SI here.
double get_scaled(const Config& c, std::string_view key, double scale, const Range& range) {
  return c.get_double(key, range) * scale;
}
double get_scaled(const Config& c, std::string_view key, double fallback, double scale,
                  const Range& range) {
  return c.get_double(key, fallback, range) * scale;
}

FlexureParams flexure_from(const Config& c) {
  FlexureParams f;
  f.stiffness_N_per_m = c.get_si("stiffness_N_per_m", Range::open_closed(0, 1e10));
  f.effective_mass_kg = c.get_si("effective_mass_g", Range::open_closed(0, 1e5));
  f.payload_mass_kg = c.get_si("payload_mass_g", 0.0, Range::closed(0, 1e5));
  f.damping_ratio = c.get_double("damping_ratio", Range::open_closed(0, 2));
  for (const Config& m : c.list("higher_modes")) {
    f.higher_modes.push_back({m.get_si("frequency_Hz", Range::open_closed(0, 1e6)),
                              m.get_double("damping_ratio", Range::open_closed(0, 2)),
                              m.get_double("share", Range::open(0, 1))});
    m.finish();
  }
  c.finish();
  return f;
}

CreepParams creep_from(const Config& c) {
  CreepParams p;
  p.gamma_per_decade = c.get_double("gamma_per_decade", Range::closed(0, 0.1));
  p.reference_time_s = c.get_si("reference_time_s", 0.1, Range::open_closed(0, 10));
  p.shortest_s = c.get_si("shortest_ms", 10.0, Range::open_closed(0, 1e6));
  p.longest_s = c.get_si("longest_s", 1e4, Range::open_closed(0, 1e7));
  p.per_decade = static_cast<int>(c.get_int("per_decade", 3, Range::closed(1, 10)));
  c.finish();
  return p;
}

void hysteresis_from(const Config& c, AxisParams& a) {
  const std::string model = c.get_choice("model", {"none", "bouc_wen", "prandtl_ishlinskii"});
  if (model == "bouc_wen") {
    a.hysteresis = HysteresisKind::bouc_wen;
    a.bouc_wen.alpha = c.get_double("alpha", Range::open_closed(0, 1));
    a.bouc_wen.beta_per_V = c.get_double("beta_per_V");
    a.bouc_wen.gamma_per_V = c.get_double("gamma_per_V");
    try {
      a.bouc_wen.validate();
    } catch (const std::invalid_argument& e) {
      throw c.error(e.what());
    }
  } else if (model == "prandtl_ishlinskii") {
    a.hysteresis = HysteresisKind::prandtl_ishlinskii;
    a.prandtl_ishlinskii.thresholds_V = c.get_doubles("thresholds_V", Range::closed(0, 1e4));
    a.prandtl_ishlinskii.weights = c.get_doubles("weights");
    try {
      a.prandtl_ishlinskii.validate();
    } catch (const std::invalid_argument& e) {
      throw c.error(e.what());
    }
  }
  c.finish();
}

// `first_resonance_Hz`: the loaded first resonance; the servo must sample it (rate > 2·f₁).
ServoParams servo_from(const Config& c, double first_resonance_Hz) {
  ServoParams s;
  s.rate_Hz =
      c.get_si("rate_kHz", Range::open_closed(std::max(1.0, 2e-3 * first_resonance_Hz), 100));
  s.integral_crossover_Hz = c.get_si("integral_crossover_Hz", Range::open_closed(0, 1e4));
  s.proportional_gain = c.get_double("proportional_gain", 0.0, Range::closed(0, 10));
  s.derivative_time_s = c.get_si("derivative_time_us", 0.0, Range::closed(0, 1e4));
  if (const auto notch = c.optional_section("notch")) {
    s.notch_enabled = notch->get_bool("enabled", true);
    s.notch_frequency_Hz = notch->get_si("frequency_Hz", 0.0, Range::closed_open(0, 1e6));
    s.notch_zero_damping = notch->get_double("zero_damping", 0.0, Range::closed(0, 2));
    s.notch_pole_damping = notch->get_double("pole_damping", 0.7, Range::open_closed(0, 2));
    notch->finish();
  } else {
    s.notch_enabled = false;
  }
  if (const auto irc = c.optional_section("irc")) {
    s.irc_enabled = irc->get_bool("enabled", true);
    s.irc_feedthrough = irc->get_double("feedthrough", -1.5, Range::closed(-10, -1.05));
    s.irc_gain_per_s = irc->get_double("gain_per_s", 0.0, Range::closed(0, 1e8));
    irc->finish();
    if (s.irc_enabled && s.notch_enabled) {
      throw irc->error("servo: give either a notch or irc, not both");
    }
  }
  s.slew_rate_m_per_s = get_scaled(c, "slew_rate_mm_per_s", 1e-3, Range::open_closed(0, 1e4));
  s.window_m = c.get_si("window_nm", Range::open_closed(0, 1e6));
  s.settle_time_s = c.get_si("settle_time_ms", Range::closed(0, 1e4));
  c.finish();
  return s;
}

}  // namespace

AxisParams axis_from_config(const Config& c, const std::string& name) {
  AxisParams a;
  a.name = name;
  a.travel_m = c.get_si("travel_um", Range::open_closed(0, 1e5));
  a.gain_m_per_V = get_scaled(c, "gain_um_per_V", 1e-6, Range::open_closed(0, 1e3));
  a.flexure = flexure_from(c.section("flexure"));
  a.creep = c.has("creep") ? creep_from(c.section("creep")) : CreepParams{};
  if (c.has("hysteresis")) hysteresis_from(c.section("hysteresis"), a);

  const Config amp = c.section("amplifier");
  a.amplifier.min_V = amp.get_si("min_V", Range::closed(-1e4, 1e4));
  a.amplifier.max_V = amp.get_si("max_V", Range::open_closed(a.amplifier.min_V, 1e4));
  a.amplifier.dac_bits = static_cast<int>(amp.get_int("dac_bits", Range::closed(8, 32)));
  amp.finish();

  const Config sensor = c.section("sensor");
  a.sensor.range_m = sensor.get_si("range_um", Range::open_closed(0, 1e5));
  a.sensor.adc_bits = static_cast<int>(sensor.get_int("adc_bits", Range::closed(8, 32)));
  a.sensor.noise_density_m_per_rtHz =
      get_scaled(sensor, "noise_density_pm_per_rtHz", 1e-12, Range::closed(0, 1e6));
  a.sensor.noise_shape.corner_Hz = sensor.get_si("noise_corner_Hz", 0.0, Range::closed(0, 1e6));
  a.sensor.noise_shape.flicker_min_Hz =
      sensor.get_si("flicker_min_Hz", 1e-3, Range::open_closed(0, 1e6));
  a.sensor.noise_shape.bandwidth_Hz =
      sensor.get_si("noise_bandwidth_Hz", 0.0, Range::closed(0, 1e7));
  sensor.finish();

  if (const auto drift = c.optional_section("drift")) {
    a.drift.loop_length_m = drift->get_si("loop_length_mm", Range::closed(0, 1000));
    a.drift.expansion_per_K =
        get_scaled(*drift, "expansion_ppm_per_K", 1e-6, Range::closed(0, 1e3));
    a.drift.temperature_rate_K_per_s = get_scaled(*drift, "temperature_rate_mK_per_min", 0.0,
                                                  1e-3 / 60.0, Range::closed(-6e4, 6e4));
    drift->finish();
  }
  a.servo = servo_from(c.section("servo"), a.flexure.loaded_resonance_Hz());
  c.finish();

  // Cross-field checks (servo against plant, stroke against travel), located at this axis.
  try {
    a.validate();
  } catch (const std::invalid_argument& e) {
    throw c.error(e.what());
  }
  return a;
}

XyzParams stage_from_config(const Config& c) {
  XyzParams p;
  p.name = c.get_string("name");
  c.get_string("description", "");
  const Config axes = c.section("axes");
  for (const std::string& name : axes.keys()) {
    if (name != "x" && name != "y" && name != "z") {
      throw axes.error("stage.axes." + name + ": axes are named x, y or z");
    }
    p.axes.push_back(axis_from_config(axes.section(name), name));
  }
  axes.finish();
  require(!p.axes.empty() && p.axes.size() <= 3, c.location() + ": stage.axes: 1 to 3 axes");

  const std::vector<Config> rows = c.list("cross_coupling");
  if (!rows.empty()) {
    const auto n = static_cast<Eigen::Index>(p.axes.size());
    if (static_cast<Eigen::Index>(rows.size()) != n) {
      throw c.error("stage.cross_coupling has " + std::to_string(rows.size()) + " rows for " +
                    std::to_string(n) + " axes");
    }
    p.coupling = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Config& row = rows[static_cast<std::size_t>(i)];
      if (!row.is_sequence() || static_cast<Eigen::Index>(row.size()) != n) {
        throw row.error("stage.cross_coupling rows must hold " + std::to_string(n) + " numbers");
      }
      for (Eigen::Index j = 0; j < n; ++j) {
        p.coupling(i, j) = row.item(static_cast<std::size_t>(j))
                               .as_double(i == j ? Range::closed(0, 0) : Range::closed(-0.1, 0.1));
      }
    }
  }
  c.finish();
  p.validate();
  return p;
}

XyzParams load_stage_file(const std::filesystem::path& path) {
  const Config root = Config::load_file(path);
  XyzParams p = stage_from_config(root.section("stage"));
  root.finish();
  return p;
}

}  // namespace psw::stage
