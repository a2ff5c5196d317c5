// The C++ element type of each numeric SECS-II format, shared by the binary codec and SML.
// Internal to psw::mes.
#pragma once

#include <psw/mes/item.hpp>

#include <cstdint>
#include <stdexcept>
#include <utility>

namespace psw::mes::detail {

// Element type of each numeric format, as a visitor over a format code.
template <class F>
inline decltype(auto) with_element_type(Format format, F&& f) {
  switch (format) {
    case Format::B:
    case Format::Boolean:
    case Format::U1:
      return f(std::uint8_t{});
    case Format::I1:
      return f(std::int8_t{});
    case Format::I2:
      return f(std::int16_t{});
    case Format::I4:
      return f(std::int32_t{});
    case Format::I8:
      return f(std::int64_t{});
    case Format::U2:
      return f(std::uint16_t{});
    case Format::U4:
      return f(std::uint32_t{});
    case Format::U8:
      return f(std::uint64_t{});
    case Format::F4:
      return f(float{});
    case Format::F8:
      return f(double{});
    case Format::L:
    case Format::A:
    case Format::J:
      break;
  }
  throw std::logic_error("with_element_type: not a numeric format");
}

}  // namespace psw::mes::detail
