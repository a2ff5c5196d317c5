#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include <psw/mes/json.hpp>

#include "json_detail.hpp"

namespace psw::mes {

namespace {

using Json = nlohmann::json;

// Integers beyond this magnitude are written as strings: the largest that a binary64 (what
// JavaScript and most JSON tools parse numbers into) holds exactly is 2⁵³ − 1.
constexpr std::uint64_t kMaxSafeInteger = (std::uint64_t{1} << 53) - 1;

template <class T>
Json number_to_json(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    if constexpr (std::is_same_v<T, float>) {
      // Shortest decimal of the binary32 value, carried as the nearest binary64 so that the
      // JSON text shows those digits (nlohmann prints binary64 in shortest form too).
      char buffer[32];
      const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
      double d = 0;
      std::from_chars(buffer, r.ptr, d);
      return d;
    } else {
      return v;
    }
  } else if constexpr (std::is_signed_v<T>) {
    const auto magnitude =
        v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
    if (magnitude > kMaxSafeInteger) return std::to_string(v);
    return static_cast<std::int64_t>(v);
  } else {
    if (static_cast<std::uint64_t>(v) > kMaxSafeInteger) return std::to_string(v);
    return static_cast<std::uint64_t>(v);
  }
}

Json text_to_json(const std::string& text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return text;
  Json bytes = Json::array();
  for (char c : text) bytes.push_back(static_cast<unsigned>(static_cast<unsigned char>(c)));
  return bytes;
}

Json to_value(const Item& item) {
  Json values;
  switch (item.format()) {
    case Format::L:
      values = Json::array();
      for (const Item& child : item.items()) values.push_back(to_value(child));
      break;
    case Format::A:
    case Format::J:
      values = text_to_json(item.text());
      break;
    case Format::Boolean:
      values = Json::array();
      for (std::uint8_t b : item.bytes()) values.push_back(b != 0);
      break;
    default: {
      values = Json::array();
      auto each = [&](auto span) {
        for (auto v : span) values.push_back(number_to_json(v));
      };
      switch (item.format()) {
        case Format::B:
        case Format::U1:
          each(item.values<std::uint8_t>());
          break;
        case Format::I1:
          each(item.values<std::int8_t>());
          break;
        case Format::I2:
          each(item.values<std::int16_t>());
          break;
        case Format::I4:
          each(item.values<std::int32_t>());
          break;
        case Format::I8:
          each(item.values<std::int64_t>());
          break;
        case Format::U2:
          each(item.values<std::uint16_t>());
          break;
        case Format::U4:
          each(item.values<std::uint32_t>());
          break;
        case Format::U8:
          each(item.values<std::uint64_t>());
          break;
        case Format::F4:
          each(item.values<float>());
          break;
        case Format::F8:
          each(item.values<double>());
          break;
        default:
          break;
      }
    }
  }
  Json object = Json::object();
  object[std::string(format_name(item.format()))] = std::move(values);
  return object;
}

// ---- reading --------------------------------------------------------------------------------

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw std::invalid_argument(path + reason);
}

std::string show(const Json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

template <class T>
std::string range_of() {
  if constexpr (std::is_signed_v<T>) {
    return "[" + std::to_string(std::numeric_limits<T>::min()) + ", " +
           std::to_string(std::numeric_limits<T>::max()) + "]";
  } else {
    return "[0, " + std::to_string(std::numeric_limits<T>::max()) + "]";
  }
}

template <class T>
T integer_from_json(const Json& v, const std::string& path) {
  const std::string accepted = " is outside " + range_of<T>();
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      fail(path, " = " + show(v) + accepted);
    }
    return static_cast<T>(u);
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max()) {
        fail(path, " = " + show(v) + accepted);
      }
    } else {
      if (i < 0) fail(path, " = " + show(v) + accepted);
    }
    return static_cast<T>(i);
  }
  if (v.is_string()) {
    // 64-bit integers as decimal strings (JSON numbers lose precision above 2⁵³ in many tools).
    const auto& s = v.get_ref<const std::string&>();
    T out{};
    const char* first = s.data();
    if (!s.empty() && s[0] == '+') ++first;
    const auto r = std::from_chars(first, s.data() + s.size(), out);
    if (r.ec == std::errc::result_out_of_range) fail(path, " = " + show(v) + accepted);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
      fail(path, " = " + show(v) + " is not a decimal integer");
    }
    return out;
  }
  fail(path, " = " + show(v) + " is not an integer (a JSON integer or a decimal string)");
}

template <class T>
T float_from_json(const Json& v, const std::string& path) {
  if (v.is_number()) {
    const double d = v.get<double>();
    if constexpr (std::is_same_v<T, float>) {
      // Values from FLT_MAX + half an ulp up round to infinity: outside binary32's range.
      if (!(std::fabs(d) < 0x1.ffffffp127)) {
        fail(path, " = " + show(v) +
                       " is outside the binary32 range [-3.4028235e+38, "
                       "3.4028235e+38]");
      }
    }
    return static_cast<T>(d);
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<T>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<T>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<T>::infinity();
  }
  fail(path, " = " + show(v) + " is not a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
}

std::string text_from_json(const Json& v, const std::string& path) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      out += static_cast<char>(
          integer_from_json<std::uint8_t>(v[i], path + "[" + std::to_string(i) + "]"));
    }
    return out;
  }
  fail(path, " = " + show(v) + " is not text (a JSON string or an array of byte values)");
}

template <class T, class Read>
Item array_of(Format format, const Json& v, const std::string& path, Read read) {
  std::vector<T> values;
  if (v.is_array()) {
    values.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      values.push_back(read(v[i], path + "[" + std::to_string(i) + "]"));
    }
  } else {
    values.push_back(read(v, path));  // a single value stands for a one-element array
  }
  return Item::of(format, std::move(values));
}

Item from_value(const Json& v, const std::string& path, std::size_t depth) {
  if (depth > 64) fail(path, ": lists nested deeper than 64");
  if (!v.is_object() || v.size() != 1) {
    fail(path, " = " + show(v) +
                   " is not an item: expected an object with one key naming the format, "
                   "e.g. {\"U4\": [1]}");
  }
  const auto entry = v.begin();
  const std::string& key = entry.key();
  const Json& values = entry.value();
  Format format{};
  if (!format_from_name(key, format)) {
    fail(path, ": unknown item format \"" + key +
                   "\" (accepted: L, B, BOOLEAN, A, J, I1, I2, I4, I8, U1, U2, U4, U8, F4, F8)");
  }
  const std::string here = path + "." + key;
  switch (format) {
    case Format::L: {
      if (!values.is_array()) fail(here, " = " + show(values) + " is not an array of items");
      Item::List children;
      children.reserve(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) {
        children.push_back(from_value(values[i], here + "[" + std::to_string(i) + "]", depth + 1));
      }
      return Item::list(std::move(children));
    }
    case Format::A:
      return Item::ascii(text_from_json(values, here));
    case Format::J:
      return Item::jis8(text_from_json(values, here));
    case Format::Boolean:
      return array_of<std::uint8_t>(format, values, here, [](const Json& x, const std::string& p) {
        if (x.is_boolean()) return static_cast<std::uint8_t>(x.get<bool>() ? 1 : 0);
        if (x.is_number_integer() && (x.get<std::int64_t>() == 0 || x.get<std::int64_t>() == 1)) {
          return static_cast<std::uint8_t>(x.get<std::int64_t>());
        }
        fail(p, " = " + show(x) + " is not a boolean (true, false, 0 or 1)");
      });
    case Format::F4:
      return array_of<float>(format, values, here, float_from_json<float>);
    case Format::F8:
      return array_of<double>(format, values, here, float_from_json<double>);
    case Format::B:
    case Format::U1:
      return array_of<std::uint8_t>(format, values, here, integer_from_json<std::uint8_t>);
    case Format::U2:
      return array_of<std::uint16_t>(format, values, here, integer_from_json<std::uint16_t>);
    case Format::U4:
      return array_of<std::uint32_t>(format, values, here, integer_from_json<std::uint32_t>);
    case Format::U8:
      return array_of<std::uint64_t>(format, values, here, integer_from_json<std::uint64_t>);
    case Format::I1:
      return array_of<std::int8_t>(format, values, here, integer_from_json<std::int8_t>);
    case Format::I2:
      return array_of<std::int16_t>(format, values, here, integer_from_json<std::int16_t>);
    case Format::I4:
      return array_of<std::int32_t>(format, values, here, integer_from_json<std::int32_t>);
    case Format::I8:
      return array_of<std::int64_t>(format, values, here, integer_from_json<std::int64_t>);
  }
  fail(here, ": unhandled format");
}

}  // namespace

namespace detail {

nlohmann::json item_to_json_value(const Item& item) { return to_value(item); }

Item item_from_json_value(const nlohmann::json& value, const std::string& path) {
  return from_value(value, path, 0);
}

template <class T>
T integer_from_json(const nlohmann::json& value, const std::string& path) {
  return mes::integer_from_json<T>(value, path);
}

template std::int8_t integer_from_json<std::int8_t>(const nlohmann::json&, const std::string&);
template std::int16_t integer_from_json<std::int16_t>(const nlohmann::json&, const std::string&);
template std::int32_t integer_from_json<std::int32_t>(const nlohmann::json&, const std::string&);
template std::int64_t integer_from_json<std::int64_t>(const nlohmann::json&, const std::string&);
template std::uint8_t integer_from_json<std::uint8_t>(const nlohmann::json&, const std::string&);
template std::uint16_t integer_from_json<std::uint16_t>(const nlohmann::json&, const std::string&);
template std::uint32_t integer_from_json<std::uint32_t>(const nlohmann::json&, const std::string&);
template std::uint64_t integer_from_json<std::uint64_t>(const nlohmann::json&, const std::string&);

}  // namespace detail

std::string to_json(const Item& item, int indent) { return to_value(item).dump(indent); }

Item item_from_json(std::string_view json_text) {
  Json value;
  try {
    value = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::parse_error& e) {
    throw std::invalid_argument(std::string("invalid JSON: ") + e.what());
  }
  return from_value(value, "$", 0);
}

}  // namespace psw::mes
