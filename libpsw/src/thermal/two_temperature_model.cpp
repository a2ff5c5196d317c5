#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/core/grid.hpp>
#include <psw/core/log.hpp>
#include <psw/core/units.hpp>
#include <psw/thermal/phonon_bte.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include "ttm_internal.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <tuple>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace psw::thermal {
namespace {

using detail::kMaxStoredValues;

const double kGaussNorm = std::sqrt(4.0 * std::log(2.0) / constants::kPi);  // ≈ 0.9394
const double kGaussRate = 4.0 * std::log(2.0);                               // ≈ 2.7726

// ---- the discrete model ------------------------------------------------------------------

struct Model {
  const TtmCase& c;
  std::size_t n = 0;                // cells
  std::vector<double> x, w;         // centres, widths
  std::vector<int> layer;           // layer index of each cell
  std::vector<long> ie, il;         // state index of Tₑ (−1 in dielectrics) and Tₗ per cell
  std::vector<double> absorb;       // fraction of (1−R)F absorbed in each cell, per pulse
  std::vector<double> lattice_face; // lattice conductance between cell i and i+1, W/(m²K)
  std::vector<std::vector<double>> heat;  // per heat input: W/m² into each cell while on
  std::size_t unknowns = 0;

  explicit Model(const TtmCase& cs) : c(cs) {
    // Grid: each layer uniform or graded, stacked from the front surface.
    detail::DepthGrid grid = detail::depth_grid(c);
    x = std::move(grid.centres);
    w = std::move(grid.widths);
    layer = std::move(grid.layer);
    n = x.size();

    // State layout: [Tₑ, Tₗ] per metal cell, [Tₗ] per dielectric cell; bandwidth 2.
    for (std::size_t i = 0; i < n; ++i) {
      ie.push_back(mat(i).metal ? static_cast<long>(unknowns++) : -1);
      il.push_back(static_cast<long>(unknowns++));
    }

    // Cell-integrated Beer–Lambert absorption over metal depth (dielectrics transparent).
    const double delta = c.source.penetration_depth_m + c.source.ballistic_range_m;
    double depth = 0.0;
    absorb.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!mat(i).metal) continue;
      absorb[i] = std::exp(-depth / delta) - std::exp(-(depth + w[i]) / delta);
      depth += w[i];
    }

    // Heat inputs: W/m² into each cell's lattice while on (the depth overlap × power density).
    for (const HeatInput& h : c.heat_inputs) {
      std::vector<double> per_cell(n);
      for (std::size_t i = 0; i < n; ++i) {
        per_cell[i] = h.power_density_W_per_m3 *
                      detail::overlap(x[i] - 0.5 * w[i], x[i] + 0.5 * w[i], h.depth_from_m,
                                      h.depth_to_m);
      }
      heat.push_back(std::move(per_cell));
    }

    // Lattice face conductances: two half cells (and an interface conductance) in series.
    lattice_face.assign(n > 0 ? n - 1 : 0, 0.0);
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double ka = mat(i).lattice_conductivity, kb = mat(i + 1).lattice_conductivity;
      if (ka <= 0.0 || kb <= 0.0) continue;
      double resistance = 0.5 * w[i] / ka + 0.5 * w[i + 1] / kb;
      if (layer[i] != layer[i + 1]) {
        resistance += 1.0 / c.layers[static_cast<std::size_t>(layer[i])].interface_conductance;
      }
      lattice_face[i] = 1.0 / resistance;
    }
  }

  const Material& mat(std::size_t i) const {
    return c.layers[static_cast<std::size_t>(layer[i])].material;
  }

  // Energy the heat inputs delivered between the start and t, J/m².
  double heat_energy(double t) const {
    double e = 0.0;
    for (std::size_t h = 0; h < heat.size(); ++h) {
      const HeatInput& in = c.heat_inputs[h];
      double power = 0.0;
      for (double q : heat[h]) power += q;
      e += power * (in.elapsed(t) - in.elapsed(c.start_s));
    }
    return e;
  }

  double electron_capacity(const Material& m, double Te) const {
    return detail::electron_capacity(c, m, Te);
  }
  double electron_conductivity(const Material& m, double Te, double Tl) const {
    return detail::electron_conductivity(c, m, Te, Tl);
  }
  double electron_energy(const Material& m, double Te) const {
    return detail::electron_energy(c, m, Te);
  }
  static double boundary_gain(const Boundary& b, double T, double conductivity, double width,
                              bool lattice) {
    return detail::boundary_gain(b, T, conductivity, width, lattice);
  }

  // Net boundary gain of the whole stack (both ends, both carriers), W/m².
  double boundary_gain_total(const double* y) const {
    double gain = 0.0;
    for (auto [cell, b] : {std::pair{std::size_t{0}, &c.front}, std::pair{n - 1, &c.back}}) {
      const Material& m = mat(cell);
      const double Tl = y[il[cell]];
      gain += boundary_gain(*b, Tl, m.lattice_conductivity, w[cell], true);
      if (ie[cell] >= 0) {
        const double Te = y[ie[cell]];
        gain += boundary_gain(*b, Te, electron_conductivity(m, Te, Tl), w[cell], false);
      }
    }
    return gain;
  }

  // dT/dt for every unknown.
  void rhs(double t, const double* y, double* dy) const {
    const double pulse = (1.0 - c.source.reflectivity) * c.source.fluence_J_per_m2 *
                         c.source.temporal(t);
    std::vector<double> qe(n, 0.0), ql(n, 0.0);  // net heat into each cell, W/m²

    // Face fluxes between neighbours.
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double flow_l = lattice_face[i] * (y[il[i]] - y[il[i + 1]]);
      ql[i] -= flow_l;
      ql[i + 1] += flow_l;
      if (ie[i] >= 0 && ie[i + 1] >= 0) {
        const double ka = electron_conductivity(mat(i), y[ie[i]], y[il[i]]);
        const double kb = electron_conductivity(mat(i + 1), y[ie[i + 1]], y[il[i + 1]]);
        const double flow_e = (y[ie[i]] - y[ie[i + 1]]) / (0.5 * w[i] / ka + 0.5 * w[i + 1] / kb);
        qe[i] -= flow_e;
        qe[i + 1] += flow_e;
      }
    }

    // Boundaries.
    for (auto [cell, b] : {std::pair{std::size_t{0}, &c.front}, std::pair{n - 1, &c.back}}) {
      const Material& m = mat(cell);
      const double Tl = y[il[cell]];
      ql[cell] += boundary_gain(*b, Tl, m.lattice_conductivity, w[cell], true);
      if (ie[cell] >= 0) {
        const double Te = y[ie[cell]];
        qe[cell] += boundary_gain(*b, Te, electron_conductivity(m, Te, Tl), w[cell], false);
      }
    }

    // Heat inputs that are on at t.
    for (std::size_t h = 0; h < heat.size(); ++h) {
      const HeatInput& in = c.heat_inputs[h];
      if (t < in.start_s || t >= in.start_s + in.duration_s) continue;
      for (std::size_t i = 0; i < n; ++i) ql[i] += heat[h][i];
    }

    // Source, coupling, then divide by the heat capacity of the cell.
    for (std::size_t i = 0; i < n; ++i) {
      const Material& m = mat(i);
      const double Tl = y[il[i]];
      if (ie[i] >= 0) {
        const double Te = y[ie[i]];
        const double exchange = detail::coupling(c, m, Te) * (Te - Tl) * w[i];
        dy[ie[i]] = (qe[i] + pulse * absorb[i] - exchange) / (electron_capacity(m, Te) * w[i]);
        dy[il[i]] = (ql[i] + exchange) / (m.lattice_heat_capacity * w[i]);
      } else {
        dy[il[i]] = ql[i] / (m.lattice_heat_capacity * w[i]);
      }
    }
  }
};

int cvode_rhs(double t, N_Vector y, N_Vector ydot, void* data) {
  const auto* model = static_cast<const Model*>(data);
  model->rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  return 0;
}

using detail::Cvode;

using detail::cvode_error_handler;
using detail::cvode_flag_name;

// ---- case parsing ------------------------------------------------------------------------

constexpr Range kThickness_nm = Range::open_closed(0.0, 1e6);
constexpr Range kCells = Range::closed(1, 1e6);
constexpr Range kTemperature_K = Range::open_closed(0.0, 1e5);

Boundary parse_boundary(const Config& boundaries, std::string_view side) {
  Boundary b;
  const Config node = boundaries.child(side);
  if (node.is_scalar()) {
    const std::string kind = boundaries.get_choice(side, {"adiabatic"});
    (void)kind;
    return b;
  }
  if (!node.is_map()) throw node.error("'" + node.key_path() + "' must be a name or a map");
  const std::string type = node.get_choice("type", {"adiabatic", "fixed", "convective"});
  if (type == "fixed") {
    b.kind = BoundaryKind::fixed;
    b.temperature_K = node.get_double("temperature_K", kTemperature_K);
  } else if (type == "convective") {
    b.kind = BoundaryKind::convective;
    b.temperature_K = node.get_double("ambient_K", 300.0, kTemperature_K);
    b.h_W_per_m2K = node.get_double("h_W_per_m2K", 0.0, Range::closed(0, 1e9));
    b.emissivity = node.get_double("emissivity", 0.0, Range::closed(0, 1));
  }
  node.finish();
  return b;
}

// A [from, to] pair given in µm or nm: `x_um: [0, 5]` or `depth_nm: [0, 2000]`.
std::pair<double, double> read_span(const Config& c, std::string_view stem) {
  std::optional<std::pair<double, double>> span;
  for (auto [unit, scale] : {std::pair{"_um", 1e-6}, std::pair{"_nm", 1e-9}}) {
    const std::string key = std::string(stem) + unit;
    c.accept(key);
    if (!c.has(key)) continue;
    const auto v = c.get_doubles(key, Range::closed(0, 1e9));
    if (v.size() != 2 || !(v[1] > v[0])) {
      throw c.child(key).error("'" + c.child_path(key) + "' must be [from, to] with to > from");
    }
    span = std::pair{v[0] * scale, v[1] * scale};
  }
  if (!span) {
    throw c.error("missing '" + c.child_path(stem) + "_um' (or _nm): a [from, to] range");
  }
  return *span;
}

Lateral parse_geometry(const Config& g, const std::function<Material(const Config&)>& material) {
  Lateral L;
  const std::string kind = g.get_choice("kind", {"slab", "axisymmetric", "cartesian"});
  constexpr Range kSize_um = Range::open_closed(0, 1e5);
  constexpr Range kLateralCells = Range::closed(1, 4096);
  if (kind == "slab") {
    g.finish();
    return L;
  }
  if (kind == "axisymmetric") {
    L.geometry = Geometry::axisymmetric;
    L.size_x_m = g.get_si("radius_um", kSize_um);
    L.cells_x = static_cast<std::size_t>(g.get_int("cells_r", kLateralCells));
  } else {
    L.geometry = Geometry::cartesian;
    L.size_x_m = g.get_si("size_x_um", kSize_um);
    L.size_y_m = g.get_si("size_y_um", kSize_um);
    L.cells_x = static_cast<std::size_t>(g.get_int("cells_x", kLateralCells));
    L.cells_y = static_cast<std::size_t>(g.get_int("cells_y", kLateralCells));
    L.spot_x_m = g.get_si("spot_x_um", 0.5 * L.size_x_m * 1e6, Range::closed(0, 1e5));
    L.spot_y_m = g.get_si("spot_y_um", 0.5 * L.size_y_m * 1e6, Range::closed(0, 1e5));
  }
  L.spot_radius_m = g.get_si("spot_radius_um", 0.0, Range::closed(0, 1e5));
  for (const Config& r : g.list("regions")) {
    Region region;
    region.material = material(r);
    if (const auto box = r.optional_section("box")) {
      region.shape = Region::Shape::box;
      std::tie(region.x0, region.x1) = read_span(*box, L.geometry == Geometry::axisymmetric ? "r" : "x");
      if (L.geometry == Geometry::cartesian) std::tie(region.y0, region.y1) = read_span(*box, "y");
      std::tie(region.z0, region.z1) = read_span(*box, "depth");
      box->finish();
    } else if (const auto cyl = r.optional_section("cylinder")) {
      if (L.geometry != Geometry::cartesian) {
        throw cyl->error("a cylinder region needs the cartesian geometry; in an axisymmetric "
                         "case use a box with r_um");
      }
      region.shape = Region::Shape::cylinder;
      region.centre_x = cyl->get_si("centre_x_um", Range::closed(0, 1e5));
      region.centre_y = cyl->get_si("centre_y_um", Range::closed(0, 1e5));
      region.radius = cyl->get_si("radius_um", Range::open_closed(0, 1e5));
      std::tie(region.z0, region.z1) = read_span(*cyl, "depth");
      cyl->finish();
    } else {
      throw r.error("region '" + r.key_path() + "' needs a `box` or a `cylinder`");
    }
    r.finish();
    L.regions.push_back(std::move(region));
  }
  g.finish();
  return L;
}

}  // namespace

// SUNDIALS prints its errors to stderr by default; psw returns them in the result instead and
// logs them at debug level.
void detail::cvode_error_handler(int code, const char* module, const char* function,
                                 char* message, void*) {
  log::debug(std::string(module) + "." + function + " (" + std::to_string(code) + "): " +
             message);
}

std::string detail::cvode_flag_name(int flag) {
  char* name = CVodeGetReturnFlagName(flag);
  std::string text = name ? name : std::to_string(flag);
  std::free(name);
  return text;
}

void detail::integrate_outputs(const TtmCase& c, const Cvode& cv, TtmResult& r,
                               const std::function<void(double)>& record,
                               const std::function<void()>& on_step) {
  const PulseClock clock(c);
  const auto outputs = static_cast<std::size_t>(
      std::floor((c.end_s - c.start_s) / c.output_every_s * (1.0 + 1e-12)) + 1);

  // Before each leg: the next stop after `now`, and the step limit there.
  auto arm = [&](double now) {
    CVodeSetMaxStep(cv.mem, clock.max_step(now));
    CVodeSetStopTime(cv.mem, clock.next_stop(now, c.end_s));
  };
  arm(c.start_s);
  record(c.start_s);

  // Output to output, one internal step at a time (so that peaks between outputs are seen),
  // stopping across pulse windows on the way; outputs are interpolated by CVODE, as in its
  // normal mode.
  double t = c.start_s;
  long steps_at_leg_start = 0;
  for (std::size_t k = 1; k < outputs && r.ok; ++k) {
    const double tout = c.start_s + static_cast<double>(k) * c.output_every_s;
    CVodeGetNumSteps(cv.mem, &steps_at_leg_start);
    while (t < tout) {
      const int flag = CVode(cv.mem, tout, cv.y, &t, CV_ONE_STEP);
      if (flag < 0) {
        r.ok = false;
        r.message = "CVODE stopped at t = " + format_number(t) + " s with " +
                    cvode_flag_name(flag) + " (try a looser rtol or more cells)";
        break;
      }
      // cv.y holds the state at the step's end t; the last step may pass end_s, which is not
      // part of the run.
      if (on_step && t <= c.end_s) on_step();
      if (flag == CV_TSTOP_RETURN) arm(t);
      // One call per step, so CVODE's own limit (steps per call) is kept here: per output leg.
      long steps = 0;
      CVodeGetNumSteps(cv.mem, &steps);
      if (t < tout && steps - steps_at_leg_start >= c.solver.max_steps) {
        r.ok = false;
        r.message = "CVODE stopped at t = " + format_number(t) +
                    " s with CV_TOO_MUCH_WORK (more than solver.max_steps = " +
                    std::to_string(c.solver.max_steps) +
                    " steps before the next output; try a looser rtol or more cells)";
        break;
      }
    }
    if (!r.ok) break;
    if (t != tout) {
      const int flag = CVodeGetDky(cv.mem, tout, 0, cv.y);
      if (flag < 0) {
        r.ok = false;
        r.message = "CVODE could not interpolate the output at t = " + format_number(tout) +
                    " s (" + cvode_flag_name(flag) + ")";
        break;
      }
    }
    record(tout);
  }
  CVodeGetNumSteps(cv.mem, &r.steps);
  CVodeGetNumRhsEvals(cv.mem, &r.rhs_evaluations);
}

// ---- PulseSource -------------------------------------------------------------------------

double PulseSource::temporal(double t) const {
  double sum = 0.0;
  for (int k = 0; k < pulses; ++k) {
    const double dt = t - peak_time_s - (k > 0 ? k / repetition_rate_Hz : 0.0);
    if (std::abs(dt) > 8.0 * fwhm_s) continue;
    sum += kGaussNorm / fwhm_s * std::exp(-kGaussRate * dt * dt / (fwhm_s * fwhm_s));
  }
  return sum;
}

double PulseSource::delivered(double t) const {
  double sum = 0.0;
  const double scale = std::sqrt(kGaussRate) / fwhm_s;
  for (int k = 0; k < pulses; ++k) {
    const double dt = t - peak_time_s - (k > 0 ? k / repetition_rate_Hz : 0.0);
    sum += 0.5 * std::erfc(-scale * dt);
  }
  return sum;
}

// ---- TtmCase -----------------------------------------------------------------------------

TtmCase TtmCase::from_config(const Config& root) {
  const Config t = root.section("ttm");
  root.finish();
  TtmCase c;
  c.case_text = t.to_yaml();

  // Materials: the data files, then the case's overrides for the materials it uses.
  std::map<std::string, Config> overrides;
  if (const auto o = t.optional_section("overrides")) {
    for (const std::string& name : o->keys()) overrides.emplace(name, o->section(name));
    o->finish();
  }
  std::set<std::string> used;
  auto material_of = [&](const Config& node) {
    const std::string name = node.get_string("material");
    Material m;
    try {
      m = load_material(name);
    } catch (const std::invalid_argument& e) {
      throw node.child("material").error(e.what());
    }
    if (const auto it = overrides.find(name); it != overrides.end()) {
      m = apply_overrides(m, it->second);
    }
    used.insert(name);
    return m;
  };
  const auto layers = t.list("layers");
  if (layers.empty()) throw t.error("'" + t.child_path("layers") + "' must list at least one layer");
  for (const Config& l : layers) {
    Layer layer;
    layer.material = material_of(l);
    layer.thickness_m = l.get_si("thickness_nm", kThickness_nm);
    layer.cells = static_cast<std::size_t>(l.get_int("cells", kCells));
    layer.first_cell_m = l.get_si("first_cell_nm", 0.0, Range::closed_open(0, 1e6));
    layer.interface_conductance = l.get_double("interface_conductance_W_per_m2K", HUGE_VAL,
                                               Range::open_closed(0, HUGE_VAL));
    layer.phonon_mean_free_path_m =
        l.get_si("phonon_mean_free_path_nm", 0.0, Range::closed(0, 1e6));
    l.finish();
    c.layers.push_back(std::move(layer));
  }
  if (const auto g = t.optional_section("geometry")) c.lateral = parse_geometry(*g, material_of);
  for (const auto& [name, node] : overrides) {
    if (!used.contains(name)) {
      throw node.error("overrides material '" + name + "' that no layer uses");
    }
  }

  if (const auto b = t.optional_section("boundaries")) {
    c.front = parse_boundary(*b, "front");
    c.back = parse_boundary(*b, "back");
    b->finish();
  }
  c.initial_temperature_K = t.get_double("initial_temperature_K", 300.0, kTemperature_K);
  if (t.has("initial_electron_temperature_K")) {
    c.initial_electron_temperature_K = t.get_double("initial_electron_temperature_K",
                                                    kTemperature_K);
  }
  t.accept("initial_electron_temperature_K");

  // The pulse (train).
  const Config s = t.section("source");
  c.source.fluence_J_per_m2 = s.get_si("fluence_J_per_m2", Range::open_closed(0, 1e5));
  c.source.fwhm_s = s.get_si("pulse_fwhm_fs", Range::open_closed(0, 1e6));
  c.source.reflectivity = s.get_double("reflectivity", Range::closed_open(0, 1));
  c.source.penetration_depth_m = s.get_si("penetration_depth_nm", Range::open_closed(0, 1e4));
  c.source.ballistic_range_m = s.get_si("ballistic_range_nm", 0.0, Range::closed(0, 1e4));
  c.source.peak_time_s = s.get_si("peak_time_fs", 0.0, Range::finite());
  c.source.pulses = static_cast<int>(s.get_int("pulses", 1, Range::closed(1, 1e6)));
  c.source.repetition_rate_Hz = s.get_si_any("repetition_rate", {"Hz", "kHz", "MHz"},
                                             Range::open_closed(0, 1e12), 1e6);
  s.finish();

  // Volumetric heat inputs (deposits).
  const std::initializer_list<std::string_view> time_units{"fs", "ps", "ns", "us", "ms", "s"};
  for (const Config& h : t.list("heat_inputs")) {
    HeatInput in;
    in.power_density_W_per_m3 = h.get_double("power_density_W_per_m3", Range::open_closed(0, 1e22));
    std::tie(in.depth_from_m, in.depth_to_m) = read_span(h, "depth");
    in.start_s = h.get_si_any("start", time_units, Range::finite(), 0.0);
    in.duration_s = h.get_si_any("duration", time_units, Range::positive());
    in.radius_m = h.get_si("radius_um", 0.0, Range::closed(0, 1e5));
    h.finish();
    c.heat_inputs.push_back(in);
  }

  // Time span and outputs, in any time unit.
  const Config time = t.section("time");
  const std::initializer_list<std::string_view> units{"fs", "ps", "ns", "us", "ms", "s"};
  c.start_s = time.get_si_any("start", units, Range::finite(), 0.0);
  c.end_s = time.get_si_any("end", units, Range::finite());
  c.output_every_s = time.get_si_any("output_every", units, Range::positive());
  time.finish();

  if (const auto e = t.optional_section("electrons")) {
    const std::string capacity = e->get_choice("heat_capacity", "linear", {"linear", "constant", "table"});
    c.heat_capacity_model = capacity == "linear"     ? ElectronHeatCapacity::linear
                            : capacity == "constant" ? ElectronHeatCapacity::constant
                                                     : ElectronHeatCapacity::table;
    const std::string conductivity =
        e->get_choice("conductivity", "linear", {"linear", "constant", "anisimov_rethfeld"});
    c.conductivity_model = conductivity == "linear"     ? ElectronConductivity::linear
                           : conductivity == "constant" ? ElectronConductivity::constant
                                                        : ElectronConductivity::anisimov_rethfeld;
    c.coupling_model = e->get_choice("coupling", "constant", {"constant", "table"}) == "table"
                           ? ElectronPhononCoupling::table
                           : ElectronPhononCoupling::constant;
    e->finish();
  }
  if (const auto h = t.optional_section("haz")) {
    c.haz_threshold_K = h->get_double("threshold_K", kTemperature_K);
    h->finish();
  }
  const std::string transport =
      t.get_choice("lattice_transport", "fourier", {"fourier", "knudsen", "bte"});
  c.lattice_transport = transport == "fourier"   ? LatticeTransport::fourier
                        : transport == "knudsen" ? LatticeTransport::knudsen
                                                 : LatticeTransport::bte;
  if (const auto b = t.optional_section("bte")) {
    c.bte.ordinates = static_cast<std::size_t>(b->get_int("ordinates", 16, Range::closed(2, 1024)));
    c.bte.time_step_s = b->get_si_any("time_step", {"fs", "ps", "ns"}, Range::open_closed(0, 1e-6), 0.0);
    c.bte.tolerance_K = b->get_double("tolerance_K", 1e-9, Range::open_closed(0, 1));
    c.bte.max_iterations =
        static_cast<std::size_t>(b->get_int("max_iterations", 10000, Range::closed(1, 1e7)));
    b->finish();
  }
  if (const auto sv = t.optional_section("solver")) {
    c.solver.rtol = sv->get_double("rtol", 1e-6, Range::open_closed(0, 0.1));
    c.solver.atol_K = sv->get_double("atol_K", 1e-3, Range::open_closed(0, 1e3));
    c.solver.max_steps = sv->get_int("max_steps", 1000000, Range::closed(1, 1e9));
    sv->finish();
  }
  t.finish();

  // Cross-field checks, with the keys named.
  if (!(c.end_s > c.start_s)) {
    throw time.error("'" + time.key_path() + "': end must come after start");
  }
  const double outputs = (c.end_s - c.start_s) / c.output_every_s + 1.0;
  std::size_t cells = 0;
  for (const Layer& l : c.layers) cells += l.cells;
  cells *= c.lateral.cells_x * (c.lateral.geometry == Geometry::cartesian ? c.lateral.cells_y : 1);
  if (outputs * static_cast<double>(cells) * 2.0 > static_cast<double>(kMaxStoredValues)) {
    throw time.error("'" + time.child_path("output_every") + "' gives " +
                     format_number(std::floor(outputs)) + " outputs of " + std::to_string(cells) +
                     " cells, more than psw keeps in memory; output less often");
  }
  if (c.source.pulses > 1 && !s.has("repetition_rate_Hz") && !s.has("repetition_rate_kHz") &&
      !s.has("repetition_rate_MHz")) {
    throw s.error("'" + s.key_path() + "': a train of " + std::to_string(c.source.pulses) +
                  " pulses needs repetition_rate_<Hz|kHz|MHz>");
  }
  c.validate();
  return c;
}

void TtmCase::validate() const {
  require(!layers.empty(), "ttm.layers must list at least one layer");
  // Every metal (layers and 3-D regions) must carry what the chosen electron models read.
  std::vector<const Material*> metals;
  for (const auto& l : layers) metals.push_back(&l.material);
  for (const auto& r : lateral.regions) metals.push_back(&r.material);
  for (const Material* m : metals) {
    if (!m->metal) continue;
    require(heat_capacity_model != ElectronHeatCapacity::table || m->electron_heat_capacity_table,
            "ttm.electrons.heat_capacity = table, but material '" + m->name +
                "' has no electron_heat_capacity_table");
    require(coupling_model != ElectronPhononCoupling::table || m->coupling_table,
            "ttm.electrons.coupling = table, but material '" + m->name + "' has no coupling_table");
    require(conductivity_model != ElectronConductivity::anisimov_rethfeld ||
                m->ar_chi_W_per_mK > 0.0,
            "ttm.electrons.conductivity = anisimov_rethfeld, but material '" + m->name +
                "' has no anisimov_rethfeld parameters");
  }
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const std::string key = "ttm.layers[" + std::to_string(k) + "]";
    require_in_range(key + ".thickness_m", layers[k].thickness_m, Range::open_closed(0, 1e-3));
    require_in_range(key + ".cells", static_cast<double>(layers[k].cells), Range::closed(1, 1e6));
    require_in_range(key + ".phonon_mean_free_path_m", layers[k].phonon_mean_free_path_m,
                     Range::closed(0, 1e-3));
  }
  const bool any_mfp = std::any_of(layers.begin(), layers.end(), [](const Layer& l) {
    return l.phonon_mean_free_path_m > 0.0;
  });
  require(lattice_transport == LatticeTransport::fourier || any_mfp,
          std::string("ttm.lattice_transport = ") +
              (lattice_transport == LatticeTransport::bte ? "bte" : "knudsen") +
              " needs phonon_mean_free_path_nm > 0 on some layer");
  if (lattice_transport == LatticeTransport::bte) {
    const auto why = [](const std::string& what) {
      return "ttm.lattice_transport = bte takes " + what;
    };
    require(lateral.geometry == Geometry::slab, why("a slab (1-D) only"));
    require(layers.size() == 1 && layers.front().material.metal, why("one metal layer"));
    require(layers.front().first_cell_m == 0.0, why("uniform cells (no first_cell_nm)"));
    require(layers.front().material.lattice_conductivity > 0.0,
            why("a material with lattice_conductivity_W_per_mK > 0"));
    require(front.kind == BoundaryKind::adiabatic, why("an adiabatic front"));
    require(back.kind != BoundaryKind::convective, why("an adiabatic or fixed back"));
    require(heat_inputs.empty() && initial_Te_K.empty() && initial_Tl_K.empty(),
            why("no heat inputs or initial profiles"));
    require(bte.ordinates % 2 == 0, "ttm.bte.ordinates = " + std::to_string(bte.ordinates) +
                                        " must be even");
  }
  require(layers.front().material.metal,
          "ttm.layers[0] must be a metal: the laser is absorbed by the electrons of the top layer");
  require_in_range("ttm.initial_temperature_K", initial_temperature_K, Range::open_closed(0, 1e5));
  require_in_range("ttm.source.fluence_J_per_m2", source.fluence_J_per_m2,
                   Range::open_closed(0, 1e5));
  require_in_range("ttm.source.reflectivity", source.reflectivity, Range::closed_open(0, 1));
  require_in_range("ttm.source.pulse_fwhm_s", source.fwhm_s, Range::open_closed(0, 1e-9));
  require_in_range("ttm.source.penetration_depth_m", source.penetration_depth_m,
                   Range::open_closed(0, 1e-5));
  require_in_range("ttm.time.output_every_s", output_every_s, Range::positive());
  require(end_s > start_s, "ttm.time: end must come after start");
  require_in_range("ttm.solver.rtol", solver.rtol, Range::open_closed(0, 0.1));
  if (lateral.geometry != Geometry::slab) {
    require_in_range("ttm.geometry.size_x_m", lateral.size_x_m, Range::open_closed(0, 0.1));
    require_in_range("ttm.geometry.cells_x", static_cast<double>(lateral.cells_x),
                     Range::closed(1, 4096));
    require(initial_Te_K.empty() && initial_Tl_K.empty(),
            "initial profiles are supported for the slab geometry only");
  }
  if (lateral.geometry == Geometry::cartesian) {
    require_in_range("ttm.geometry.size_y_m", lateral.size_y_m, Range::open_closed(0, 0.1));
    require_in_range("ttm.geometry.cells_y", static_cast<double>(lateral.cells_y),
                     Range::closed(1, 4096));
  }
  std::size_t cells = 0;
  for (const Layer& l : layers) cells += l.cells;
  for (const auto* profile : {&initial_Te_K, &initial_Tl_K}) {
    require(profile->empty() || profile->size() == cells,
            "an initial profile must give one temperature per cell (" + std::to_string(cells) +
                "), got " + std::to_string(profile->size()));
  }
}

double EnergyLedger::relative_imbalance() const {
  if (absorbed_J_per_m2.empty() || absorbed_J_per_m2.back() <= 0.0) return 0.0;
  const double a = absorbed_J_per_m2.back();
  const double stored = electrons_J_per_m2.back() + lattice_J_per_m2.back();
  return std::abs(a - stored - boundary_loss_J_per_m2.back()) / a;
}

// ---- run ---------------------------------------------------------------------------------

TtmCase with_lattice_transport(const TtmCase& c) {
  TtmCase out = c;
  if (c.lattice_transport != LatticeTransport::knudsen) return out;

  // Cross-plane Knudsen correction per layer, L = the layer's thickness.
  for (Layer& l : out.layers) {
    l.material.lattice_conductivity = knudsen_conductivity(
        l.material.lattice_conductivity, l.phonon_mean_free_path_m, l.thickness_m);
  }
  return out;
}

TtmResult run_ttm(const TtmCase& input) {
  input.validate();
  const TtmCase c = with_lattice_transport(input);
  if (c.lattice_transport == LatticeTransport::bte) return detail::run_ttm_bte(c);
  if (c.lateral.geometry != Geometry::slab) return detail::run_ttm_nd(c);
  const Model model(c);
  const std::size_t n = model.n;
  TtmResult r;
  r.x_m = model.x;
  r.width_m = model.w;
  r.layer_of_cell = model.layer;



  // SUNDIALS objects: state vector, BDF integrator, banded direct solver.
  Cvode cv;
  if (SUNContext_Create(nullptr, &cv.ctx) != 0) throw std::runtime_error("SUNContext_Create failed");
  const auto N = static_cast<sunindextype>(model.unknowns);
  cv.y = N_VNew_Serial(N, cv.ctx);
  double* y = N_VGetArrayPointer(cv.y);
  for (std::size_t i = 0; i < n; ++i) {
    y[model.il[i]] = c.initial_Tl_K.empty() ? c.initial_temperature_K : c.initial_Tl_K[i];
    if (model.ie[i] >= 0) {
      y[model.ie[i]] = !c.initial_Te_K.empty() ? c.initial_Te_K[i]
                                               : c.initial_electron_temperature_K.value_or(
                                                     c.initial_temperature_K);
    }
  }
  cv.mem = CVodeCreate(CV_BDF, cv.ctx);
  CVodeSetErrHandlerFn(cv.mem, cvode_error_handler, nullptr);
  CVodeInit(cv.mem, cvode_rhs, c.start_s, cv.y);
  CVodeSStolerances(cv.mem, c.solver.rtol, c.solver.atol_K);
  CVodeSetUserData(cv.mem, const_cast<Model*>(&model));
  CVodeSetMaxNumSteps(cv.mem, c.solver.max_steps);
  const sunindextype band = std::min<sunindextype>(2, N - 1);
  cv.A = SUNBandMatrix(N, band, band, cv.ctx);
  cv.LS = SUNLinSol_Band(cv.y, cv.A, cv.ctx);
  CVodeSetLinearSolver(cv.mem, cv.LS, cv.A);


  // Record one output row, the ledger and the HAZ running maximum.
  r.haz.lattice_max_K.assign(n, 0.0);
  double boundary_loss = 0.0, previous_gain = model.boundary_gain_total(y), previous_t = c.start_s;
  const double absorbed_per_pulse = (1.0 - c.source.reflectivity) * c.source.fluence_J_per_m2;
  double absorbed_fraction = 0.0;
  for (double a : model.absorb) absorbed_fraction += a;
  const double delivered_at_start = c.source.delivered(c.start_s);
  double electrons_at_start = 0.0, lattice_at_start = 0.0;
  bool first = true;
  auto record = [&](double t) {
    r.time_s.push_back(t);
    double electrons = 0.0, lattice = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const Material& m = model.mat(i);
      const double Tl = y[model.il[i]];
      const double Te = model.ie[i] >= 0 ? y[model.ie[i]] : Tl;
      r.Te_K.push_back(Te);
      r.Tl_K.push_back(Tl);
      r.haz.lattice_max_K[i] = std::max(r.haz.lattice_max_K[i], Tl);
      r.haz.electron_max_K = std::max(r.haz.electron_max_K, Te);
      lattice += m.lattice_heat_capacity * (Tl - c.initial_temperature_K) * model.w[i];
      if (model.ie[i] >= 0) electrons += model.electron_energy(m, Te) * model.w[i];
    }
    if (first) {
      electrons_at_start = electrons;
      lattice_at_start = lattice;
      first = false;
    }
    electrons -= electrons_at_start;
    lattice -= lattice_at_start;
    const double gain = model.boundary_gain_total(y);
    boundary_loss -= 0.5 * (gain + previous_gain) * (t - previous_t);
    previous_gain = gain;
    previous_t = t;
    r.energy.absorbed_J_per_m2.push_back(absorbed_per_pulse * absorbed_fraction *
                                             (c.source.delivered(t) - delivered_at_start) +
                                         model.heat_energy(t));
    r.energy.electrons_J_per_m2.push_back(electrons);
    r.energy.lattice_J_per_m2.push_back(lattice);
    r.energy.boundary_loss_J_per_m2.push_back(boundary_loss);
  };
  // Running maxima at every internal step, not only at outputs.
  auto on_step = [&] {
    for (std::size_t i = 0; i < n; ++i) {
      const double Tl = y[model.il[i]];
      r.haz.lattice_max_K[i] = std::max(r.haz.lattice_max_K[i], Tl);
      if (model.ie[i] >= 0) r.haz.electron_max_K = std::max(r.haz.electron_max_K, y[model.ie[i]]);
    }
  };
  detail::integrate_outputs(c, cv, r, record, on_step);

  // Heat-affected zone: deepest cell whose maximum lattice temperature reached its threshold.
  r.haz.threshold_K = c.haz_threshold_K.value_or(c.layers.front().material.haz_threshold_K);
  for (std::size_t i = 0; i < n; ++i) {
    const double threshold = c.haz_threshold_K.value_or(model.mat(i).haz_threshold_K);
    r.haz.lattice_peak_K = std::max(r.haz.lattice_peak_K, r.haz.lattice_max_K[i]);
    if (r.haz.lattice_max_K[i] >= threshold) {
      r.haz.extent_m = std::max(r.haz.extent_m, model.x[i] + 0.5 * model.w[i]);
    }
  }
  r.haz.electron_diffusion_length_m = c.layers.front().material.electron_diffusion_length();

  log::telemetry(log::Level::info, "ttm_done",
                 {{"ok", r.ok}, {"cells", n}, {"outputs", r.time_s.size()}, {"steps", r.steps},
                  {"Te_max_K", r.haz.electron_max_K}, {"Tl_max_K", r.haz.lattice_peak_K},
                  {"energy_imbalance", r.energy.relative_imbalance()}});
  return r;
}

}  // namespace psw::thermal
