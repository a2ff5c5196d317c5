#include <psw/core/error.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace psw {

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Whole numbers below ten million read better in full: 100000, not 1e+05.
  if (value == std::trunc(value) && std::abs(value) < 1e7) {
    return std::to_string(static_cast<long long>(value));
  }
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string Range::to_string() const {
  std::string text;
  text += lo_open ? '(' : '[';
  text += format_number(lo);
  text += ", ";
  text += format_number(hi);
  text += hi_open ? ')' : ']';
  return text;
}

std::string out_of_range_message(std::string_view field, double value, const Range& range) {
  std::string message(field);
  message += " = ";
  message += format_number(value);
  message += " is outside ";
  message += range.to_string();
  return message;
}

void require_in_range(std::string_view field, double value, const Range& range) {
  if (!range.contains(value)) {
    throw std::invalid_argument(out_of_range_message(field, value, range));
  }
}

void require(bool condition, std::string_view message) {
  if (!condition) throw std::invalid_argument(std::string(message));
}

}  // namespace psw
