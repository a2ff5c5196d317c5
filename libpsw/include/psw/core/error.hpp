// Error helpers: messages that name the field, the bad value and the accepted range.
//
// Bad input from a user or a file throws std::invalid_argument (ValueError in Python) whose
// message reads like
//
//   ttm.source.fluence_J_per_m2 = -3 is outside (0, 10000]
//
// so that whoever reads it can find and fix the value without reading the code.
#pragma once

#include <limits>
#include <string>
#include <string_view>

namespace psw {

/// An interval of accepted values, each end open or closed, possibly infinite.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  /// [lo, hi]
  static constexpr Range closed(double lo, double hi) { return {lo, hi, false, false}; }
  /// (lo, hi)
  static constexpr Range open(double lo, double hi) { return {lo, hi, true, true}; }
  /// (lo, hi]
  static constexpr Range open_closed(double lo, double hi) { return {lo, hi, true, false}; }
  /// [lo, hi)
  static constexpr Range closed_open(double lo, double hi) { return {lo, hi, false, true}; }
  /// (0, ∞)
  static constexpr Range positive() {
    return open(0.0, std::numeric_limits<double>::infinity());
  }
  /// [0, ∞)
  static constexpr Range non_negative() {
    return closed_open(0.0, std::numeric_limits<double>::infinity());
  }
  /// every finite number
  static constexpr Range finite() {
    return open(-std::numeric_limits<double>::infinity(),
                std::numeric_limits<double>::infinity());
  }

  /// True when `value` lies inside; NaN never does.
  constexpr bool contains(double value) const {
    if (value != value) return false;
    const bool above = lo_open ? value > lo : value >= lo;
    const bool below = hi_open ? value < hi : value <= hi;
    return above && below;
  }

  /// Interval notation, e.g. "(0, 10000]" or "[0, inf)".
  std::string to_string() const;
};

/// Shortest text that reads back to the same double: 1e4 → "10000", 0.1 → "0.1".
std::string format_number(double value);

/// "field = value is outside range".
std::string out_of_range_message(std::string_view field, double value, const Range& range);

/// Throws std::invalid_argument with out_of_range_message() unless range.contains(value).
void require_in_range(std::string_view field, double value, const Range& range);

/// Throws std::invalid_argument(message) unless `condition` holds.
void require(bool condition, std::string_view message);

}  // namespace psw
