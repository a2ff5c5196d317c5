// Flight of one charged droplet from the jet to the substrate plane z = 0.
//
// Equations of motion, state (x, v) and the accumulated Brownian variance B:
//   dx/dt = v
//   m(t)·dv/dt = q·(E(x) + E_sc(x)) − 3πμ·d(t)·v / C(d(t)) + m(t)·g
//   dB/dt = 2·D(d(t)),  D = k_B·T·C/(3πμd)
// with E the emitter field (field.hpp), E_sc the optional space charge of the spray, C the
// Cunningham factor and g = −9.81 m/s² ẑ (aerosol.hpp). The droplet shrinks by the d² law
//   d(t)² = max(d₀² − β·t, d_s²),  d_s = d₀·φ^⅓ (the particles' volume stays),
// so m(t) = ρ_p·V_p + ρ_l·(πd³/6 − V_p); its charge q stays.
//
// Brownian motion is added after the flight as a Gaussian lateral displacement of variance
// B per axis (the Monte Carlo in spray.hpp does that). That is the overdamped limit: exact when
// the flight lasts many relaxation times τ and when the displacement is small against the
// scale on which E varies; otherwise it overstates the spread by at most the ballistic part.
//
// Integrators: Dormand–Prince 5(4) (psw::DormandPrince54, psw/core/ode.hpp) with a per-step
// error estimate, step-size control on position and velocity (relative tolerance plus absolute
// tolerances; B rides along uncontrolled), FSAL; or classic RK4
// with a fixed step (the baseline). Landing is found inside the step that crosses z = 0 from
// the cubic Hermite interpolant of (z, v_z), which is exact for constant acceleration.
//
// Space charge (optional): the spray is taken as a paraxial beam of line charge λ(z) = I/v̄_z(z)
// whose charge is Gaussian in the lateral plane with rms σ(z) per axis; Gauss's law gives
//   E_sc = λ/(2πε₀·r) · (1 − exp(−r²/(2σ²))) · r̂        (r the distance from the axis)
// λ and σ come from a previous Monte Carlo pass (spray.hpp iterates). The axial space-charge
// field and the image charges in the substrate are neglected.
//
// @note Stokes drag assumes Re ≲ 1; FlightResult::max_reynolds reports the largest Re met.
//       Coulomb fission is not modelled: FlightResult::rayleigh_fraction reports q/q_R at
//       landing (the largest value in flight, since d only shrinks); above 1 a real droplet
//       would have split.
//
// References: E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I,
// 2nd ed., Springer (1993) (Dormand–Prince, step control, initial step); J. R. Dormand &
// P. J. Prince, J. Comput. Appl. Math. 6 (1980) 19.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include <psw/electrospray/aerosol.hpp>
#include <psw/electrospray/field.hpp>
#include <psw/electrospray/ink.hpp>

namespace psw::electrospray {

inline constexpr double kStandardGravity = 9.80665;  // m/s², CGPM 1901 (exact)

enum class Integrator { adaptive, rk4 };
std::string_view to_string(Integrator integrator);
/// @throws std::invalid_argument naming the text and the accepted names.
Integrator parse_integrator(std::string_view text);

/// How a flight is integrated and which forces act.
struct FlightOptions {
  Integrator integrator = Integrator::adaptive;
  double relative_tolerance = 1e-6;          ///< adaptive, (0, 0.1]
  double position_tolerance_m = 1e-10;       ///< adaptive, absolute, (0, 1e-3]
  double velocity_tolerance_m_per_s = 1e-6;  ///< adaptive, absolute, (0, 1e3]
  double rk4_step_s = 1e-9;                  ///< fixed step of the RK4 baseline, (0, 1]
  double max_time_s = 0.1;                   ///< give up after this flight time, (0, 1e3]
  std::size_t max_steps = 10'000'000;        ///< give up after this many steps, ≥ 1
  bool drag = true;
  bool evaporation = true;
  bool gravity = true;
  bool brownian = true;  ///< accumulate B = ∫2D dt

  /// @throws std::invalid_argument naming every violated field's name, value and range.
  void validate() const;
};

/// A droplet as it leaves the jet.
struct Launch {
  Eigen::Vector3d position_m = Eigen::Vector3d::Zero();
  Eigen::Vector3d velocity_m_per_s = Eigen::Vector3d::Zero();
  double diameter_m = 1e-6;  ///< at emission, > 0
  double charge_C = 0.0;
};

/// Mean-field space charge of a paraxial spray on evenly spaced heights z_k = k·Δz,
/// k = 0 … n−1, from the substrate up to `top_m`.
struct SpaceCharge {
  double top_m = 0.0;
  std::vector<double> line_charge_C_per_m;  ///< λ(z_k)
  std::vector<double> sigma_m;              ///< rms lateral spread per axis σ(z_k), > 0

  bool empty() const { return line_charge_C_per_m.empty(); }
  /// The heights z_k, descending from top_m to 0.
  std::vector<double> heights_m() const;
  /// E_sc at x (radial; linear in z between the heights, clamped outside), V/m.
  Eigen::Vector3d field(const Eigen::Vector3d& x) const;
};

enum class FlightStatus { landed, returned, timed_out, step_limit };
std::string_view to_string(FlightStatus status);

struct FlightResult {
  FlightStatus status = FlightStatus::landed;
  Eigen::Vector3d position_m = Eigen::Vector3d::Zero();  ///< on z = 0 when landed
  Eigen::Vector3d velocity_m_per_s = Eigen::Vector3d::Zero();
  double time_s = 0.0;
  double diameter_m = 0.0;            ///< at landing
  double brownian_variance_m2 = 0.0;  ///< B = ∫2D dt, per lateral axis
  double rayleigh_fraction = 0.0;     ///< q/q_R(d) at landing
  double max_reynolds = 0.0;
  std::size_t steps = 0;  ///< accepted steps
  std::size_t rejected_steps = 0;
  std::size_t field_evaluations = 0;
};

/// Where a droplet crosses the heights of a SpaceCharge grid: filled by DropletFlight::fly().
struct CrossingRecord {
  std::span<const double> heights_m;  ///< descending
  std::span<double> radius_m;         ///< distance from the axis at each height (NaN if not met)
  std::span<double> speed_z_m_per_s;  ///< |v_z| at each height (NaN if not met)
};

/// Integrates droplet flights in one field, ink and gas. Thread-safe: fly() is const.
class DropletFlight {
 public:
  /// `space_charge` may be null; when given it must outlive this object.
  /// @throws std::invalid_argument for bad options, ink or gas.
  DropletFlight(const EmitterField& field, const Ink& ink, const Gas& gas,
                const FlightOptions& options, const SpaceCharge* space_charge = nullptr);

  /// Flies one droplet until it lands on z = 0, returns to the emitter, or runs out of time
  /// or steps. @throws std::invalid_argument for a launch inside the emitter, below the plane
  /// or with a diameter ≤ 0.
  FlightResult fly(const Launch& launch, CrossingRecord* record = nullptr) const;

  const FlightOptions& options() const { return options_; }
  const EmitterField& field() const { return field_; }
  /// The d²-law constant β used (0 when evaporation is off), m²/s.
  double evaporation_constant_m2_per_s() const { return beta_; }

 private:
  EmitterField field_;
  Ink ink_;
  Gas gas_;
  FlightOptions options_;
  const SpaceCharge* space_charge_;
  double beta_;
};

}  // namespace psw::electrospray
