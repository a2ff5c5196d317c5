// The cone-jet: where it exists (the operating window) and what it emits (current, droplet
// size and charge) according to the published scaling laws.
//
// Operating window, for a capillary of radius r_c whose tip is a gap h from a grounded plane:
//   Taylor onset field   E_T  = (2γ·cos θ_T / (ε₀·r_c))^½,  θ_T = 49.29°      (Taylor 1964)
//   tip field            E(V) = 2V / (r_c·ln(4h/r_c))          (hyperboloid tip, r_c ≪ h)
//   onset voltage        V_on = (γ·r_c·cos θ_T / (2ε₀))^½ · ln(4h/r_c)        (Smith 1986)
//                        i.e. E(V_on) = E_T. (≈ 2·10⁵·(γ·r_c)^½·ln(4h/r_c) V in SI.)
//   minimum flow rate    Q_min = γ·ε·ε₀ / (ρ·K)     (η² = ρKQ/(γεε₀) = 1; Fernández de la Mora
//                                                      & Loscertales 1994)
//   corona bound         E(V) < E_c = 2.72·10⁶·δ·(1 + 0.054/(δ·r_c[m])^½) V/m
//                        (Peek's visual-corona field of a sphere of radius r_c; δ the relative
//                        air density, 1 at 25 °C and 101.325 kPa)
//   multi-jet bound      V < k_mj·V_on, k_mj from the case (default 1.5, an assumption)
//
// Scaling laws (each with the range in which its authors found it to hold):
//   r* = (Q·ε·ε₀/K)^⅓ (charge relaxation length), I₀ = (ε₀γ²/ρ)^½, Q₀ = γε₀/(ρK),
//   d₀ = (γε₀²/(ρK²))^⅓, so that I₀·(Q/Q₀)^½ = (γKQ)^½ and d₀·(Q/Q₀)^½ = (ρε₀Q³/(γK))^⅙.
//   - Fernández de la Mora & Loscertales (1994): I = f(ε)·(γKQ/ε)^½ with f = 18 on the plateau
//     ε ≳ 40; jet d_j ≈ 0.4·r* (their ethylene glycol photographs), droplet d = 1.89·d_j.
//   - Gañán-Calvo (1997): I = I₀·(Q/Q₀)^½ = (γKQ)^½, jet d_j = d₀·(Q/Q₀)^½, d = 1.89·d_j;
//     asymptotic laws for Q ≫ Q₀ and ε ≫ 1, with order-one prefactors taken as 1 here.
//   - Hartman et al. (2000): I = b·(γKQ)^½ with b = 1 (flat jet velocity profile),
//     d = c·(ρε₀Q⁴/I²)^⅙ with c = 2.0 (varicose jet break-up).
//   - Chen & Pui (1997): d = G(ε)·r*, G(ε) = −10.87·ε^(−6/5) + 4.08·ε^(−1/3) (their liquids
//     spanned ε from about 10 to 180); the current is the Fernández de la Mora form.
//   The factor 1.89 is Rayleigh's (1878) break-up of a jet into drops at the fastest-growing
//   wavelength 9.02·r_j: d/d_j = (3·9.02/4)^⅓ = 1.89.
//   Droplet charge q = I·(πd³/6)/Q (each droplet carries its volume's share of the current),
//   reported as the fraction q/q_R of the Rayleigh limit (aerosol.hpp).
//
// @note Confirmation status of the constants (see docs/electrospray.md, "Sources"): the forms
//       of all laws, f = 18, d_j ≈ 0.4·r*, the Smith and Taylor fields are checked against
//       the papers' abstracts or derived here; the prefactors of the Gañán-Calvo law (1, see
//       the erratum PRL 85 (2000) 4193), Hartman's b = 1 and c = 2.0, the coefficients of G(ε)
//       and Peek's sphere constants are quoted from secondary sources and are unconfirmed
//       against the originals. The multi-jet ratio has no published universal value.
// @note Smith's tip field assumes r_c ≪ h; with r_c/h = 0.1 the hyperboloid's exact field
//       (field.hpp) is 3.5 % higher. Peek's law is validated for radii of millimetres; for
//       µm emitters it is an extrapolation.
//
// References: G. I. Taylor, Proc. R. Soc. A 280 (1964) 383; D. P. H. Smith, IEEE Trans. Ind.
// Appl. IA-22 (1986) 527; J. Fernández de la Mora & I. G. Loscertales, J. Fluid Mech. 260
// (1994) 155; A. M. Gañán-Calvo, Phys. Rev. Lett. 79 (1997) 217; A. M. Gañán-Calvo et al.,
// J. Aerosol Sci. 125 (2018) 32 (review); R. P. A. Hartman et al., J. Aerosol Sci. 31 (2000)
// 65; D.-R. Chen & D. Y. H. Pui, Aerosol Sci. Technol. 27 (1997) 367; Lord Rayleigh, Proc.
// London Math. Soc. 10 (1878) 4; F. W. Peek, Dielectric Phenomena in High-Voltage
// Engineering, McGraw-Hill (1929).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <psw/electrospray/aerosol.hpp>
#include <psw/electrospray/ink.hpp>

namespace psw::electrospray {

/// Taylor's cone half-angle, 49.29° (Taylor 1964), in radians.
inline constexpr double kTaylorHalfAngle_rad = 49.29 * constants::kPi / 180.0;
/// Rayleigh's drop-to-jet diameter ratio (3·9.02/4)^⅓.
inline constexpr double kRayleighDropToJet = 1.89;

/// A capillary emitter (or sharpened tip) facing a grounded plane.
struct EmitterGeometry {
  double radius_m = 5e-6;  ///< r_c: capillary outer radius or tip radius, (0, 1 mm]
  double gap_m = 200e-6;   ///< h: tip to plane, > 2·r_c and ≤ 1 m

  /// @throws std::invalid_argument naming the field, value and range.
  void validate() const;
};

/// E_T = (2γ·cos θ_T/(ε₀·r_c))^½, V/m.
double taylor_onset_field(double surface_tension_N_per_m, double radius_m);
/// E(V) = 2V/(r_c·ln(4h/r_c)), V/m (magnitude for either polarity).
double tip_field(double voltage_V, const EmitterGeometry& emitter);
/// Smith (1986): V_on = (γ·r_c·cos θ_T/(2ε₀))^½·ln(4h/r_c), V.
double onset_voltage(double surface_tension_N_per_m, const EmitterGeometry& emitter);
/// Relative air density δ = (p/101325 Pa)·(298.15 K/T).
double relative_air_density(const Gas& gas);
/// Peek's visual-corona onset field of a sphere of radius r, V/m.
double corona_onset_field(double radius_m, double relative_density);
/// Q_min = γ·ε·ε₀/(ρ·K), m³/s.
double minimum_flow_rate(const Ink& ink);
/// r* = (Q·ε·ε₀/K)^⅓, m.
double charge_relaxation_length(const Ink& ink, double flow_m3_per_s);
/// Chen & Pui's size function G(ε) = −10.87·ε^(−6/5) + 4.08·ε^(−1/3).
double chen_pui_size_function(double relative_permittivity);

/// Gañán-Calvo's reference scales.
struct ReferenceScales {
  double current_A;      ///< I₀ = (ε₀γ²/ρ)^½
  double flow_m3_per_s;  ///< Q₀ = γε₀/(ρK)
  double length_m;       ///< d₀ = (γε₀²/(ρK²))^⅓
};
ReferenceScales reference_scales(const Ink& ink);

enum class ScalingLaw { fernandez_de_la_mora, ganan_calvo, hartman, chen_pui };

/// "fernandez_de_la_mora", "ganan_calvo", "hartman", "chen_pui".
std::string_view to_string(ScalingLaw law);
/// @throws std::invalid_argument naming the text and the accepted names.
ScalingLaw parse_scaling_law(std::string_view text);
std::vector<std::string> scaling_law_names();

/// What a scaling law predicts at one flow rate.
struct ScalingPrediction {
  ScalingLaw law = ScalingLaw::ganan_calvo;
  double current_A = 0.0;
  double jet_diameter_m = 0.0;  ///< d/1.89 where the law gives the droplet
  double droplet_diameter_m = 0.0;
  double droplet_charge_C = 0.0;   ///< I·(πd³/6)/Q
  double rayleigh_fraction = 0.0;  ///< q/q_R(d)
  bool in_validity_range = false;  ///< the ink and flow lie inside `validity`
  std::string validity;            ///< the law's stated range, in words
  std::string note;                ///< what is outside the range, or "" when all is inside
};

/// Current, droplet diameter and charge from `law` at flow rate Q (m³/s).
/// @throws std::invalid_argument when Q is not positive and finite.
ScalingPrediction predict(ScalingLaw law, const Ink& ink, double flow_m3_per_s);

/// Options of the operating-window check.
struct WindowOptions {
  double multijet_voltage_ratio = 1.5;  ///< k_mj, (1, 10]: an assumption, not a published value
  double min_flow_factor = 1.0;         ///< Q ≥ factor·Q_min, (0, 100]
  bool check_corona = true;
  void validate() const;
};

enum class ConeJetStatus { stable, below_onset, below_minimum_flow, corona, multi_jet };
std::string_view to_string(ConeJetStatus status);

/// The operating window and what the cone-jet emits at the operating point.
struct ConeJetResult {
  ConeJetStatus status = ConeJetStatus::stable;
  /// "stable cone-jet" or "no stable cone-jet: " followed by every violated condition.
  std::string reason;
  double voltage_V = 0.0;
  double flow_m3_per_s = 0.0;
  double onset_voltage_V = 0.0;
  double multijet_voltage_V = 0.0;
  double corona_voltage_V = 0.0;       ///< where E(V) reaches the corona field
  double minimum_flow_m3_per_s = 0.0;  ///< factor·Q_min
  double tip_field_V_per_m = 0.0;      ///< E(V) at the operating voltage
  double taylor_field_V_per_m = 0.0;
  double corona_field_V_per_m = 0.0;
  double charge_relaxation_time_s = 0.0;
  ScalingPrediction prediction;

  bool stable() const { return status == ConeJetStatus::stable; }
};

/// Checks the operating point (voltage, flow) against the window and applies `law`.
/// Outside the window the result says why; it never throws for that.
/// @throws std::invalid_argument for bad input (non-finite voltage, flow ≤ 0, bad geometry).
ConeJetResult analyse_cone_jet(const Ink& ink, const EmitterGeometry& emitter, double voltage_V,
                               double flow_m3_per_s, ScalingLaw law, const Gas& gas = {},
                               const WindowOptions& options = {});

}  // namespace psw::electrospray
