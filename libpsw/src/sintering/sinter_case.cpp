#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <psw/core/error.hpp>
#include <psw/io/results_file.hpp>
#include <psw/sintering/coalescence.hpp>
#include <psw/sintering/sinter_case.hpp>
#include <psw/sintering/size_dependent_melting.hpp>

namespace psw::sintering {
namespace {

constexpr double kCubicMicrometre = 1e-18;  // m³

// The lattice temperature of a `psw ttm` results file at the cell nearest `depth_nm`, as a
// table starting at t = 0; optionally followed by a linear ramp to then_K.
TemperatureHistory read_ttm_history(const Config& c) {
  // The file, relative to the case file's directory.
  const Config results = c.child("results");
  std::filesystem::path path = c.get_string("results");
  if (path.is_relative()) path = std::filesystem::path(c.source()).parent_path() / path;
  if (!std::filesystem::is_regular_file(path)) {
    throw results.error("'" + c.child_path("results") + "': no such file " + path.string());
  }
  const auto read = [&](std::string_view dataset, std::vector<std::size_t>* shape) {
    try {
      return io::read_dataset(path, dataset, shape);
    } catch (const std::exception& e) {
      throw results.error("'" + c.child_path("results") +
                          "' is not a `psw ttm` results file: " + e.what());
    }
  };
  const std::vector<double> time = read("/thermal/time_s", nullptr);
  const std::vector<double> x = read("/thermal/x_m", nullptr);
  const std::vector<double> width = read("/thermal/cell_width_m", nullptr);
  std::vector<std::size_t> shape;
  const std::vector<double> Tl = read("/thermal/Tl_K", &shape);
  std::string status, geometry;
  try {
    status = io::read_string_attribute(path, "/thermal", "status");
    geometry = io::read_string_attribute(path, "/thermal", "geometry");
  } catch (const std::exception& e) {
    throw results.error("'" + c.child_path("results") +
                        "' is not a `psw ttm` results file: " + e.what());
  }
  if (status != "ok") {
    throw results.error("'" + c.child_path("results") + "': the TTM run in " + path.string() +
                        " did not finish (" + status + ")");
  }

  // Slab: Tl is [time × depth]; axisymmetric: [time × r × 1 × depth], read on the axis (r = 0).
  const std::size_t nt = time.size(), nz = x.size();
  const bool slab = shape.size() == 2 && shape[0] == nt && shape[1] == nz;
  const bool axis = geometry == "axisymmetric" && shape.size() == 4 && shape[0] == nt &&
                    shape[2] == 1 && shape[3] == nz;
  if (geometry != "slab" && geometry != "axisymmetric") {
    throw results.error("'" + c.child_path("results") + "': " + geometry + " TTM results (" +
                        path.string() + ") are not supported; slab and axisymmetric ones are");
  }
  if (!slab && !axis) {
    throw results.error("'" + c.child_path("results") + "': /thermal/Tl_K in " + path.string() +
                        " does not have the shape of a " + geometry + " run's lattice field");
  }
  if (nt < 2 || nz == 0 || width.size() != nz) {
    throw results.error("'" + c.child_path("results") + "': " + path.string() +
                        " holds fewer than 2 times or no cells");
  }
  const std::size_t stride = slab ? nz : shape[1] * nz;  // values per time

  // The cell nearest the requested depth, inside the film.
  // (The film's faces in nm, rounded to 1e-6 nm so that the message reads cleanly.)
  const auto nm = [](double m) { return std::round(m * 1e15) / 1e6; };
  const double top_nm = nm(x.front() - 0.5 * width.front());
  const double bottom_nm = nm(x.back() + 0.5 * width.back());
  double depth = 0.0;
  try {
    depth = c.get_si("depth_nm", Range::closed(top_nm, bottom_nm));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(e.what()) + " (the film in " + path.string() + ")");
  }
  std::size_t cell = 0;
  for (std::size_t k = 1; k < nz; ++k) {
    if (std::abs(x[k] - depth) < std::abs(x[cell] - depth)) cell = k;
  }

  // That cell's lattice temperature, with the record's first time as t = 0.
  std::vector<double> t(nt), T(nt);
  for (std::size_t i = 0; i < nt; ++i) {
    t[i] = time[i] - time.front();
    T[i] = Tl[i * stride + cell];
  }

  // After the record: held at its last temperature, or ramped linearly to then_K.
  if (c.has("then_K")) {
    const double then_K = c.get_double("then_K", Range::open_closed(0.0, 1e5));
    const double ramp_s = c.get_double("then_ramp_s", Range::positive());
    t.push_back(t.back() + ramp_s);
    T.push_back(then_K);
  } else if (c.has("then_ramp_s")) {
    throw c.child("then_ramp_s")
        .error("'" + c.child_path("then_ramp_s") + "' needs then_K (the temperature to ramp to)");
  }
  c.finish();
  try {
    return TemperatureHistory::table(std::move(t), std::move(T));
  } catch (const std::invalid_argument& e) {
    throw results.error("'" + c.child_path("results") + "': " + path.string() + ": " + e.what());
  }
}

TemperatureHistory read_history(const Config& c) {
  const bool has_constant = c.has("constant_K"), has_ramp = c.has("ramp"),
             has_table = c.has("table"), has_ttm = c.has("ttm");
  if (int(has_constant) + int(has_ramp) + int(has_table) + int(has_ttm) != 1) {
    throw c.error("'" + c.key_path() + "' needs exactly one of constant_K, ramp, table, ttm");
  }
  TemperatureHistory h = TemperatureHistory::constant(300.0);
  if (has_ttm) {
    h = read_ttm_history(c.section("ttm"));
  } else if (has_constant) {
    h = TemperatureHistory::constant(c.get_double("constant_K", Range::open_closed(0.0, 1e5)));
  } else if (has_ramp) {
    const Config r = c.section("ramp");
    h = TemperatureHistory::ramp(r.get_double("start_K", Range::open_closed(0.0, 1e5)),
                                 r.get_double("end_K", Range::open_closed(0.0, 1e5)),
                                 r.get_double("duration_s", Range::positive()));
    r.finish();
  } else {
    const Config t = c.section("table");
    std::vector<double> times = t.get_doubles("time_s", Range::non_negative());
    std::vector<double> temps = t.get_doubles("temperature_K", Range::open_closed(0.0, 1e5));
    try {
      h = TemperatureHistory::table(std::move(times), std::move(temps));
    } catch (const std::invalid_argument& e) {
      throw t.error(std::string(c.key_path()) + ": " + e.what());
    }
    t.finish();
  }
  c.finish();
  return h;
}

StatisticsCase read_statistics(const Config& c) {
  StatisticsCase s;
  s.reference_volume_m3 =
      c.get_double("reference_volume_um3", Range::open_closed(0.0, 1e9)) * kCubicMicrometre;
  s.volume_exponent = c.get_double("volume_exponent", 1.0, Range::open_closed(0.0, 4.0));
  if (c.has("reference_time_s")) {
    s.reference_time_s = c.get_double("reference_time_s", Range::positive());
  }
  c.accept("reference_time_s");
  const auto volume = c.optional_section("volume");
  const auto calibrate = c.optional_section("calibrate");
  if (bool(volume) == bool(calibrate)) {
    throw c.error("'" + c.key_path() + "' needs exactly one of volume, calibrate");
  }
  if (volume) {
    LognormalVolume v;
    v.median_m3 = volume->get_double("median_um3", Range::open_closed(0.0, 1e9)) * kCubicMicrometre;
    v.sigma_ln = volume->get_double("sigma_ln", Range::closed(0.0, 10.0));
    volume->finish();
    s.volume = v;
  } else {
    s.calibrate_median_s = calibrate->get_double("median_s", Range::positive());
    s.calibrate_p99_s =
        calibrate->get_double("p99_s", Range::open(*s.calibrate_median_s, HUGE_VAL));
    calibrate->finish();
  }
  s.samples = static_cast<std::size_t>(c.get_int("samples", 10000, Range::closed(1, 1e8)));
  s.seed = static_cast<std::uint64_t>(c.get_int("seed", 1, Range::closed(0, 9e18)));
  c.finish();
  return s;
}

double sample_quantile(std::vector<double> values, double q) {
  // Type-7 quantile (linear between order statistics), as NumPy's default.
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(i);
  if (i + 1 >= values.size()) return values.back();
  return values[i] + frac * (values[i + 1] - values[i]);
}

}  // namespace

SinterCase SinterCase::from_config(const Config& root) {
  const Config c = root.section("sinter");
  root.finish();
  SinterCase out;
  const std::string name = c.get_string("material");
  try {
    out.material = load_material(name);
  } catch (const std::invalid_argument& e) {
    throw c.child("material").error(e.what());
  }
  out.particle_diameter_m = c.get_si("particle_diameter_nm", Range::open_closed(0.0, 1e5));
  out.grain_size_m = c.get_si("grain_size_nm", 0.0, Range::closed(0.0, 1e6));
  if (c.has("viscosity_Pa_s"))
    out.viscosity_Pa_s = c.get_double("viscosity_Pa_s", Range::positive());
  c.accept("viscosity_Pa_s");
  out.duration_s = c.get_double("duration_s", Range::open_closed(0.0, 1e9));
  out.history = read_history(c.section("temperature"));

  // Resistivity: material constants, then the case's model choice and target.
  out.resistivity = deposit_options_for(out.material, out.particle_diameter_m).resistivity;
  if (const auto r = c.optional_section("resistivity")) {
    const std::string conduction =
        r->get_choice("conduction", "bruggeman", {"bruggeman", "percolation"});
    out.resistivity.conduction =
        conduction == "bruggeman" ? ConductionModel::bruggeman : ConductionModel::percolation;
    out.resistivity.percolation_threshold =
        r->get_double("percolation_threshold", 1.0 / 3.0, Range::open(0.0, 1.0));
    out.resistivity.percolation_exponent =
        r->get_double("percolation_exponent", 2.0, Range::open_closed(0.0, 5.0));
    out.target_ratio = r->get_double("target_ratio", 3.0, Range::closed(1.0, 1e6));
    r->finish();
  }
  if (const auto msc = c.optional_section("master_sintering_curve")) {
    out.curve = MasterCurveParams::from_config(*msc);
  } else if (!out.material.master_curve) {
    throw c.error("material " + out.material.name +
                  " has no master_sintering_curve in its data file; give "
                  "'sinter.master_sintering_curve' in the case");
  }
  if (const auto s = c.optional_section("statistics")) out.statistics = read_statistics(*s);
  c.finish();
  return out;
}

SinterReport run_sinter_case(const SinterCase& c) {
  SinterReport r;
  r.material = c.material.name;
  r.particle_diameter_m = c.particle_diameter_m;
  const double radius = 0.5 * c.particle_diameter_m;
  const auto temps = c.history.temperatures_K();
  r.peak_temperature_K = *std::max_element(temps.begin(), temps.end());

  // Particle scale: each mechanism alone at the peak temperature, then all together.
  r.melting_point_K = buffat_borel_melting_point(c.material, std::max(radius, 1e-9));
  r.coalescence_time_s =
      koch_friedlander_time(c.material, r.peak_temperature_K, c.particle_diameter_m);
  for (Mechanism m : kMechanisms) {
    if (m == Mechanism::viscous_flow && !c.viscosity_Pa_s) continue;
    const NeckLaw law = neck_law(c.material, m, r.peak_temperature_K, c.viscosity_Pa_s);
    r.mechanisms.push_back({m, law.n, law.m, law.B, law.time_to(radius, 0.3)});
  }
  NeckGrowthOptions neck_options;
  neck_options.viscosity_Pa_s = c.viscosity_Pa_s;
  neck_options.stop_ratio = 0.3;
  r.neck = grow_neck(c.material, radius, c.history, c.duration_s, neck_options);

  // Deposit scale: densification and resistivity curves, then the time to the target.
  DepositOptions options = deposit_options_for(c.material, c.particle_diameter_m);
  options.grain_size_m = c.grain_size_m;
  options.resistivity = c.resistivity;
  const Deposit deposit(c.material, options, c.curve);
  r.grain_size_m = deposit.grain_size_m();
  r.bulk_resistivity_ohm_m = c.resistivity.bulk_resistivity_ohm_m;
  r.target_resistivity_ohm_m = c.target_ratio * r.bulk_resistivity_ohm_m;
  constexpr int kPoints = 201;
  for (int i = 0; i < kPoints; ++i) {
    const double t = c.duration_s * i / (kPoints - 1);
    r.time_s.push_back(t);
    r.temperature_K.push_back(c.history.at(t));
    r.density.push_back(deposit.density_at(c.history, t));
    r.resistivity_ohm_m.push_back(deposit.resistivity_for_density(r.density.back()));
  }
  r.target = deposit.time_to_resistivity(c.history, r.target_resistivity_ohm_m);

  // Statistics: the law's reference time defaults to this deposit's time to the target.
  if (c.statistics) {
    const StatisticsCase& s = *c.statistics;
    VolumeTimeLaw law;
    law.reference_volume_m3 = s.reference_volume_m3;
    law.volume_exponent = s.volume_exponent;
    if (s.reference_time_s) {
      law.reference_time_s = *s.reference_time_s;
    } else if (r.target.status == TargetStatus::reached) {
      law.reference_time_s = r.target.time_s;
    } else {
      throw std::invalid_argument(
          "sinter.statistics: no reference_time_s given and the deposit's time to the target "
          "is not defined (" +
          std::string(to_string(r.target.status)) + ": " + r.target.message + ")");
    }
    const LognormalVolume volume =
        s.volume ? *s.volume
                 : calibrate_volume_distribution(*s.calibrate_median_s, *s.calibrate_p99_s, law);
    const SinteringTimeDistribution dist(volume, law);
    StatisticsSummary st;
    st.volume = volume;
    st.law = law;
    st.median_s = dist.median_s();
    st.p99_s = dist.quantile_s(0.99);
    st.mean_s = dist.mean_s();
    st.sigma_ln_time = dist.sigma_ln_time();
    const std::vector<double> times = dist.sample_times(s.samples, RngStream(s.seed));
    st.sample_median_s = sample_quantile(times, 0.5);
    st.sample_p99_s = sample_quantile(times, 0.99);
    st.samples = s.samples;
    r.statistics = st;
  }
  return r;
}

std::string format_summary(const SinterReport& r) {
  std::string out;
  char line[256];
  auto add = [&](const char* fmt, auto... args) {
    std::snprintf(line, sizeof line, fmt, args...);
    out += line;
  };
  add("sinter %s: particles %.1f nm, grains %.1f nm, peak %.1f K\n", r.material.c_str(),
      r.particle_diameter_m * 1e9, r.grain_size_m * 1e9, r.peak_temperature_K);
  add("particle scale: melting point %.1f K (Buffat-Borel), coalescence time %.3g s "
      "(Koch-Friedlander)\n",
      r.melting_point_K, r.coalescence_time_s);
  add("  %-26s %2s %2s %12s %14s\n", "mechanism at peak T", "n", "m", "B (m^m/s)", "t(x/a=0.3) s");
  for (const auto& m : r.mechanisms) {
    add("  %-26s %2d %2d %12.3e %14.3e\n", std::string(to_string(m.mechanism)).c_str(), m.n, m.m,
        m.B, m.time_to_neck_0p3_s);
  }
  if (!r.neck.x_over_a.empty()) {
    add("  all together: x/a = %.3f at t = %.3g s (%s dominant)%s\n", r.neck.x_over_a.back(),
        r.neck.time_s.back(), std::string(to_string(r.neck.dominant.back())).c_str(),
        r.neck.reached_stop ? ", end of the initial stage" : "");
  } else {
    add("  all together: no neck forms within the case's duration\n");
  }
  add("deposit: relative density %.3f -> %.3f, resistivity %.3g -> %.3g uohm cm over %.4g s\n",
      r.density.front(), r.density.back(), r.resistivity_ohm_m.front() * 1e8,
      r.resistivity_ohm_m.back() * 1e8, r.time_s.back());
  add("  target %.3g uohm cm (%.2f x bulk %.3g): %s, %s\n", r.target_resistivity_ohm_m * 1e8,
      r.target_resistivity_ohm_m / r.bulk_resistivity_ohm_m, r.bulk_resistivity_ohm_m * 1e8,
      std::string(to_string(r.target.status)).c_str(), r.target.message.c_str());
  if (r.statistics) {
    const auto& s = *r.statistics;
    add("statistics: volume median %.4g um^3, sigma_ln %.4f; t = %.4g s x (V/%.4g um^3)^%.3g\n",
        s.volume.median_m3 * 1e18, s.volume.sigma_ln, s.law.reference_time_s,
        s.law.reference_volume_m3 * 1e18, s.law.volume_exponent);
    add("  sintering time median %.4g s, P99 %.4g s, mean %.4g s; %zu samples: median %.4g s, "
        "P99 %.4g s\n",
        s.median_s, s.p99_s, s.mean_s, s.samples, s.sample_median_s, s.sample_p99_s);
  }
  return out;
}

}  // namespace psw::sintering
