// The two-temperature model (TTM) of a laser-heated film stack, in one dimension (depth x).
//
//   Cₑ(Tₑ) ∂Tₑ/∂t = ∂/∂x(kₑ(Tₑ,Tₗ) ∂Tₑ/∂x) − G·(Tₑ − Tₗ) + S(x, t)     metal layers
//   Cₗ     ∂Tₗ/∂t = ∂/∂x(kₗ ∂Tₗ/∂x)          + G·(Tₑ − Tₗ)               every layer
//
// with Cₑ = γTₑ (or constant γT₀), kₑ = k₀Tₑ/Tₗ (or constant k₀). Dielectric layers carry the
// lattice equation only. Electrons do not cross into a dielectric; lattices exchange heat across
// a layer interface through the two half-cells in series with an optional thermal boundary
// conductance h_K.
//
// Source: a train of Gaussian pulses absorbed with Beer–Lambert depth dependence,
//   S(x, t) = (1 − R)·F · a(x) · Σₖ √(4 ln2/π)/t_p · exp(−4 ln2 (t − t₀ − k/f)²/t_p²),
//   a(x)   = exp(−x/δ)/δ,   δ = δ_optical + δ_ballistic,
// with x the depth counted through metal only (dielectrics are taken as transparent). ∫a dx = 1
// over a thick film, so a thick film absorbs (1 − R)·F per pulse; a film of thickness d absorbs
// (1 − R)·F·(1 − e^(−d/δ)). (Qiu & Tien's 0.94 and 2.77 are √(4 ln2/π) and 4 ln2, rounded.)
//
// Discretisation: conservative finite volumes, harmonic-mean face conductances (two half-cells
// in series), cell-integrated source (so the discrete absorbed energy is exact); integration by
// SUNDIALS CVODE (BDF, banded direct linear solver with a difference-quotient Jacobian), with
// user tolerances. The integrator stops at every pulse window so no pulse is stepped over.
//
// Volumetric heat inputs (deposits) add a constant power density to the lattice of the cells
// they cover, over a depth range and a time window (the integrator stops at both edges).
//
// Boundaries (front x = 0, back x = L): adiabatic; fixed temperature (both carriers of a metal
// cell exchange heat with the reservoir through a half cell); or convective and radiative loss
// from the lattice, q = h(Tₗ − T_amb) + εσ(Tₗ⁴ − T_amb⁴).
//
// Energy ledger (per unit area, J/m², changes since the start time): absorbed (exact, from the erf of
// the pulse, plus the heat inputs' energy), stored in electrons (∫Cₑ dT), stored in the lattice (Cₗ ΔT), lost through the
// boundaries (trapezoidal rule over the output times). absorbed = stored + lost to the
// integration tolerance.
//
// Geometry: a laterally uniform slab (the equations above in x = depth), a 2-D axisymmetric
// disc (r, z) under a Gaussian spot, or a 3-D box (x, y, z) whose material regions (boxes,
// cylinders such as a via) override the layer material. Lateral faces are adiabatic (symmetry
// planes or a domain large enough that heat does not reach them). The 2-D/3-D solver uses
// CVODE with GMRES and a preconditioner that solves each depth column exactly (banded LU of
// the column's diffusion and coupling, lateral terms on the diagonal).
//
// Heat-affected zone: the maximum lattice temperature of each cell over the output times; the
// HAZ extent is the depth of the deepest cell whose maximum reached its material's threshold
// (or the case's); the electron diffusion length √(k₀/G) of the first layer is reported beside.
//
// @note Validity: Tₑ below a few thousand kelvin (linear Cₑ, constant G, kₑ ∝ Tₑ/Tₗ), diffusive
// electrons beyond the ballistic range, Fourier lattice conduction (no phonon ballistics; see
// `lattice_transport: knudsen` for a cross-plane size correction, and
// the phonon BTE for films thinner than the phonon mean free path). No melting or ablation.
// @note Results hold every output time in memory: nt × cells × 2 doubles.
//
// References: S. I. Anisimov, B. L. Kapeliovich, T. L. Perel'man, Sov. Phys. JETP 39 (1974) 375;
// T. Q. Qiu, C. L. Tien, J. Heat Transfer 115 (1993) 835; J. Hohlfeld et al., Chem. Phys. 251
// (2000) 237; A. C. Hindmarsh et al., ACM TOMS 31 (2005) 363 (SUNDIALS).
#pragma once

#include <psw/core/config.hpp>
#include <psw/thermal/material.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace psw::thermal {

enum class BoundaryKind { adiabatic, fixed, convective };

struct Boundary {
  BoundaryKind kind = BoundaryKind::adiabatic;
  double temperature_K = 300.0;  ///< reservoir (fixed) or ambient (convective) temperature
  double h_W_per_m2K = 0.0;      ///< convective coefficient, [0, 1e9]
  double emissivity = 0.0;       ///< [0, 1]
};

struct Layer {
  Material material;
  double thickness_m = 0.0;   ///< (0, 1 mm]
  std::size_t cells = 0;      ///< [1, 1e6]
  double first_cell_m = 0.0;  ///< 0: uniform cells; else a graded grid starting at this width
  /// Lattice thermal boundary conductance to the next layer, W/(m²·K); infinite = perfect.
  double interface_conductance = std::numeric_limits<double>::infinity();
  /// Gray phonon mean free path Λ, used by LatticeTransport::knudsen, [0, 1 mm]; 0 = bulk.
  double phonon_mean_free_path_m = 0.0;
};

struct PulseSource {
  double fluence_J_per_m2 = 0.0;  ///< incident fluence per pulse, (0, 1e5]
  double fwhm_s = 100e-15;        ///< (0, 1 ns]
  double reflectivity = 0.0;      ///< [0, 1)
  double penetration_depth_m = 15e-9;  ///< optical, (0, 10 µm]
  double ballistic_range_m = 0.0;      ///< added to the optical depth, [0, 10 µm]
  double peak_time_s = 0.0;       ///< first pulse's peak
  int pulses = 1;                 ///< [1, 1e6]
  double repetition_rate_Hz = 0.0;

  /// Σₖ g(t − t₀ − k/f), 1/s, with g the unit-area Gaussian of FWHM t_p.
  double temporal(double t) const;
  /// ∫_{−∞}^{t} temporal: the number of pulses delivered so far (fractional inside a pulse).
  double delivered(double t) const;
};

/// Where the film stack is extended sideways: a 1-D slab (laterally uniform), an axisymmetric
/// disc around the beam axis (r, z), or a 3-D box (x, y, z) with material regions such as a via.
enum class Geometry { slab, axisymmetric, cartesian };

/// A region of the box (3-D) or disc (2-D) whose cells take another material: an axis-aligned
/// box, or a cylinder with its axis along the depth z (a via). Coordinates in metres; the depth z
/// is measured from the front surface.
struct Region {
  enum class Shape { box, cylinder };
  Shape shape = Shape::box;
  Material material;
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;      ///< box (3-D); in 2-D x is the radius
  double centre_x = 0, centre_y = 0, radius = 0;  ///< cylinder (3-D only)
  double z0 = 0, z1 = 0;                      ///< depth range, both shapes
};

struct Lateral {
  Geometry geometry = Geometry::slab;
  double size_x_m = 0.0;      ///< box width, or the disc radius (axisymmetric)
  double size_y_m = 0.0;      ///< box depth (3-D)
  std::size_t cells_x = 1;    ///< cells across x (or r)
  std::size_t cells_y = 1;    ///< cells across y (3-D)
  /// Gaussian spot with 1/e² radius w: F(r) = F·exp(−2r²/w²), F the peak fluence. 0 = uniform.
  double spot_radius_m = 0.0;
  double spot_x_m = 0.0, spot_y_m = 0.0;  ///< spot centre (3-D; the axis in 2-D)
  std::vector<Region> regions;
};

/// A volumetric heat input into the lattice, e.g. the heat a hot deposit brings or an exothermic
/// sintering step: a constant power density over a depth range and a time window, across the
/// whole width, or (2-D/3-D) within a radius of the spot centre or axis.
struct HeatInput {
  double power_density_W_per_m3 = 0.0;  ///< (0, 1e22]
  double depth_from_m = 0.0, depth_to_m = 0.0;
  double start_s = 0.0, duration_s = 0.0;
  double radius_m = 0.0;  ///< 0: the whole width

  /// ∫ of the on/off window from −∞ to t, in seconds (the heating time elapsed by t).
  double elapsed(double t) const {
    return std::clamp(t - start_s, 0.0, duration_s);
  }
};

enum class ElectronHeatCapacity { linear, constant, table };
enum class ElectronConductivity { linear, constant, anisimov_rethfeld };
enum class ElectronPhononCoupling { constant, table };

struct SolverOptions {
  double rtol = 1e-6;       ///< (0, 0.1]
  double atol_K = 1e-3;     ///< absolute tolerance on temperatures, (0, 1e3]
  long max_steps = 1000000;
};

/// How the lattice equation conducts heat: Fourier's law with the material's bulk kₗ, or with
/// the Knudsen-corrected kₗ/(1 + 4Λ/(3d)) of each layer (d its thickness, Λ its phonon mean free
/// path; see phonon_bte.hpp for the correction and its measured error, +3% at worst).
enum class LatticeTransport { fourier, knudsen, bte };

/// `lattice_transport: bte`: the lattice's heat is carried by the gray phonon BTE (one metal
/// layer, uniform cells, adiabatic front; the back adiabatic or fixed), stepped together with
/// the diffusive electrons, which exchange G(Tₑ − Tₗ) with the phonons as a volumetric source.
/// Phonon velocity v = 3kₗ/(Cₗ·Λ) from the layer's Λ and the material's kₗ, so the Fourier limit
/// has the material's conductivity.
struct BteCoupling {
  std::size_t ordinates = 16;    ///< even, [2, 1024]
  double time_step_s = 0.0;      ///< 0: FWHM/10 (and at most the output interval)
  double tolerance_K = 1e-9;     ///< inner iteration: max |ΔT| per sweep, (0, 1]
  std::size_t max_iterations = 10000;
};

struct TtmCase {
  std::vector<Layer> layers;
  Lateral lateral;  ///< slab by default
  Boundary front, back;
  double initial_temperature_K = 300.0;  ///< both carriers, and the reference of Cₑ = γT₀
  /// Electrons start hotter (or colder) than the lattice when set (uniform).
  std::optional<double> initial_electron_temperature_K;
  /// Per-cell initial profiles (code only; empty = uniform). Tₑ entries of dielectric cells are
  /// ignored.
  std::vector<double> initial_Te_K, initial_Tl_K;
  PulseSource source;
  std::vector<HeatInput> heat_inputs;
  double start_s = 0.0, end_s = 0.0, output_every_s = 0.0;
  ElectronHeatCapacity heat_capacity_model = ElectronHeatCapacity::linear;
  ElectronConductivity conductivity_model = ElectronConductivity::linear;
  ElectronPhononCoupling coupling_model = ElectronPhononCoupling::constant;
  std::optional<double> haz_threshold_K;  ///< overrides the materials' thresholds
  LatticeTransport lattice_transport = LatticeTransport::fourier;
  BteCoupling bte;  ///< used with LatticeTransport::bte
  SolverOptions solver;
  std::string case_text;  ///< the `ttm` section as YAML, kept with the results

  /// Reads the `ttm` section of a case file; materials come from the data directory.
  /// @throws std::invalid_argument naming the key, the bad value and the accepted range.
  static TtmCase from_config(const Config& root);
  /// Checks ranges and consistency of a case built in code.
  void validate() const;
};

struct EnergyLedger {
  std::vector<double> absorbed_J_per_m2, electrons_J_per_m2, lattice_J_per_m2,
      boundary_loss_J_per_m2;  ///< one value per output time
  /// |absorbed − stored − lost| / absorbed at the last output (0 when nothing was absorbed).
  double relative_imbalance() const;
};

struct HazReport {
  std::vector<double> lattice_max_K;  ///< per cell (same order as a row of Tₗ)
  double threshold_K = 0.0;           ///< the case's threshold, or the first layer's material's
  double extent_m = 0.0;              ///< depth of the deepest cell that reached its threshold
  /// Largest lateral distance from the spot centre (or axis) of a cell that reached its
  /// threshold (2-D/3-D; 0 for a slab).
  double lateral_extent_m = 0.0;
  double electron_diffusion_length_m = 0.0;  ///< √(k₀/G) of the first layer
  double electron_max_K = 0.0;
  double lattice_peak_K = 0.0;
};

struct TtmResult {
  bool ok = true;
  std::string message;           ///< why the integration stopped early, when !ok
  std::vector<double> time_s;    ///< nt
  std::vector<double> x_m;       ///< depth of the cell centres, nz
  std::vector<double> width_m;   ///< cell sizes in depth, nz
  std::vector<int> layer_of_cell;  ///< per depth cell
  /// Lateral cell-face coordinates (x or r: cells_x + 1; y: cells_y + 1); one cell in a slab.
  std::vector<double> lateral_x_faces_m, lateral_y_faces_m;
  Geometry geometry = Geometry::slab;
  /// nt × n, row-major, n = cells_x·cells_y·nz with depth fastest: cell (i, j, k) is
  /// (i·cells_y + j)·nz + k. Tₑ = Tₗ in dielectric cells.
  std::vector<double> Te_K, Tl_K;
  EnergyLedger energy;
  HazReport haz;
  long steps = 0, rhs_evaluations = 0;

  /// Cells per output row (all of them, not only the depth).
  std::size_t cells() const {
    const auto across = [](const std::vector<double>& faces) {
      return faces.size() > 1 ? faces.size() - 1 : std::size_t{1};
    };
    return x_m.size() * across(lateral_x_faces_m) * across(lateral_y_faces_m);
  }
};

/// The case with each layer's lattice conductivity as the lattice equation will use it: the
/// bulk value for LatticeTransport::fourier, kₗ/(1 + 4Λ/(3d)) per layer for knudsen (d the
/// layer thickness, Λ its phonon_mean_free_path_m). run_ttm applies it itself.
/// @note Cross-plane correction: lateral conduction in 2-D/3-D uses the same reduced kₗ, and the
/// material regions of a 3-D case keep their bulk kₗ.
TtmCase with_lattice_transport(const TtmCase& c);

/// Integrates a 1-D case. A solver failure is returned as !ok with a message (and the outputs
/// reached so far), not thrown. @throws std::invalid_argument for an invalid case.
TtmResult run_ttm(const TtmCase& c);

}  // namespace psw::thermal
