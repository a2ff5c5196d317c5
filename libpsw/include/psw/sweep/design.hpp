// Sweep designs: which parameter values each point of a sweep gets.
//
// A design is a list of points, each a vector with one value per parameter, in a fixed order, so
// that point i means the same case whoever computes it (a thread, another MPI rank, a resumed
// run). Seeded designs draw from psw::RngStream and give the same points for the same seed.
//
//   grid             every combination of each parameter's values (the last parameter varies
//                    fastest)
//   list             the parameters' value lists side by side: point i takes value i of each
//   latin_hypercube  `points` points; each parameter's range is cut into `points` strata of
//                    equal probability and each stratum is used exactly once (McKay, Beckman &
//                    Conover, Technometrics 21 (1979) 239)
//   sobol            the first `points` points of the Sobol sequence (Joe & Kuo direction
//                    numbers, SIAM J. Sci. Comput. 30 (2008) 2635), digitally shifted by a
//                    seeded random 32-bit word unless `scramble: false`
//
// Ranges map the unit interval onto [from, to] linearly or, with `spacing: log`, geometrically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace psw::sweep {

enum class DesignKind { grid, list, latin_hypercube, sobol };
enum class Spacing { linear, log };

/// One varied parameter: a key path into the base case, and either explicit values or a range.
struct Parameter {
  std::string key;             ///< dotted key path, e.g. "ttm.source.fluence_J_per_m2"
  std::vector<double> values;  ///< explicit values (grid, list)
  double from = 0.0, to = 0.0;  ///< range (grid with `count`, latin_hypercube, sobol)
  std::size_t count = 0;       ///< grid points across the range (grid only)
  Spacing spacing = Spacing::linear;
  bool has_range = false;
};

struct Design {
  DesignKind kind = DesignKind::grid;
  std::size_t points = 0;    ///< latin_hypercube, sobol
  std::uint64_t seed = 1;    ///< latin_hypercube, sobol
  bool scramble = true;      ///< sobol: random digital shift from the seed
};

/// Largest number of parameters a Sobol design takes (the direction numbers psw carries).
inline constexpr std::size_t kSobolMaxDimensions = 16;

/// The unshifted Sobol point `index` in [0, 1)^dimensions (point 0 is the origin), as 32-bit
/// binary fractions. @throws std::invalid_argument for dimensions outside [1, 16].
std::vector<std::uint32_t> sobol_point_bits(std::uint64_t index, std::size_t dimensions);

/// The points of a design, one row per point, one value per parameter.
/// @throws std::invalid_argument naming the parameter for an empty value list or range, list
///         parameters of different lengths, a log range that is not positive, or a design with
///         zero points.
std::vector<std::vector<double>> design_points(const Design& design,
                                               const std::vector<Parameter>& parameters);

}  // namespace psw::sweep
