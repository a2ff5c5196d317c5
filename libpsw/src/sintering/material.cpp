#include <cmath>
#include <stdexcept>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/sintering/material.hpp>

namespace psw::embedded {
std::string_view sintering_material_ag();
std::string_view sintering_material_cu();
}  // namespace psw::embedded

namespace psw::sintering {
namespace {

constexpr double kKilo = 1e3;

// Reads one diffusion entry: {D0_m2_per_s | deltaD0_m3_per_s, Q_kJ_per_mol, source, checked}.
ArrheniusLaw read_law(const Config& c, std::string_view prefactor_key) {
  ArrheniusLaw law;
  law.prefactor = c.get_double(prefactor_key, Range::positive());
  law.activation_J_per_mol = c.get_double("Q_kJ_per_mol", Range::closed(0.0, 1000.0)) * kKilo;
  law.source = c.get_string("source");
  c.get_bool("checked", false);
  c.finish();
  return law;
}

}  // namespace

double ArrheniusLaw::operator()(double T_K) const {
  return prefactor * std::exp(-activation_J_per_mol / (constants::kGasConstant * T_K));
}

MasterCurveParams MasterCurveParams::from_config(const Config& c) {
  MasterCurveParams p;
  p.activation_J_per_mol = c.get_double("Q_kJ_per_mol", Range::open_closed(0.0, 1000.0)) * kKilo;
  p.ln_theta50 = c.get_double("ln_theta50_s_per_K", Range::closed(-200.0, 50.0));
  p.width = c.get_double("width", Range::open_closed(0.0, 20.0));
  p.green_density = c.get_double("green_density", Range::open(0.0, 1.0));
  p.max_density = c.get_double("max_density", 1.0, Range::open_closed(p.green_density, 1.0));
  p.reference_diameter_m = c.get_si("reference_diameter_nm", Range::open_closed(0.0, 1e5));
  p.size_exponent = c.get_double("size_exponent", 4.0, Range::closed(0.0, 6.0));
  p.source = c.get_string("source", "given in the case");
  c.finish();
  return p;
}

double SinteringMaterial::atomic_volume_m3() const {
  return molar_mass_kg_per_mol / (solid_density_kg_per_m3 * constants::kAvogadro);
}

SinteringMaterial SinteringMaterial::from_config(const Config& c) {
  SinteringMaterial m;
  m.name = c.get_string("name");
  m.melting_point_K = c.get_double("melting_point_K", Range::open_closed(0.0, 5000.0));
  m.molar_mass_kg_per_mol = c.get_double("molar_mass_g_per_mol", Range::open(0.0, 500.0)) / kKilo;
  m.solid_density_kg_per_m3 = c.get_double("solid_density_kg_per_m3", Range::open(0.0, 3e4));
  m.liquid_density_kg_per_m3 = c.get_double("liquid_density_kg_per_m3", Range::open(0.0, 3e4));
  m.latent_heat_J_per_kg = c.get_double("latent_heat_kJ_per_mol", Range::open(0.0, 1000.0)) *
                           kKilo / m.molar_mass_kg_per_mol;
  m.surface_energy_J_per_m2 = c.get_double("surface_energy_J_per_m2", Range::open(0.0, 10.0));
  m.liquid_surface_energy_J_per_m2 =
      c.get_double("liquid_surface_energy_J_per_m2", Range::open(0.0, 10.0));
  m.bulk_resistivity_ohm_m = c.get_si("bulk_resistivity_uohm_cm", Range::open(0.0, 1e4));
  m.electron_mean_free_path_m = c.get_si("electron_mean_free_path_nm", Range::open(0.0, 1e4));
  m.grain_boundary_reflection =
      c.get_double("grain_boundary_reflection", Range::closed_open(0.0, 1.0));

  // Diffusion paths: lattice as D, boundary and surface as δ·D.
  const Config d = c.section("diffusion");
  m.lattice_diffusion = read_law(d.section("lattice"), "D0_m2_per_s");
  m.boundary_diffusion = read_law(d.section("grain_boundary"), "deltaD0_m3_per_s");
  m.surface_diffusion = read_law(d.section("surface"), "deltaD0_m3_per_s");
  d.finish();

  if (const auto msc = c.optional_section("master_sintering_curve")) {
    m.master_curve = MasterCurveParams::from_config(*msc);
  }
  c.finish();
  return m;
}

std::vector<std::string> builtin_materials() { return {"Ag", "Cu"}; }

std::string_view builtin_material_yaml(std::string_view name) {
  if (name == "Ag") return embedded::sintering_material_ag();
  if (name == "Cu") return embedded::sintering_material_cu();
  throw std::invalid_argument("unknown sintering material '" + std::string(name) +
                              "'; known materials: Ag, Cu");
}

SinteringMaterial load_material(std::string_view name) {
  const std::string source = "data/sintering/" +
                             std::string(name == "Ag"   ? "ag"
                                         : name == "Cu" ? "cu"
                                                        : name) +
                             ".yaml";
  const Config root = Config::parse(builtin_material_yaml(name), source);
  SinteringMaterial m = SinteringMaterial::from_config(root.section("material"));
  root.finish();
  return m;
}

}  // namespace psw::sintering
