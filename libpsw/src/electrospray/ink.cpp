#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <span>
#include <stdexcept>

#include <psw/core/constants.hpp>
#include <psw/core/error.hpp>
#include <psw/electrospray/ink.hpp>

namespace psw::embedded {
struct NamedText {
  std::string_view name;
  std::string_view text;
};
std::span<const NamedText> builtin_inks();
}  // namespace psw::embedded

namespace psw::electrospray {
namespace {

// Krieger–Dougherty parameters for hard spheres: intrinsic viscosity and maximum packing.
constexpr double kIntrinsicViscosity = 2.5;
constexpr double kMaxPacking = 0.64;

constexpr Range kTemperature_K = Range::open_closed(0.0, 1000.0);
constexpr Range kConductivity_S_per_m = Range::open_closed(0.0, 100.0);
constexpr Range kSurfaceTension_N_per_m = Range::open_closed(0.0, 1.0);
constexpr Range kPermittivity = Range::closed(1.0, 1000.0);
constexpr Range kViscosity_Pa_s = Range::open_closed(0.0, 100.0);
constexpr Range kDensity_kg_per_m3 = Range::open_closed(0.0, 25000.0);
constexpr Range kVapourPressure_Pa = Range::closed(0.0, 1e6);
constexpr Range kDiffusivity_m2_per_s = Range::open_closed(0.0, 1e-3);
constexpr Range kMolarMass_kg_per_mol = Range::open_closed(0.0, 1.0);
constexpr Range kParticleDiameter_m = Range::open_closed(0.0, 1e-6);
constexpr Range kVolumeFraction = Range::open_closed(0.0, 0.5);

// One scalar property of an ink file: its key, the accepted range in the key's own unit, the
// factor to SI, and the field it fills.
struct Property {
  std::string_view key;
  Range range;
  double to_si;
  double Ink::*field;
};

const Property kProperties[] = {
    {"temperature_K", kTemperature_K, 1.0, &Ink::temperature_K},
    {"conductivity_S_per_m", kConductivity_S_per_m, 1.0, &Ink::conductivity_S_per_m},
    {"surface_tension_mN_per_m", Range::open_closed(0.0, 1000.0), 1e-3,
     &Ink::surface_tension_N_per_m},
    {"relative_permittivity", kPermittivity, 1.0, &Ink::relative_permittivity},
    {"viscosity_mPa_s", Range::open_closed(0.0, 1e5), 1e-3, &Ink::viscosity_Pa_s},
    {"density_kg_per_m3", kDensity_kg_per_m3, 1.0, &Ink::density_kg_per_m3},
    {"vapour_pressure_Pa", kVapourPressure_Pa, 1.0, &Ink::vapour_pressure_Pa},
    {"vapour_diffusivity_m2_per_s", kDiffusivity_m2_per_s, 1.0, &Ink::vapour_diffusivity_m2_per_s},
    {"molar_mass_g_per_mol", Range::open_closed(0.0, 1000.0), 1e-3,
     &Ink::solvent_molar_mass_kg_per_mol},
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

const embedded::NamedText* find_builtin(std::string_view name) {
  for (const auto& entry : embedded::builtin_inks()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

std::string unknown_ink_message(std::string_view name) {
  return "unknown ink '" + std::string(name) + "'; known inks: " + join(builtin_ink_names());
}

// The ink map of a parsed ink file: `ink:` and nothing else at the top.
Ink from_file_root(const Config& root) {
  const Config map = root.section("ink");
  root.finish();
  return Ink::from_config(map);
}

// Derives the mixture properties of a nanoparticle ink from its carrier (see ink.hpp).
void derive_mixture(Ink& ink, const Nanoparticles& np) {
  const double phi = np.volume_fraction;
  const std::string basis =
      "derived from carrier " + ink.carrier + " with phi = " + format_number(phi) + ": ";

  // Volume-weighted density (exact for an ideal dispersion).
  ink.density_kg_per_m3 = phi * np.density_kg_per_m3 + (1.0 - phi) * ink.density_kg_per_m3;
  ink.sources["density_kg_per_m3"] = basis + "rho = phi rho_p + (1 - phi) rho_c";

  // Krieger–Dougherty viscosity of hard spheres.
  ink.viscosity_Pa_s *= std::pow(1.0 - phi / kMaxPacking, -kIntrinsicViscosity * kMaxPacking);
  ink.sources["viscosity_mPa_s"] =
      basis + "Krieger & Dougherty, Trans. Soc. Rheol. 3 (1959) 137, [eta] = 2.5, phi_m = 0.64";

  // Maxwell Garnett permittivity for perfectly conducting spheres.
  ink.relative_permittivity *= (1.0 + 2.0 * phi) / (1.0 - phi);
  ink.sources["relative_permittivity"] =
      basis + "Maxwell Garnett (1904) for conducting spheres, eps = eps_c (1 + 2 phi)/(1 - phi)";
}

Nanoparticles read_nanoparticles(const Config& c, std::vector<std::string>& given) {
  Nanoparticles np;
  np.material = c.get_string("material");
  np.diameter_m = c.get_si("diameter_nm", Range::open_closed(0.0, 1000.0));
  np.volume_fraction = c.get_double("volume_fraction", kVolumeFraction);
  np.density_kg_per_m3 = c.get_si("density_kg_per_m3", kDensity_kg_per_m3);
  c.finish();
  for (const char* key : {"material", "diameter_nm", "volume_fraction", "density_kg_per_m3"}) {
    given.push_back(std::string("nanoparticles.") + key);
  }
  return np;
}

}  // namespace

double Ink::solvent_density_kg_per_m3() const {
  if (!nanoparticles) return density_kg_per_m3;
  const double phi = nanoparticles->volume_fraction;
  return (density_kg_per_m3 - phi * nanoparticles->density_kg_per_m3) / (1.0 - phi);
}

double Ink::charge_relaxation_time_s() const {
  return relative_permittivity * constants::kVacuumPermittivity / conductivity_S_per_m;
}

void Ink::validate() const {
  const std::string who = "ink '" + name + "': ";
  require(!name.empty(), "an ink needs a name");
  const auto check = [&](std::string_view field, double value, const Range& range) {
    if (!range.contains(value)) {
      throw std::invalid_argument(who + out_of_range_message(field, value, range));
    }
  };
  check("temperature_K", temperature_K, kTemperature_K);
  check("conductivity_S_per_m", conductivity_S_per_m, kConductivity_S_per_m);
  check("surface_tension_N_per_m", surface_tension_N_per_m, kSurfaceTension_N_per_m);
  check("relative_permittivity", relative_permittivity, kPermittivity);
  check("viscosity_Pa_s", viscosity_Pa_s, kViscosity_Pa_s);
  check("density_kg_per_m3", density_kg_per_m3, kDensity_kg_per_m3);
  check("vapour_pressure_Pa", vapour_pressure_Pa, kVapourPressure_Pa);
  check("vapour_diffusivity_m2_per_s", vapour_diffusivity_m2_per_s, kDiffusivity_m2_per_s);
  check("solvent_molar_mass_kg_per_mol", solvent_molar_mass_kg_per_mol, kMolarMass_kg_per_mol);
  if (nanoparticles) {
    check("nanoparticles.diameter_m", nanoparticles->diameter_m, kParticleDiameter_m);
    check("nanoparticles.volume_fraction", nanoparticles->volume_fraction, kVolumeFraction);
    check("nanoparticles.density_kg_per_m3", nanoparticles->density_kg_per_m3, kDensity_kg_per_m3);
    check("solvent density (from the mixture density)", solvent_density_kg_per_m3(),
          kDensity_kg_per_m3);
  }
}

Ink Ink::from_config(const Config& c) {
  Ink ink;
  ink.name = c.get_string("name");
  ink.description = c.get_string("description", "");
  std::vector<std::string> given;  // the property keys this file sets

  // The carrier's properties are the starting point; its sources are kept, marked as its.
  if (c.has("carrier")) {
    ink.carrier = c.get_string("carrier");
    const embedded::NamedText* entry = find_builtin(ink.carrier);
    if (entry == nullptr) throw c.child("carrier").error(unknown_ink_message(ink.carrier));
    const Ink base = builtin_ink(ink.carrier);
    if (base.nanoparticles) {
      throw c.child("carrier").error("carrier '" + ink.carrier +
                                     "' is itself a nanoparticle ink; name a liquid");
    }
    const std::string ink_name = ink.name, carrier = ink.carrier, description = ink.description;
    ink = base;
    ink.name = ink_name;
    ink.carrier = carrier;
    ink.description = description;
    for (auto& [key, text] : ink.sources) text = "carrier " + carrier + ": " + text;
  }

  // Particles, then the mixture they make with the carrier.
  if (const auto np = c.optional_section("nanoparticles")) {
    ink.nanoparticles = read_nanoparticles(*np, given);
    if (!ink.carrier.empty()) derive_mixture(ink, *ink.nanoparticles);
  }

  // Explicit values: required for a liquid, overrides for an ink with a carrier.
  for (const Property& p : kProperties) {
    if (c.has(p.key)) {
      ink.*p.field = c.get_double(p.key, p.range) * p.to_si;
      given.emplace_back(p.key);
    } else if (ink.carrier.empty()) {
      throw c.error("ink '" + ink.name + "' misses '" + c.child_path(p.key) +
                    "' (a liquid without a carrier must give every property)");
    } else {
      c.accept(p.key);
    }
  }
  if (ink.nanoparticles && !c.has("conductivity_S_per_m")) {
    throw c.error("ink '" + ink.name +
                  "' needs 'conductivity_S_per_m': a nanoparticle ink's "
                  "conductivity is set by its stabilisers, not by its carrier");
  }

  // Every given value has a source, and every source names a given value.
  const std::set<std::string> given_set(given.begin(), given.end());
  const auto sources = c.optional_section("sources");
  if (sources) {
    for (const std::string& key : sources->keys()) {
      if (!given_set.contains(key)) {
        throw sources->child(key).error("source for '" + key + "' names no value of ink '" +
                                        ink.name + "'; values given here: " + join(given));
      }
      const std::string text = sources->get_string(key);
      if (text.empty()) throw sources->child(key).error("empty source for '" + key + "'");
      ink.sources[key] = text;
    }
    sources->finish();
  }
  for (const std::string& key : given) {
    if (!sources || !sources->has(key)) {
      throw c.error("ink '" + ink.name + "': value '" + key + "' has no source under '" +
                    c.child_path("sources") + "'");
    }
  }
  c.finish();

  try {
    ink.validate();
  } catch (const std::invalid_argument& e) {
    throw c.error(e.what());
  }
  return ink;
}

std::vector<std::string> builtin_ink_names() {
  std::vector<std::string> names;
  for (const auto& entry : embedded::builtin_inks()) names.emplace_back(entry.name);
  return names;
}

std::string_view builtin_ink_yaml(std::string_view name) {
  const embedded::NamedText* entry = find_builtin(name);
  if (entry == nullptr) throw std::invalid_argument(unknown_ink_message(name));
  return entry->text;
}

Ink builtin_ink(std::string_view name) {
  const std::string_view text = builtin_ink_yaml(name);
  return from_file_root(Config::parse(text, "<built-in ink " + std::string(name) + ">"));
}

Ink load_ink_file(const std::string& path) { return from_file_root(Config::load_file(path)); }

Ink ink_from_case(const Config& section) {
  section.accept("ink");
  section.accept("ink_file");
  const bool has_ink = section.has("ink");
  const bool has_file = section.has("ink_file");
  if (has_ink && has_file) throw section.error("give either 'ink' or 'ink_file', not both");

  // A file, relative to the case file's folder when the case came from a file.
  if (has_file) {
    std::filesystem::path path = section.get_string("ink_file");
    const std::filesystem::path case_path = section.source();
    if (path.is_relative() && std::filesystem::is_regular_file(case_path)) {
      path = case_path.parent_path() / path;
    }
    return load_ink_file(path.string());
  }
  if (!has_ink) {
    throw section.error("missing '" + section.child_path("ink") + "': name a built-in ink (" +
                        join(builtin_ink_names()) + "), give an inline ink map, or give ink_file");
  }

  // A built-in name, or an inline map.
  const Config ink = section.child("ink");
  if (ink.is_map()) return Ink::from_config(ink);
  const std::string name = ink.as_string();
  if (find_builtin(name) == nullptr) throw ink.error(unknown_ink_message(name));
  return builtin_ink(name);
}

}  // namespace psw::electrospray
