#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <utility>

#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/core/units.hpp>
#include <psw/electrospray/electrospray_case.hpp>

namespace psw::electrospray {
namespace {

constexpr double kDegree = constants::kPi / 180.0;

// Exactly one of `keys` (alternative units of one quantity), read in SI.
double read_one_of(const Config& c,
                   std::initializer_list<std::pair<std::string_view, Range>> keys) {
  std::string names;
  for (const auto& entry : keys) names += (names.empty() ? "" : ", ") + std::string(entry.first);
  std::optional<double> value;
  for (const auto& [key, range] : keys) {
    c.accept(key);
    if (!c.has(key)) continue;
    if (value) throw c.child(key).error("give only one of " + names + "; found two");
    value = c.get_si(key, range);
  }
  if (!value) throw c.error("missing one of " + names + " in '" + c.key_path() + "'");
  return *value;
}

EmitterGeometry read_emitter(const Config& c, EmitterShape& shape) {
  shape = parse_emitter_shape(
      c.get_choice("shape", "hyperboloid", {"uniform", "point", "hyperboloid"}));
  EmitterGeometry e;
  e.radius_m = c.get_si("radius_um", Range::open_closed(0.0, 1000.0));
  e.gap_m = c.get_si("gap_um", Range::open_closed(0.0, 1e6));
  c.finish();
  if (!(e.gap_m > 2.0 * e.radius_m)) {
    throw c.error(
        out_of_range_message(c.child_path("gap_um"), e.gap_m / units::kMicrometre,
                             Range::open_closed(2.0 * e.radius_m / units::kMicrometre, 1e6)) +
        " (the gap must exceed two emitter radii)");
  }
  return e;
}

WindowOptions read_window(const Config& c) {
  WindowOptions w;
  w.multijet_voltage_ratio =
      c.get_double("multijet_voltage_ratio", w.multijet_voltage_ratio, Range::open_closed(1, 10));
  w.min_flow_factor =
      c.get_double("min_flow_factor", w.min_flow_factor, Range::open_closed(0, 100));
  w.check_corona = c.get_bool("check_corona", w.check_corona);
  c.finish();
  return w;
}

Gas read_gas(const Config& c) {
  Gas g;
  g.temperature_K = c.get_si("temperature_K", g.temperature_K, Range::open_closed(0, 2000));
  g.pressure_Pa = c.get_si("pressure_Pa", g.pressure_Pa, Range::open_closed(0, 1e7));
  g.viscosity_Pa_s = c.get_si("viscosity_Pa_s", g.viscosity_Pa_s, Range::open_closed(0, 1e-3));
  g.mean_free_path_m = c.get_si("mean_free_path_nm", g.mean_free_path_m / units::kNanometre,
                                Range::open_closed(0, 1e6));
  c.finish();
  return g;
}

FlightOptions read_flight(const Config& c) {
  FlightOptions f;
  f.integrator = parse_integrator(c.get_choice("integrator", "adaptive", {"adaptive", "rk4"}));
  f.relative_tolerance =
      c.get_double("relative_tolerance", f.relative_tolerance, Range::open_closed(0, 0.1));
  f.position_tolerance_m =
      c.get_si("position_tolerance_nm", f.position_tolerance_m * 1e9, Range::open_closed(0, 1e6));
  f.velocity_tolerance_m_per_s = c.get_double(
      "velocity_tolerance_m_per_s", f.velocity_tolerance_m_per_s, Range::open_closed(0, 1e3));
  f.rk4_step_s = c.get_si("rk4_step_ns", f.rk4_step_s * 1e9, Range::open_closed(0, 1e9));
  f.max_time_s = c.get_si("max_time_ms", f.max_time_s * 1e3, Range::open_closed(0, 1e6));
  f.max_steps = static_cast<std::size_t>(
      c.get_int("max_steps", static_cast<std::int64_t>(f.max_steps), Range::closed(1, 1e12)));
  f.drag = c.get_bool("drag", f.drag);
  f.evaporation = c.get_bool("evaporation", f.evaporation);
  f.gravity = c.get_bool("gravity", f.gravity);
  f.brownian = c.get_bool("brownian", f.brownian);
  c.finish();
  return f;
}

LaunchSettings read_launch(const Config& c) {
  LaunchSettings l;
  l.geometric_std = c.get_double("diameter_gsd", l.geometric_std, Range::closed(1.0, 5.0));
  if (c.has("height_below_tip_um")) {
    l.height_below_tip_m = c.get_si("height_below_tip_um", Range::closed(0.0, 1e6));
  }
  if (c.has("position_spread_nm")) {
    l.position_spread_m = c.get_si("position_spread_nm", Range::closed(0.0, 1e7));
  }
  l.angle_spread_rad =
      c.get_double("angle_spread_deg", 0.0, Range::closed(0.0, 0.5 / kDegree)) * kDegree;
  if (c.has("speed_m_per_s"))
    l.speed_m_per_s = c.get_double("speed_m_per_s", Range::closed(0, 1e4));
  for (const char* key : {"height_below_tip_um", "position_spread_nm", "speed_m_per_s"}) {
    c.accept(key);
  }
  c.finish();
  return l;
}

SprayOptions read_monte_carlo(const Config& c) {
  SprayOptions m;
  m.droplets = static_cast<std::size_t>(c.get_int("droplets", 1000, Range::closed(1, 1e8)));
  m.seed = static_cast<std::uint64_t>(c.get_int("seed", 1, Range::closed(0, 9.0e18)));
  m.threads = static_cast<unsigned>(c.get_int("threads", 0, Range::closed(0, 1024)));
  m.space_charge = c.get_bool("space_charge", false);
  m.space_charge_passes =
      static_cast<unsigned>(c.get_int("space_charge_passes", 3, Range::closed(1, 20)));
  m.space_charge_levels =
      static_cast<std::size_t>(c.get_int("space_charge_levels", 33, Range::closed(2, 10000)));
  m.space_charge_sample =
      static_cast<std::size_t>(c.get_int("space_charge_sample", 2000, Range::closed(10, 1e8)));
  c.finish();
  return m;
}

Defect read_defect(const Config& c) {
  Defect d;
  constexpr Range kSize_um = Range::open_closed(0.0, 1000.0);
  d.length_m = c.get_si("length_um", kSize_um);
  d.width_m = c.get_si("width_um", kSize_um);
  d.height_m = c.get_si("height_um", kSize_um);
  d.packing_fraction =
      c.get_double("packing_fraction", d.packing_fraction, Range::open_closed(0.0, 0.74));
  c.finish();
  return d;
}

// printf into a std::string.
std::string format(const char* fmt, ...) {
  char buffer[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buffer, sizeof buffer, fmt, args);
  va_end(args);
  return buffer;
}

}  // namespace

ElectrosprayCase ElectrosprayCase::from_config(const Config& root) {
  const Config c = root.section("electrospray");
  root.finish();

  ElectrosprayCase k;
  k.source = root.source();
  k.ink = ink_from_case(c);
  {
    const Config e = c.section("emitter");
    k.emitter = read_emitter(e, k.shape);
  }
  k.voltage_V = read_one_of(
      c, {{"voltage_V", Range::closed(-1e5, 1e5)}, {"voltage_kV", Range::closed(-100, 100)}});
  k.flow_m3_per_s = read_one_of(c, {{"flow_rate_m3_per_s", Range::open_closed(0, 1e-3)},
                                    {"flow_rate_nL_per_s", Range::open_closed(0, 1e9)},
                                    {"flow_rate_pL_per_s", Range::open_closed(0, 1e12)}});
  k.law = parse_scaling_law(
      c.get_choice("scaling_law", "ganan_calvo",
                   {"fernandez_de_la_mora", "ganan_calvo", "hartman", "chen_pui"}));
  if (const auto s = c.optional_section("window")) k.window = read_window(*s);
  if (const auto s = c.optional_section("gas")) k.gas = read_gas(*s);
  if (const auto s = c.optional_section("flight")) k.flight = read_flight(*s);
  if (const auto s = c.optional_section("launch")) k.launch = read_launch(*s);
  if (const auto s = c.optional_section("monte_carlo")) k.monte_carlo = read_monte_carlo(*s);
  if (const auto s = c.optional_section("defect")) k.defect = read_defect(*s);
  c.finish();
  return k;
}

SprayLaunch derive_launch(const ElectrosprayCase& c, const ConeJetResult& cone_jet) {
  const ScalingPrediction& p = cone_jet.prediction;
  const double d_jet = p.jet_diameter_m;
  SprayLaunch l;
  l.median_diameter_m = p.droplet_diameter_m;
  l.geometric_std = c.launch.geometric_std;
  l.rayleigh_fraction = std::min(1.0, p.rayleigh_fraction);
  l.polarity = c.voltage_V < 0.0 ? -1.0 : 1.0;
  l.height_m = c.emitter.gap_m - c.launch.height_below_tip_m.value_or(c.emitter.radius_m);
  if (!(l.height_m > 0.0)) {
    throw std::invalid_argument(
        "launch.height_below_tip_um = " + format_number(*c.launch.height_below_tip_m * 1e6) +
        " puts the launch at or below the substrate (gap " + format_number(c.emitter.gap_m * 1e6) +
        " um)");
  }
  l.speed_m_per_s =
      c.launch.speed_m_per_s.value_or(4.0 * c.flow_m3_per_s / (constants::kPi * d_jet * d_jet));
  l.position_spread_m = c.launch.position_spread_m.value_or(0.5 * d_jet);
  l.angle_spread_rad = c.launch.angle_spread_rad;
  return l;
}

ElectrosprayReport run_case(const ElectrosprayCase& c) {
  ElectrosprayReport report;

  // The window, and what the law says the cone-jet emits.
  report.cone_jet =
      analyse_cone_jet(c.ink, c.emitter, c.voltage_V, c.flow_m3_per_s, c.law, c.gas, c.window);
  const ScalingPrediction& p = report.cone_jet.prediction;
  if (!p.in_validity_range) {
    report.notes.push_back("scaling law " + std::string(to_string(p.law)) +
                           " outside its range: " + p.note);
  }
  if (!report.cone_jet.stable()) return report;

  // The spray: launch from the jet, fly the Monte Carlo.
  report.launch = derive_launch(c, report.cone_jet);
  SprayOptions mc = c.monte_carlo;
  mc.current_A = p.current_A;
  const EmitterField field(c.shape, c.emitter, c.voltage_V);
  report.spray = simulate_spray(field, c.ink, c.gas, c.flight, *report.launch, mc);
  const SprayResult& s = *report.spray;
  log::telemetry(log::Level::debug, "electrospray_spray",
                 {{"droplets", mc.droplets},
                  {"landed", s.landed},
                  {"sigma_x_m", s.sigma_x_m},
                  {"radius_95_m", s.radius_95_m}});
  if (s.max_reynolds > 1.0) {
    report.notes.push_back(
        format("droplet Reynolds number reaches %.2g (> 1): Stokes drag "
               "underestimates the drag there",
               s.max_reynolds));
  }
  if (s.max_rayleigh_fraction > 1.0) {
    report.notes.push_back(
        format("evaporating droplets reach %.2g of the Rayleigh limit: "
               "Coulomb fission (not modelled) would split them",
               s.max_rayleigh_fraction));
  }
  if (s.lost > 0) {
    report.notes.push_back(
        format("%zu of %zu droplets did not land (returned, out of time or "
               "steps)",
               s.lost, s.x_m.size()));
  }

  // Deposition into the open.
  if (c.defect) {
    if (!c.ink.nanoparticles) {
      report.notes.push_back("ink '" + c.ink.name + "' carries no nanoparticles: no deposition");
    } else {
      report.deposition = deposition(c.ink, c.flow_m3_per_s, captured_fraction(s, *c.defect),
                                     *c.defect, report.launch->median_diameter_m);
      if (report.deposition->particles_per_droplet < 1.0) {
        report.notes.push_back(
            format("a median droplet holds %.2g particles (< 1): the "
                   "deposit is granular at the droplet scale",
                   report.deposition->particles_per_droplet));
      }
    }
  }
  return report;
}

std::string format_summary(const ElectrosprayCase& c, const ElectrosprayReport& r) {
  const ConeJetResult& w = r.cone_jet;
  const ScalingPrediction& p = w.prediction;
  std::string out;
  out += format("electrospray %s: ink %s, %s emitter r = %.3g um, gap = %.4g um\n",
                c.source.c_str(), c.ink.name.c_str(), std::string(to_string(c.shape)).c_str(),
                c.emitter.radius_m * 1e6, c.emitter.gap_m * 1e6);
  out += format("operating point  %.4g V, %.4g pL/s\n", c.voltage_V, c.flow_m3_per_s * 1e15);
  out += format(
      "window           onset %.4g V, multi-jet %.4g V, corona %.4g V, Q_min %.4g "
      "pL/s\n",
      w.onset_voltage_V, w.multijet_voltage_V, w.corona_voltage_V, w.minimum_flow_m3_per_s * 1e15);
  out += format("status           %s\n", w.reason.c_str());
  out +=
      format("scaling law      %s: I = %.4g nA, d = %.4g um, q = %.3g q_R [%s]\n",
             std::string(to_string(p.law)).c_str(), p.current_A * 1e9, p.droplet_diameter_m * 1e6,
             p.rayleigh_fraction, p.in_validity_range ? "inside its range" : "outside its range");
  if (r.spray) {
    const SprayResult& s = *r.spray;
    out += format("monte carlo      %zu droplets (seed %llu, %s): %zu landed, %zu lost\n",
                  s.x_m.size(), static_cast<unsigned long long>(c.monte_carlo.seed),
                  std::string(to_string(c.flight.integrator)).c_str(), s.landed, s.lost);
    out += format(
        "landing          mean (%.3g, %.3g) nm, 1 sigma (%.4g, %.4g) nm, r50 %.4g nm, "
        "r95 %.4g nm, s.e. %.2g nm\n",
        s.mean_x_m * 1e9, s.mean_y_m * 1e9, s.sigma_x_m * 1e9, s.sigma_y_m * 1e9,
        s.radius_50_m * 1e9, s.radius_95_m * 1e9, s.standard_error_m * 1e9);
    out += format(
        "flight           mean %.4g us, max Re %.2g, max q/q_R %.3g, %.0f steps per "
        "flight\n",
        s.mean_time_s * 1e6, s.max_reynolds, s.max_rayleigh_fraction, s.mean_steps);
  }
  if (r.deposition && c.defect) {
    const DepositionResult& d = *r.deposition;
    out += format(
        "deposition       open %.3g x %.3g x %.3g um: captured %.3g %%, metal %.4g "
        "um3/s into the open, fill time %.4g ms\n",
        c.defect->length_m * 1e6, c.defect->width_m * 1e6, c.defect->height_m * 1e6,
        100 * d.captured_fraction, d.deposited_volume_rate_m3_per_s * 1e18, d.fill_time_s * 1e3);
  }
  for (const std::string& note : r.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace psw::electrospray
