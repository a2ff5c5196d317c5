// Gray phonon Boltzmann transport (the equation of phonon radiative transfer) across a 1-D slab,
// steady state, discrete ordinates.
//
//   μ ∂I/∂x = (I⁰(T) − I)/Λ,        I⁰(T) = C·v·T/(4π),       −1 ≤ μ ≤ 1, 0 ≤ x ≤ L
//   T(x)   = (4π/(C·v)) · ½∫₋₁¹ I dμ           (energy conservation closes the system)
//   q(x)   = 2π ∫₋₁¹ μ I dμ
//
// I is the phonon energy intensity along direction cosine μ, Λ = v·τ the gray mean free path,
// T the equivalent-equilibrium temperature (the temperature whose equilibrium distribution holds
// the local energy density). With C, v and Λ independent of temperature the problem is linear in
// T, so it is solved for φ = 4πI/(C·v) (an intensity in kelvin): μΛ φ' = T − φ, T = ½∫φ dμ,
// q = (C·v/2)∫μφ dμ. Black walls emit their own temperature into the slab:
// φ(0, μ > 0) = T_hot, φ(L, μ < 0) = T_cold. A partly reflecting wall returns a fraction p
// specularly and d diffusely and emits the rest: at x = 0, for μ > 0,
// φ(0, μ) = (1 − p − d)·T_hot + p·φ(0, −μ) + d·2∫₀¹ μ'φ(0, −μ') dμ',
// the reflected part taken from the previous sweep.
//
// Limits: Kn = Λ/L. Kn → 0 gives Fourier's law with k = C·v·Λ/3, q_Fourier = k·ΔT/L;
// Kn → ∞ gives the Casimir flux q = C·v·ΔT/4. The exact solution between black walls is that of
// the gray radiative slab (Heaslet & Warming 1965); the flux ratio q/q_Fourier = 3Ψ/(4Kn), Ψ the
// non-dimensional radiative flux.
//
// Discretisation: Gauss–Legendre ordinates (n even, nodes symmetric about μ = 0); cells of equal
// width; the diamond-difference scheme (second order in the cell optical thickness Δx/Λ) swept
// downstream along each ordinate. Steady state by source iteration: sweep with the current T,
// take T from the new intensities, repeat. Plain source iteration converges like ρᵏ with
// ρ → 1 − O(Kn²) for an optically thick slab (thousands of sweeps); diffusion synthetic
// acceleration (DSA) corrects each iterate with the solution f of
//   −(1/3)·Λ² f'' = T^(k+½) − T^(k),    f ∓ (2/3)·Λ f' = 0 at x = 0, L   (Marshak conditions)
// discretised consistently with the sweep (Alcouffe: the P1 moments of the diamond-difference
// equations, f and the current at cell edges, one banded solve), which takes out the slowly
// converging diffusive error modes: tens of sweeps at any Kn and any cell thickness.
//
// Outputs: T at cell centres; q at cell centres (flat in steady state: energy conservation);
// the wall temperature jumps T_hot − T(0) and T(L) − T_cold, with T at a wall taken from the
// intensities on the wall face (incoming and outgoing); q/q_Fourier.
//
// Measured at S16 (black walls): 14 sweeps at Δx/Λ = 0.25 and 1 (Kn = 0.01), 12-13 at 2.5-20,
// 4-7 at 100-500 (Kn = 0.001 on 10 down to 2 cells). Thick cells converge; they are not
// accurate (diamond differencing is second order in Δx/Λ): keep Δx ≲ Λ for the answer.
// @note Gray: one C, v and Λ for all phonons. Real spectra put much of the heat in long-Λ modes,
// so a gray Λ fitted to k = C·v·Λ/3 underestimates size effects.
// The 2-D box is in phonon_bte_2d.hpp; the TTM coupling (`lattice_transport: bte`) in
// src/thermal/ttm_bte.cpp.
//
// References: A. Majumdar, J. Heat Transfer 115 (1993) 7 (EPRT); M. A. Heaslet, R. F. Warming,
// Int. J. Heat Mass Transfer 8 (1965) 979 (exact gray slab); R. E. Alcouffe, Nucl. Sci. Eng. 64
// (1977) 344 (DSA); E. E. Lewis, W. F. Miller, Computational Methods of Neutron Transport (1984).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <psw/core/config.hpp>

namespace psw::thermal {

/// Gauss–Legendre quadrature on [−1, 1]: n nodes ascending, n weights summing to 2; exact for
/// polynomials of degree ≤ 2n − 1. Nodes by Newton's method on Pₙ to machine precision.
struct GaussLegendre {
  std::vector<double> nodes;
  std::vector<double> weights;
};
/// @throws std::invalid_argument unless 1 ≤ n ≤ 1024.
GaussLegendre gauss_legendre(std::size_t n);

/// Gray phonon properties.
struct PhononProperties {
  double heat_capacity_J_per_m3K = 1.6e6;  ///< C, (0, 1e8]
  double group_velocity_m_per_s = 5000.0;  ///< v, (0, 1e5]
  double mean_free_path_m = 100e-9;        ///< Λ, (0, 1 m]

  /// Kinetic-theory bulk conductivity k = C·v·Λ/3, W/(m·K).
  double conductivity_W_per_mK() const {
    return heat_capacity_J_per_m3K * group_velocity_m_per_s * mean_free_path_m / 3.0;
  }
};

/// none: plain source iteration; dsa: diffusion synthetic acceleration; krylov: GMRES
/// preconditioned by the DSA (the 2-D solver only).
enum class BteAcceleration { none, dsa, krylov };
enum class BteStatus { converged, max_iterations, diverged };
const char* to_string(BteStatus status);

/// A steady gray BTE problem across a slab between two black walls.
struct SlabBteOptions {
  double thickness_m = 100e-9;  ///< L, (0, 1 m]
  std::size_t cells = 400;      ///< [1, 1e6]
  PhononProperties phonons;
  double hot_K = 301.0;   ///< wall at x = 0, (0, 1e5]
  double cold_K = 300.0;  ///< wall at x = L, (0, 1e5], ≠ hot_K
  /// Wall reflection: fractions of the arriving intensity returned specularly (mirror, same
  /// |μ|) and diffusely (isotropically), each [0, 1) with specular + diffuse < 1; the rest of
  /// the outgoing intensity is emission at the wall temperature (ε = 1 − specular − diffuse).
  double hot_specular = 0.0, hot_diffuse = 0.0;
  double cold_specular = 0.0, cold_diffuse = 0.0;
  std::size_t ordinates = 32;  ///< Gauss–Legendre count, even, [2, 1024]
  BteAcceleration acceleration = BteAcceleration::dsa;
  double tolerance = 1e-10;           ///< stop when max |ΔT| per sweep < tolerance·|hot − cold|
  std::size_t max_iterations = 2000;  ///< sweeps, [1, 1e7]

  /// @throws std::invalid_argument naming the first violated field, its value and range.
  void validate() const;
  double knudsen() const { return phonons.mean_free_path_m / thickness_m; }
};

struct SlabBteResult {
  BteStatus status = BteStatus::max_iterations;
  std::string message;
  std::size_t iterations = 0;  ///< transport sweeps done
  double residual = 0.0;       ///< last max |ΔT| per sweep / |hot − cold|

  std::vector<double> x_m;             ///< cell centres
  std::vector<double> T_K;             ///< equivalent-equilibrium temperature at cell centres
  std::vector<double> q_W_per_m2;      ///< heat flux at cell centres (+ from hot to cold wall)
  double flux_W_per_m2 = 0.0;          ///< mean of q over the cells
  double fourier_flux_W_per_m2 = 0.0;  ///< k·(hot − cold)/L, k = C·v·Λ/3
  double casimir_flux_W_per_m2 = 0.0;  ///< C·v·(hot − cold)/4
  double flux_ratio = 0.0;             ///< q/q_Fourier
  double hot_jump_K = 0.0;             ///< T_hot − T(x = 0)
  double cold_jump_K = 0.0;            ///< T(x = L) − T_cold
};

/// Solves the steady slab problem. Non-convergence is a status, not an exception.
/// @throws std::invalid_argument if the options are invalid.
SlabBteResult solve_slab_bte(const SlabBteOptions& options);

/// A transient slab: the problem above starting uniform and isotropic at initial_K, the walls
/// switched to hot_K and cold_K at t = 0, stepped by backward Euler in time,
///   (1/v)·∂I/∂t + μ ∂I/∂x = (I⁰(T) − I)/Λ,
/// each step solved by source iteration with DSA (the step adds Λ/(vΔt) to both the removal and
/// the source, which DSA carries as an absorption term). Energy is conserved per step to the
/// inner tolerance: ∫C·ΔT dx = Δt·(q(0) − q(L)).
struct TransientSlabBteOptions {
  SlabBteOptions slab;         ///< geometry, phonons, walls, ordinates, inner iteration
  double initial_K = 300.0;    ///< (0, 1e5]
  double time_step_s = 1e-12;  ///< (0, 1 s]
  std::size_t steps = 100;     ///< [1, 1e7]

  /// @throws std::invalid_argument naming the first violated field, its value and range.
  void validate() const;
};

struct TransientSlabBteResult {
  BteStatus status = BteStatus::converged;  ///< the first step that failed sets it
  std::string message;
  std::size_t sweeps = 0;  ///< transport sweeps over all steps
  std::vector<double> x_m;
  std::vector<double> time_s;               ///< steps + 1 values, 0 first
  std::vector<double> T_K;                  ///< time-major: T_K[k·cells + i]
  std::vector<double> hot_flux_W_per_m2;    ///< q(x = 0) per time (0 at t = 0)
  std::vector<double> cold_flux_W_per_m2;   ///< q(x = L) per time (0 at t = 0)
  std::vector<double> stored_J_per_m2;      ///< ∫C·(T − initial_K) dx per time
  std::vector<double> wall_input_J_per_m2;  ///< Σ Δt·(q(0) − q(L)) up to each time
};

/// Steps the transient slab; a step whose inner iteration fails stops the run with a status.
/// @throws std::invalid_argument if the options are invalid.
TransientSlabBteResult solve_transient_slab_bte(const TransientSlabBteOptions& options);

/// The interpolation q/q_Fourier ≈ 1/(1 + 4Kn/3) between the Fourier and Casimir limits
/// (Majumdar 1993). Measured against the exact gray slab (tests/thermal/phonon_bte_test.cpp) it
/// is exact at both ends and overestimates the flux in between: +0.09% at Kn = 0.01, +0.8% at
/// 0.1, +1.9% at 0.3, +3.3% at 1, +3.0% at 3, +1.6% at 10, +0.23% at 100.
/// @throws std::invalid_argument unless Kn ≥ 0.
double knudsen_flux_ratio(double knudsen);

/// Knudsen-corrected effective conductivity across a film: k_eff = k_bulk/(1 + 4Λ/(3L)).
/// @throws std::invalid_argument unless k_bulk ≥ 0, Λ ≥ 0 and L > 0.
double knudsen_conductivity(double k_bulk_W_per_mK, double mean_free_path_m, double length_m);

/// Reads a `bte:` case section (the map under the key `bte`):
///   slab: {thickness_nm, cells}, phonons: {mean_free_path_nm, group_velocity_m_per_s,
///   heat_capacity_J_per_m3K}, walls: {hot_K, cold_K, optional hot_specular, hot_diffuse,
///   cold_specular, cold_diffuse}, ordinates, and optionally
///   acceleration: dsa | none, tolerance, max_iterations.
/// @throws std::invalid_argument naming the key (with file:line:col) on bad or unknown keys.
SlabBteOptions parse_slab_bte(const Config& bte);

/// The same section with a `transient: {initial_K, time_step_ps (or _fs, _ns, _us, _s), steps}`
/// map: the transient problem; nullopt when the section has no `transient`.
/// @throws std::invalid_argument naming the key on bad or unknown keys.
std::optional<TransientSlabBteOptions> parse_transient_slab_bte(const Config& bte);

}  // namespace psw::thermal
