#include <psw/core/data_dir.hpp>
#include <psw/thermal/material.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace psw::thermal {
namespace {

constexpr Range kGamma = Range::open_closed(0.0, 1e4);
constexpr Range kHeatCapacity = Range::open_closed(0.0, 1e8);
constexpr Range kConductivity = Range::open_closed(0.0, 1e4);
constexpr Range kLatticeConductivity = Range::closed(0.0, 1e4);
constexpr Range kCoupling = Range::open_closed(0.0, 1e20);
constexpr Range kTemperature = Range::open_closed(0.0, 1e5);

std::filesystem::path material_directory(const std::filesystem::path& directory) {
  return directory.empty() ? data_directory() / "materials" : directory;
}

// Reads every material key present in `c` into `m`; metals must end up with all their keys.
void read_keys(const Config& c, Material& m) {
  m.gamma = c.get_double("gamma_J_per_m3K2", m.gamma, m.metal ? kGamma : Range::non_negative());
  m.lattice_heat_capacity =
      c.get_double("lattice_heat_capacity_J_per_m3K", m.lattice_heat_capacity, kHeatCapacity);
  m.k0 = c.get_double("k0_W_per_mK", m.k0, m.metal ? kConductivity : Range::non_negative());
  m.lattice_conductivity =
      c.get_double("lattice_conductivity_W_per_mK", m.lattice_conductivity, kLatticeConductivity);
  m.coupling = c.get_double("coupling_W_per_m3K", m.coupling,
                            m.metal ? kCoupling : Range::non_negative());
  m.melting_point_K = c.get_double("melting_point_K", m.melting_point_K, kTemperature);
  m.haz_threshold_K = c.get_double("haz_threshold_K", m.haz_threshold_K, kTemperature);
  const auto table = [&](std::string_view key, const Range& range) -> std::shared_ptr<const Table1D> {
    const auto t = c.optional_section(key);
    if (!t) return nullptr;
    std::vector<double> x = t->get_doubles("Te_K", Range::open_closed(0.0, 1e6));
    std::vector<double> y = t->get_doubles("values", range);
    t->finish();
    try {
      return std::make_shared<const Table1D>(std::move(x), std::move(y), Interpolation::linear,
                                             Extrapolation::clamp, c.child_path(key));
    } catch (const std::invalid_argument& e) {
      throw t->error(e.what());
    }
  };
  if (auto t = table("electron_heat_capacity_table", kHeatCapacity)) m.electron_heat_capacity_table = t;
  if (auto t = table("coupling_table", kCoupling)) m.coupling_table = t;
  if (const auto ar = c.optional_section("anisimov_rethfeld")) {
    m.ar_chi_W_per_mK = ar->get_double("chi_W_per_mK", Range::open_closed(0.0, 1e5));
    m.ar_eta = ar->get_double("eta", Range::open_closed(0.0, 100.0));
    m.fermi_temperature_K = ar->get_double("fermi_temperature_K", Range::open_closed(1e3, 1e7));
    ar->finish();
  }
  c.finish();
}

}  // namespace

double anisimov_rethfeld_conductivity(const Material& m, double Te, double Tl) {
  const double te = Te / m.fermi_temperature_K, tl = Tl / m.fermi_temperature_K;
  const double te2 = te * te;
  return m.ar_chi_W_per_mK * std::pow(te2 + 0.16, 1.25) * (te2 + 0.44) * te /
         (std::sqrt(te2 + 0.092) * (te2 + m.ar_eta * tl));
}

double table_integral(const Table1D& table, double a, double b) {
  if (a == b) return 0.0;
  if (a > b) return -table_integral(table, b, a);
  // Trapezoids between the breakpoints inside [a, b]: exact for the piecewise-linear reading,
  // and for the constant pieces beyond the ends.
  std::vector<double> points{a};
  for (double x : table.x()) {
    if (x > a && x < b) points.push_back(x);
  }
  points.push_back(b);
  double sum = 0.0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    sum += 0.5 * (table(points[i - 1]) + table(points[i])) * (points[i] - points[i - 1]);
  }
  return sum;
}

double Material::electron_diffusion_length() const {
  return metal ? std::sqrt(k0 / coupling) : 0.0;
}

Material parse_material(const Config& c) {
  Material m;
  m.name = c.get_string("name");
  m.metal = c.get_choice("kind", {"metal", "dielectric"}) == "metal";
  m.source = c.source();
  read_keys(c, m);

  // Every parameter the model needs must be present and inside its range.
  auto need = [&](const char* key, double value, const Range& range) {
    if (!c.has(key)) throw c.error("material '" + m.name + "' lacks '" + key + "'");
    require_in_range(c.child_path(key), value, range);
  };
  need("lattice_heat_capacity_J_per_m3K", m.lattice_heat_capacity, kHeatCapacity);
  need("lattice_conductivity_W_per_mK", m.lattice_conductivity, kLatticeConductivity);
  need("melting_point_K", m.melting_point_K, kTemperature);
  need("haz_threshold_K", m.haz_threshold_K, kTemperature);
  if (m.metal) {
    need("gamma_J_per_m3K2", m.gamma, kGamma);
    need("k0_W_per_mK", m.k0, kConductivity);
    need("coupling_W_per_m3K", m.coupling, kCoupling);
  }
  return m;
}

Material apply_overrides(Material base, const Config& overrides) {
  read_keys(overrides, base);
  base.source += " (overridden at " + overrides.location() + ")";
  return base;
}

std::vector<std::string> known_materials(const std::filesystem::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(material_directory(directory))) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Material load_material(const std::string& name, const std::filesystem::path& directory) {
  const auto dir = material_directory(directory);
  const auto path = dir / (name + ".yaml");
  if (name.empty() || name.find('/') != std::string::npos || !std::filesystem::exists(path)) {
    std::string known;
    for (const auto& n : known_materials(directory)) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown material '" + name + "'; known materials: " + known);
  }
  Material m = parse_material(Config::load_file(path));
  if (m.name != name) {
    throw std::invalid_argument(path.string() + ": names material '" + m.name +
                                "' but the file is called '" + name + ".yaml'");
  }
  return m;
}

}  // namespace psw::thermal
