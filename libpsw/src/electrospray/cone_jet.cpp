#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <psw/core/error.hpp>
#include <psw/electrospray/cone_jet.hpp>

namespace psw::electrospray {
namespace {

using constants::kPi;
using constants::kVacuumPermittivity;

// Fernández de la Mora & Loscertales (1994): f(ε) on its plateau, the plateau's lower end,
// and the jet diameter in units of r*.
constexpr double kFdlmPlateau = 18.0;
constexpr double kFdlmPlateauMinPermittivity = 40.0;
constexpr double kFdlmJetPerChargeLength = 0.4;
// Hartman et al. (2000): current and droplet prefactors.
constexpr double kHartmanCurrent = 1.0;
constexpr double kHartmanDroplet = 2.0;
// Gañán-Calvo (1997): the asymptotic laws need ε ≫ 1; flagged below this.
constexpr double kGananCalvoMinPermittivity = 10.0;
// Chen & Pui (1997): the permittivities of their test liquids.
constexpr double kChenPuiMinPermittivity = 10.0;
constexpr double kChenPuiMaxPermittivity = 180.0;
// Peek's sphere constants in SI: 27.2 kV/cm and 0.54 cm^½.
constexpr double kPeekField_V_per_m = 2.72e6;
constexpr double kPeekRadius_sqrt_m = 0.054;

std::string sci(double value, const char* unit) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3g %s", value, unit);
  return buffer;
}

// Appends "; " + text to a list of reasons.
void add(std::string& list, const std::string& text) {
  if (!list.empty()) list += "; ";
  list += text;
}

double fdlm_current(const Ink& ink, double q) {
  return kFdlmPlateau * std::sqrt(ink.surface_tension_N_per_m * ink.conductivity_S_per_m * q /
                                  ink.relative_permittivity);
}

}  // namespace

void EmitterGeometry::validate() const {
  require_in_range("emitter.radius_m", radius_m, Range::open_closed(0.0, 1e-3));
  require_in_range("emitter.gap_m", gap_m, Range::open_closed(2.0 * radius_m, 1.0));
}

double taylor_onset_field(double surface_tension_N_per_m, double radius_m) {
  return std::sqrt(2.0 * surface_tension_N_per_m * std::cos(kTaylorHalfAngle_rad) /
                   (kVacuumPermittivity * radius_m));
}

double tip_field(double voltage_V, const EmitterGeometry& e) {
  return 2.0 * std::abs(voltage_V) / (e.radius_m * std::log(4.0 * e.gap_m / e.radius_m));
}

double onset_voltage(double surface_tension_N_per_m, const EmitterGeometry& e) {
  return std::sqrt(surface_tension_N_per_m * e.radius_m * std::cos(kTaylorHalfAngle_rad) /
                   (2.0 * kVacuumPermittivity)) *
         std::log(4.0 * e.gap_m / e.radius_m);
}

double relative_air_density(const Gas& gas) {
  return (gas.pressure_Pa / 101325.0) * (298.15 / gas.temperature_K);
}

double corona_onset_field(double radius_m, double relative_density) {
  return kPeekField_V_per_m * relative_density *
         (1.0 + kPeekRadius_sqrt_m / std::sqrt(relative_density * radius_m));
}

double minimum_flow_rate(const Ink& ink) {
  return ink.surface_tension_N_per_m * ink.relative_permittivity * kVacuumPermittivity /
         (ink.density_kg_per_m3 * ink.conductivity_S_per_m);
}

double charge_relaxation_length(const Ink& ink, double q) {
  return std::cbrt(q * ink.relative_permittivity * kVacuumPermittivity / ink.conductivity_S_per_m);
}

double chen_pui_size_function(double eps) {
  return -10.87 * std::pow(eps, -1.2) + 4.08 * std::pow(eps, -1.0 / 3.0);
}

ReferenceScales reference_scales(const Ink& ink) {
  const double g = ink.surface_tension_N_per_m, rho = ink.density_kg_per_m3;
  const double k = ink.conductivity_S_per_m;
  return {std::sqrt(kVacuumPermittivity * g * g / rho), g * kVacuumPermittivity / (rho * k),
          std::cbrt(g * kVacuumPermittivity * kVacuumPermittivity / (rho * k * k))};
}

std::string_view to_string(ScalingLaw law) {
  switch (law) {
    case ScalingLaw::fernandez_de_la_mora:
      return "fernandez_de_la_mora";
    case ScalingLaw::ganan_calvo:
      return "ganan_calvo";
    case ScalingLaw::hartman:
      return "hartman";
    case ScalingLaw::chen_pui:
      return "chen_pui";
  }
  return "unknown";
}

std::vector<std::string> scaling_law_names() {
  return {"fernandez_de_la_mora", "ganan_calvo", "hartman", "chen_pui"};
}

ScalingLaw parse_scaling_law(std::string_view text) {
  for (ScalingLaw law : {ScalingLaw::fernandez_de_la_mora, ScalingLaw::ganan_calvo,
                         ScalingLaw::hartman, ScalingLaw::chen_pui}) {
    if (to_string(law) == text) return law;
  }
  throw std::invalid_argument("unknown scaling law '" + std::string(text) +
                              "'; known laws: fernandez_de_la_mora, ganan_calvo, hartman, "
                              "chen_pui");
}

ScalingPrediction predict(ScalingLaw law, const Ink& ink, double q) {
  if (!(q > 0.0) || !std::isfinite(q)) {
    throw std::invalid_argument(out_of_range_message("flow_m3_per_s", q, Range::positive()));
  }
  ScalingPrediction p;
  p.law = law;
  const double eps = ink.relative_permittivity;
  const double gkq = ink.surface_tension_N_per_m * ink.conductivity_S_per_m * q;
  const double q_min = minimum_flow_rate(ink);
  const ReferenceScales s = reference_scales(ink);
  std::string outside;
  if (q < q_min) add(outside, "Q = " + sci(q, "m3/s") + " is below Q_min = " + sci(q_min, "m3/s"));

  switch (law) {
    case ScalingLaw::fernandez_de_la_mora:
      // I = f(ε)(γKQ/ε)^½ on the f = 18 plateau; d_j ≈ 0.4 r*.
      p.current_A = fdlm_current(ink, q);
      p.jet_diameter_m = kFdlmJetPerChargeLength * charge_relaxation_length(ink, q);
      p.droplet_diameter_m = kRayleighDropToJet * p.jet_diameter_m;
      p.validity = "eps >= 40 (the f = 18 plateau) and Q >= Q_min";
      if (eps < kFdlmPlateauMinPermittivity) {
        add(outside, "eps = " + format_number(eps) + " is below the f = 18 plateau (eps >= 40)");
      }
      break;
    case ScalingLaw::ganan_calvo:
      // I = I₀(Q/Q₀)^½, d_j = d₀(Q/Q₀)^½ with unit prefactors.
      p.current_A = s.current_A * std::sqrt(q / s.flow_m3_per_s);
      p.jet_diameter_m = s.length_m * std::sqrt(q / s.flow_m3_per_s);
      p.droplet_diameter_m = kRayleighDropToJet * p.jet_diameter_m;
      p.validity = "Q >> Q0 and eps >> 1 (flagged for Q < Q_min or eps < 10); prefactors 1";
      if (eps < kGananCalvoMinPermittivity) {
        add(outside, "eps = " + format_number(eps) + " is not >> 1 (eps < 10)");
      }
      break;
    case ScalingLaw::hartman: {
      // I = b(γKQ)^½, d = c(ρε₀Q⁴/I²)^⅙.
      p.current_A = kHartmanCurrent * std::sqrt(gkq);
      const double i2 = p.current_A * p.current_A;
      p.droplet_diameter_m =
          kHartmanDroplet *
          std::pow(ink.density_kg_per_m3 * kVacuumPermittivity * q * q * q * q / i2, 1.0 / 6.0);
      p.jet_diameter_m = p.droplet_diameter_m / kRayleighDropToJet;
      p.validity = "Q >= Q_min, varicose jet break-up (assumed, not checked)";
      break;
    }
    case ScalingLaw::chen_pui:
      // d = G(ε) r*; current in the Fernández de la Mora form.
      p.current_A = fdlm_current(ink, q);
      p.droplet_diameter_m = chen_pui_size_function(eps) * charge_relaxation_length(ink, q);
      p.jet_diameter_m = p.droplet_diameter_m / kRayleighDropToJet;
      p.validity = "10 <= eps <= 180 (the test liquids) and Q >= Q_min; current f = 18";
      if (eps < kChenPuiMinPermittivity || eps > kChenPuiMaxPermittivity) {
        add(outside, "eps = " + format_number(eps) + " is outside [10, 180]");
      }
      if (eps < kFdlmPlateauMinPermittivity) {
        add(outside, "the f = 18 current is extrapolated below eps = 40");
      }
      break;
  }

  // Each droplet carries its volume's share of the current.
  const double d = p.droplet_diameter_m;
  if (d > 0.0) {
    p.droplet_charge_C = p.current_A * (kPi * d * d * d / 6.0) / q;
    p.rayleigh_fraction = p.droplet_charge_C / rayleigh_charge(d, ink.surface_tension_N_per_m);
  } else {
    add(outside, "the law gives no positive droplet diameter");
  }
  if (p.rayleigh_fraction > 1.0) {
    add(outside, "the droplet charge is " + format_number(p.rayleigh_fraction) +
                     " of the Rayleigh limit (> 1: the current and diameter are inconsistent)");
  }
  p.in_validity_range = outside.empty();
  p.note = outside;
  return p;
}

void WindowOptions::validate() const {
  require_in_range("window.multijet_voltage_ratio", multijet_voltage_ratio,
                   Range::open_closed(1.0, 10.0));
  require_in_range("window.min_flow_factor", min_flow_factor, Range::open_closed(0.0, 100.0));
}

std::string_view to_string(ConeJetStatus status) {
  switch (status) {
    case ConeJetStatus::stable:
      return "stable";
    case ConeJetStatus::below_onset:
      return "below_onset";
    case ConeJetStatus::below_minimum_flow:
      return "below_minimum_flow";
    case ConeJetStatus::corona:
      return "corona";
    case ConeJetStatus::multi_jet:
      return "multi_jet";
  }
  return "unknown";
}

ConeJetResult analyse_cone_jet(const Ink& ink, const EmitterGeometry& emitter, double voltage_V,
                               double flow_m3_per_s, ScalingLaw law, const Gas& gas,
                               const WindowOptions& options) {
  ink.validate();
  emitter.validate();
  gas.validate();
  options.validate();
  require_in_range("voltage_V", voltage_V, Range::finite());
  require_in_range("flow_m3_per_s", flow_m3_per_s, Range::positive());

  ConeJetResult r;
  r.voltage_V = voltage_V;
  r.flow_m3_per_s = flow_m3_per_s;
  const double v = std::abs(voltage_V);

  // The window's edges.
  r.onset_voltage_V = onset_voltage(ink.surface_tension_N_per_m, emitter);
  r.multijet_voltage_V = options.multijet_voltage_ratio * r.onset_voltage_V;
  r.taylor_field_V_per_m = taylor_onset_field(ink.surface_tension_N_per_m, emitter.radius_m);
  r.tip_field_V_per_m = tip_field(voltage_V, emitter);
  r.corona_field_V_per_m = corona_onset_field(emitter.radius_m, relative_air_density(gas));
  r.corona_voltage_V = r.corona_field_V_per_m * emitter.radius_m *
                       std::log(4.0 * emitter.gap_m / emitter.radius_m) / 2.0;
  r.minimum_flow_m3_per_s = options.min_flow_factor * minimum_flow_rate(ink);
  r.charge_relaxation_time_s = ink.charge_relaxation_time_s();
  r.prediction = predict(law, ink, flow_m3_per_s);

  // Every violated condition, the first one fixing the status.
  std::string reasons;
  auto fail = [&](ConeJetStatus status, const std::string& text) {
    if (reasons.empty()) r.status = status;
    add(reasons, text);
  };
  if (flow_m3_per_s < r.minimum_flow_m3_per_s) {
    fail(ConeJetStatus::below_minimum_flow,
         "flow " + sci(flow_m3_per_s, "m3/s") + " is below the minimum " +
             sci(r.minimum_flow_m3_per_s, "m3/s") +
             " (gamma eps eps0/(rho K) with K = " + sci(ink.conductivity_S_per_m, "S/m") + ")");
  }
  if (v < r.onset_voltage_V) {
    fail(ConeJetStatus::below_onset, sci(v, "V") + " is below the onset voltage " +
                                         sci(r.onset_voltage_V, "V") + " (Smith 1986)");
  }
  if (options.check_corona && v >= r.corona_voltage_V) {
    fail(ConeJetStatus::corona, "the tip field " + sci(r.tip_field_V_per_m, "V/m") + " at " +
                                    sci(v, "V") + " reaches the corona onset field " +
                                    sci(r.corona_field_V_per_m, "V/m") + " (Peek), from " +
                                    sci(r.corona_voltage_V, "V"));
  }
  if (v > r.multijet_voltage_V) {
    fail(ConeJetStatus::multi_jet, sci(v, "V") + " is above the multi-jet bound " +
                                       format_number(options.multijet_voltage_ratio) +
                                       " x onset = " + sci(r.multijet_voltage_V, "V"));
  }
  r.reason = reasons.empty() ? "stable cone-jet" : "no stable cone-jet: " + reasons;
  return r;
}

}  // namespace psw::electrospray
