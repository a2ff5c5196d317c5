// Seeded random SECS-II item trees for the round-trip property tests.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/mes/item.hpp>

namespace psw::mes::testing {

/// Every bit pattern is fair game (subnormals, −0, infinities) except NaNs, which become the
/// one canonical quiet NaN: text forms carry "NaN", not its payload bits.
template <class T>
T random_value(RngStream& rng) {
  const std::uint64_t bits = rng();
  if constexpr (std::is_same_v<T, float>) {
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    return std::isnan(f) ? std::numeric_limits<float>::quiet_NaN() : f;
  } else if constexpr (std::is_same_v<T, double>) {
    const double d = std::bit_cast<double>(bits);
    return std::isnan(d) ? std::numeric_limits<double>::quiet_NaN() : d;
  } else {
    // Half of the integers small (the common case), half with random bits (the extremes).
    using U = std::make_unsigned_t<T>;
    if (bits & 1) return static_cast<T>(static_cast<U>(bits >> 1) % 200);
    return static_cast<T>(static_cast<U>(bits >> 8));
  }
}

template <class T>
std::vector<T> random_values(RngStream& rng, std::size_t max_count) {
  std::vector<T> v(rng.below(max_count + 1));
  for (auto& x : v) x = random_value<T>(rng);
  return v;
}

/// A random tree: lists up to `depth` levels deep, arrays of up to 6 values, text of any bytes.
inline Item random_item(RngStream& rng, int depth) {
  const Format format = kAllFormats[rng.below(std::size(kAllFormats))];
  constexpr std::size_t kMaxValues = 6;
  switch (format) {
    case Format::L: {
      Item::List children;
      if (depth > 0) {
        const auto n = rng.below(5);
        for (std::uint64_t i = 0; i < n; ++i) children.push_back(random_item(rng, depth - 1));
      }
      return Item::list(std::move(children));
    }
    case Format::A:
    case Format::J: {
      std::string text(rng.below(12), '\0');
      // Mostly printable ASCII, sometimes any byte (escapes, the JSON byte-array form).
      const bool any_byte = rng.below(3) == 0;
      for (char& c : text) {
        c = static_cast<char>(any_byte ? rng.below(256) : 0x20 + rng.below(0x5F));
      }
      return format == Format::A ? Item::ascii(text) : Item::jis8(text);
    }
    case Format::Boolean: {
      std::vector<std::uint8_t> v(rng.below(kMaxValues + 1));
      for (auto& b : v) b = static_cast<std::uint8_t>(rng.below(2));
      return Item::of(format, std::move(v));
    }
    case Format::B:
    case Format::U1:
      return Item::of(format, random_values<std::uint8_t>(rng, kMaxValues));
    case Format::I1:
      return Item::of(format, random_values<std::int8_t>(rng, kMaxValues));
    case Format::I2:
      return Item::of(format, random_values<std::int16_t>(rng, kMaxValues));
    case Format::I4:
      return Item::of(format, random_values<std::int32_t>(rng, kMaxValues));
    case Format::I8:
      return Item::of(format, random_values<std::int64_t>(rng, kMaxValues));
    case Format::U2:
      return Item::of(format, random_values<std::uint16_t>(rng, kMaxValues));
    case Format::U4:
      return Item::of(format, random_values<std::uint32_t>(rng, kMaxValues));
    case Format::U8:
      return Item::of(format, random_values<std::uint64_t>(rng, kMaxValues));
    case Format::F4:
      return Item::of(format, random_values<float>(rng, kMaxValues));
    case Format::F8:
      return Item::of(format, random_values<double>(rng, kMaxValues));
  }
  return Item();
}

/// Bytes from a hex literal in a test (spaces allowed).
inline std::vector<std::uint8_t> hex(std::string_view text) { return from_hex(text); }

}  // namespace psw::mes::testing

// Failed comparisons print items as their wire bytes in hex.
namespace Catch {
template <>
struct StringMaker<psw::mes::Item> {
  static std::string convert(const psw::mes::Item& item) {
    return psw::mes::to_hex(psw::mes::encode(item));
  }
};
}  // namespace Catch
