// Deposition: how much metal the spray delivers into an open, and how long it takes to fill.
//
//   particle volume rate    Ṽ_p = φ·Q                      (every droplet's metal, m³/s)
//   captured fraction       η = Σ_{landed in the open} d_i³ / Σ_all d_i³
//                           (metal-weighted: a droplet's metal scales with its emitted volume;
//                           droplets that did not land count as missed)
//   deposited rate          Ṽ_d = η·Ṽ_p
//   defect volume           V = L·W·H                      (an open of length L along the
//                                                            line, width W, height H)
//   metal needed            V_s = p·V                      (p: the packing fraction of the
//                                                            as-deposited particles)
//   fill time               t = V_s / Ṽ_d
//
// The open is a rectangle centred on the emitter axis with its length along x. The packing
// fraction of a dried nanoparticle deposit lies near random close packing (about 0.64, Scott &
// Kilgour 1969) or below; sintering densifies it later (psw::sintering).
//
// @note The deposit is assumed to stay where the droplets land: no spreading, coffee-ring
//       flow or bouncing, and no change of the field by the growing deposit.
//
// Reference: G. D. Scott & D. M. Kilgour, J. Phys. D 2 (1969) 863.
#pragma once

#include <psw/electrospray/ink.hpp>
#include <psw/electrospray/spray.hpp>

namespace psw::electrospray {

/// An open in a line: length along the line (x), width across it (y), height (the line's
/// thickness). All in (0, 1 mm].
struct Defect {
  double length_m = 3e-6;
  double width_m = 2e-6;
  double height_m = 2e-6;
  double packing_fraction = 0.6;  ///< p, (0, 0.74]

  double volume_m3() const { return length_m * width_m * height_m; }
  /// @throws std::invalid_argument naming the field, value and range.
  void validate() const;
};

struct DepositionResult {
  double particle_volume_rate_m3_per_s = 0.0;   ///< φ·Q
  double captured_fraction = 0.0;               ///< η
  double deposited_volume_rate_m3_per_s = 0.0;  ///< η·φ·Q
  double defect_volume_m3 = 0.0;                ///< L·W·H
  double metal_volume_needed_m3 = 0.0;          ///< p·L·W·H
  double fill_time_s = 0.0;                     ///< ∞ when nothing lands in the open
  double particles_per_droplet = 0.0;           ///< φ·(d/d_p)³ at the median droplet size
};

/// Metal-weighted fraction of the spray that lands inside the open.
double captured_fraction(const SprayResult& spray, const Defect& defect);

/// φ·Q, m³/s. @throws std::invalid_argument for an ink without nanoparticles or Q ≤ 0.
double particle_volume_rate(const Ink& ink, double flow_m3_per_s);

/// The deposition figures for a flow rate Q and a captured fraction η ∈ [0, 1].
/// `median_droplet_diameter_m` only feeds particles_per_droplet.
/// @throws std::invalid_argument for bad input.
DepositionResult deposition(const Ink& ink, double flow_m3_per_s, double captured_fraction,
                            const Defect& defect, double median_droplet_diameter_m);

}  // namespace psw::electrospray
