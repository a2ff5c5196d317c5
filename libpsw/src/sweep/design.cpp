#include <psw/sweep/design.hpp>

#include <psw/core/error.hpp>
#include <psw/core/rng.hpp>

#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace psw::sweep {
namespace {

// Primitive polynomials and initial direction numbers for dimensions 2..16, from the table of
// S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections",
// SIAM J. Sci. Comput. 30 (2008) 2635 (their file new-joe-kuo-6.21201): degree s, the
// polynomial's inner coefficients a, and m_1..m_s. Dimension 1 is the van der Corput sequence.
struct DirectionRow {
  unsigned s;
  unsigned a;
  std::array<std::uint32_t, 6> m;
};
constexpr std::array<DirectionRow, kSobolMaxDimensions - 1> kJoeKuo{{
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
}};

constexpr unsigned kBits = 32;

// Direction numbers v_1..v_32 of one dimension, as 32-bit fractions.
std::array<std::uint32_t, kBits> direction_numbers(std::size_t dimension) {
  std::array<std::uint32_t, kBits> v{};
  if (dimension == 0) {
    for (unsigned k = 0; k < kBits; ++k) v[k] = 1u << (kBits - 1 - k);
    return v;
  }
  const DirectionRow& row = kJoeKuo[dimension - 1];
  const unsigned s = row.s;
  for (unsigned k = 0; k < s; ++k) v[k] = row.m[k] << (kBits - 1 - k);
  for (unsigned k = s; k < kBits; ++k) {
    std::uint32_t x = v[k - s] ^ (v[k - s] >> s);
    for (unsigned i = 1; i < s; ++i) {
      if ((row.a >> (s - 1 - i)) & 1u) x ^= v[k - i];
    }
    v[k] = x;
  }
  return v;
}

double from_unit(const Parameter& p, double u) {
  if (p.spacing == Spacing::log) return p.from * std::pow(p.to / p.from, u);
  return p.from + (p.to - p.from) * u;
}

void check_range(const Parameter& p) {
  if (!p.has_range) {
    throw std::invalid_argument("sweep parameter " + p.key +
                                ": this design needs a range (from, to)");
  }
  if (!std::isfinite(p.from) || !std::isfinite(p.to)) {
    throw std::invalid_argument("sweep parameter " + p.key + ": from and to must be finite");
  }
  if (p.spacing == Spacing::log && (p.from <= 0.0 || p.to <= 0.0)) {
    throw std::invalid_argument("sweep parameter " + p.key + ": a log range needs from > 0 and to > 0, got [" +
                                format_number(p.from) + ", " + format_number(p.to) + "]");
  }
}

// The values a grid or list design takes for one parameter.
std::vector<double> axis_values(const Parameter& p) {
  if (!p.values.empty()) return p.values;
  if (!p.has_range) {
    throw std::invalid_argument("sweep parameter " + p.key + ": the value list is empty");
  }
  check_range(p);
  if (p.count == 0) {
    throw std::invalid_argument("sweep parameter " + p.key +
                                ": count must be at least 1 for a range in a grid");
  }
  std::vector<double> values(p.count);
  for (std::size_t i = 0; i < p.count; ++i) {
    const double u = p.count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(p.count - 1);
    values[i] = from_unit(p, u);
  }
  values.back() = p.count == 1 ? p.from : p.to;  // exactly the end the user wrote
  return values;
}

}  // namespace

std::vector<std::uint32_t> sobol_point_bits(std::uint64_t index, std::size_t dimensions) {
  if (dimensions < 1 || dimensions > kSobolMaxDimensions) {
    throw std::invalid_argument("a Sobol design takes 1 to " +
                                std::to_string(kSobolMaxDimensions) + " parameters, not " +
                                std::to_string(dimensions));
  }
  if (index >> kBits) throw std::invalid_argument("Sobol index beyond 2^32");
  // Gray-code order: point n is the XOR of the direction numbers of the set bits of n ^ (n>>1),
  // the order in which Antonov & Saleev's recurrence visits the points.
  const std::uint64_t gray = index ^ (index >> 1);
  std::vector<std::uint32_t> bits(dimensions, 0);
  for (std::size_t d = 0; d < dimensions; ++d) {
    const auto v = direction_numbers(d);
    std::uint32_t x = 0;
    for (unsigned k = 0; k < kBits; ++k) {
      if ((gray >> k) & 1u) x ^= v[k];
    }
    bits[d] = x;
  }
  return bits;
}

std::vector<std::vector<double>> design_points(const Design& design,
                                               const std::vector<Parameter>& parameters) {
  if (parameters.empty()) throw std::invalid_argument("sweep.parameters is empty");
  const std::size_t dims = parameters.size();
  std::vector<std::vector<double>> points;

  switch (design.kind) {
    case DesignKind::grid: {
      std::vector<std::vector<double>> axes;
      std::size_t total = 1;
      for (const auto& p : parameters) {
        axes.push_back(axis_values(p));
        total *= axes.back().size();
      }
      points.reserve(total);
      std::vector<std::size_t> at(dims, 0);
      for (std::size_t n = 0; n < total; ++n) {
        std::vector<double> point(dims);
        for (std::size_t j = 0; j < dims; ++j) point[j] = axes[j][at[j]];
        points.push_back(std::move(point));
        for (std::size_t j = dims; j-- > 0;) {  // last parameter fastest
          if (++at[j] < axes[j].size()) break;
          at[j] = 0;
        }
      }
      break;
    }
    case DesignKind::list: {
      std::size_t length = 0;
      for (const auto& p : parameters) {
        if (p.values.empty()) {
          throw std::invalid_argument("sweep parameter " + p.key +
                                      ": a list design needs a non-empty `values` list");
        }
        if (length == 0) length = p.values.size();
        if (p.values.size() != length) {
          throw std::invalid_argument(
              "sweep parameter " + p.key + " has " + std::to_string(p.values.size()) +
              " values but " + parameters.front().key + " has " + std::to_string(length) +
              "; a list design pairs the i-th values, so the lists must be equally long");
        }
      }
      for (std::size_t i = 0; i < length; ++i) {
        std::vector<double> point(dims);
        for (std::size_t j = 0; j < dims; ++j) point[j] = parameters[j].values[i];
        points.push_back(std::move(point));
      }
      break;
    }
    case DesignKind::latin_hypercube: {
      for (const auto& p : parameters) check_range(p);
      const std::size_t n = design.points;
      if (n == 0) throw std::invalid_argument("sweep.points must be at least 1 for latin_hypercube");
      points.assign(n, std::vector<double>(dims));
      const RngStream root(design.seed, /*stream_id=*/0x4c48);  // "LH"
      for (std::size_t j = 0; j < dims; ++j) {
        RngStream rng = root.substream(j);
        std::vector<std::size_t> stratum(n);
        std::iota(stratum.begin(), stratum.end(), std::size_t{0});
        for (std::size_t i = n; i > 1; --i) {  // Fisher–Yates
          std::swap(stratum[i - 1], stratum[rng.below(i)]);
        }
        for (std::size_t i = 0; i < n; ++i) {
          const double u = (static_cast<double>(stratum[i]) + rng.uniform()) / static_cast<double>(n);
          points[i][j] = from_unit(parameters[j], u);
        }
      }
      break;
    }
    case DesignKind::sobol: {
      for (const auto& p : parameters) check_range(p);
      const std::size_t n = design.points;
      if (n == 0) throw std::invalid_argument("sweep.points must be at least 1 for sobol");
      std::vector<std::uint32_t> shift(dims, 0);
      if (design.scramble) {
        const RngStream root(design.seed, /*stream_id=*/0x534f);  // "SO"
        for (std::size_t j = 0; j < dims; ++j) {
          RngStream rng = root.substream(j);
          shift[j] = static_cast<std::uint32_t>(rng() >> 32);
        }
      }
      points.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto bits = sobol_point_bits(i, dims);
        std::vector<double> point(dims);
        for (std::size_t j = 0; j < dims; ++j) {
          const double u = static_cast<double>(bits[j] ^ shift[j]) * 0x1.0p-32;
          point[j] = from_unit(parameters[j], u);
        }
        points.push_back(std::move(point));
      }
      break;
    }
  }
  if (points.empty()) throw std::invalid_argument("the sweep design has zero points");
  return points;
}

}  // namespace psw::sweep
