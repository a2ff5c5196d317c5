#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <stdexcept>
#include <string>

#include <psw/mes/item.hpp>

#include "element_type.hpp"

namespace psw::mes {

using detail::with_element_type;

namespace {


// The unsigned integer of the same width as T, for byte swapping.
template <class T>
using UnsignedOf = std::conditional_t<
    sizeof(T) == 1, std::uint8_t,
    std::conditional_t<sizeof(T) == 2, std::uint16_t,
                       std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;

template <class U>
U byte_swap(U v) {
  if constexpr (sizeof(U) == 1)
    return v;
  else if constexpr (sizeof(U) == 2)
    return __builtin_bswap16(v);
  else if constexpr (sizeof(U) == 4)
    return __builtin_bswap32(v);
  else
    return __builtin_bswap64(v);
}

// Values → big-endian bytes, one memcpy per element, no allocation.
template <class T>
void store_big_endian(const T* values, std::size_t n, std::uint8_t* out) {
  using U = UnsignedOf<T>;
  if constexpr (sizeof(T) == 1 || std::endian::native == std::endian::big) {
    if (n != 0) std::memcpy(out, values, n * sizeof(T));
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const U u = byte_swap(std::bit_cast<U>(values[i]));
      std::memcpy(out + i * sizeof(T), &u, sizeof(T));
    }
  }
}

template <class T>
void load_big_endian(const std::uint8_t* in, std::size_t n, T* values) {
  using U = UnsignedOf<T>;
  if constexpr (sizeof(T) == 1 || std::endian::native == std::endian::big) {
    if (n != 0) std::memcpy(values, in, n * sizeof(T));
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      U u;
      std::memcpy(&u, in + i * sizeof(T), sizeof(T));
      values[i] = std::bit_cast<T>(byte_swap(u));
    }
  }
}

std::string octal(unsigned code) {
  std::string s = "0";
  s += static_cast<char>('0' + ((code >> 3) & 7));
  s += static_cast<char>('0' + (code & 7));
  return s;
}

std::string hex_byte(std::uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  s += kDigits[b >> 4];
  s += kDigits[b & 15];
  return s;
}

std::size_t length_bytes_for(std::size_t length) {
  if (length <= 0xFF) return 1;
  if (length <= 0xFFFF) return 2;
  return 3;
}

void check_length(const Item& item, std::size_t length) {
  if (length > kMaxItemLength) {
    throw std::invalid_argument(
        "SECS-II " + std::string(format_name(item.format())) + " item of length " +
        std::to_string(length) + (item.format() == Format::L ? " items" : " bytes") +
        " is above the " + std::to_string(kMaxItemLength) + " that 3 length bytes can hold");
  }
}

// Writes `item` at `out`, returns one past the last byte written.
std::uint8_t* write_item(const Item& item, std::uint8_t* out) {
  const std::size_t length = item.wire_length();
  check_length(item, length);
  const std::size_t n_len = length_bytes_for(length);

  // Header byte: format code in the top six bits, number of length bytes in the bottom two.
  *out++ = static_cast<std::uint8_t>((static_cast<unsigned>(item.format()) << 2) | n_len);
  for (std::size_t i = n_len; i-- > 0;) *out++ = static_cast<std::uint8_t>(length >> (8 * i));

  // Payload: children in order, text bytes as they are, numbers big-endian.
  switch (item.format()) {
    case Format::L:
      for (const Item& child : item.items()) out = write_item(child, out);
      return out;
    case Format::A:
    case Format::J:
      if (length != 0) std::memcpy(out, item.text().data(), length);
      return out + length;
    default:
      return with_element_type(item.format(), [&](auto tag) {
        using T = decltype(tag);
        const auto v = item.values<T>();
        store_big_endian(v.data(), v.size(), out);
        return out + length;
      });
  }
}

class Decoder {
 public:
  Decoder(std::span<const std::uint8_t> bytes, const DecodeOptions& options)
      : bytes_(bytes), options_(options) {}

  Item top() {
    Item item = next(0);
    if (pos_ != bytes_.size()) {
      fail(pos_, std::to_string(bytes_.size() - pos_) + " trailing byte(s) after the item");
    }
    return item;
  }

 private:
  [[noreturn]] void fail(std::size_t offset, const std::string& reason) const {
    throw std::invalid_argument("SECS-II item at byte " + std::to_string(offset) + ": " + reason);
  }

  std::size_t remaining() const { return bytes_.size() - pos_; }

  Item next(std::size_t depth) {
    const std::size_t start = pos_;
    if (remaining() == 0) fail(start, "truncated item: expected a header byte, input ended");

    // Header: format code and how many length bytes follow.
    const std::uint8_t header = bytes_[pos_++];
    const unsigned code = header >> 2;
    const std::size_t n_len = header & 3u;
    Format format{};
    bool known = false;
    for (Format f : kAllFormats) {
      if (static_cast<unsigned>(f) == code) {
        format = f;
        known = true;
      }
    }
    if (!known) {
      fail(start, "format code " + octal(code) + " (header " + hex_byte(header) +
                      ") is not a SECS-II format");
    }
    if (n_len == 0) {
      fail(start, "header " + hex_byte(header) + " of " + std::string(format_name(format)) +
                      " has zero length bytes (accepted: 1 to 3)");
    }
    if (remaining() < n_len) {
      fail(start, "truncated item: header needs " + std::to_string(n_len) + " length byte(s), " +
                      std::to_string(remaining()) + " remain");
    }

    // Length, big-endian.
    std::size_t length = 0;
    for (std::size_t i = 0; i < n_len; ++i) length = (length << 8) | bytes_[pos_++];
    const std::string name(format_name(format));

    // A list: each child needs at least two bytes, checked before reserving anything.
    if (format == Format::L) {
      if (depth >= options_.max_depth) {
        fail(start, "lists nested deeper than max_depth " + std::to_string(options_.max_depth));
      }
      if (length > remaining() / 2) {
        fail(start, "truncated item: L of " + std::to_string(length) + " items cannot fit in the " +
                        std::to_string(remaining()) +
                        " byte(s) that remain (each item takes at least 2)");
      }
      Item::List children;
      children.reserve(length);
      for (std::size_t i = 0; i < length; ++i) children.push_back(next(depth + 1));
      return Item::list(std::move(children));
    }

    // Everything else counts bytes: whole elements, all present.
    const std::size_t size = element_size(format);
    if (length % size != 0) {
      fail(start, name + " length " + std::to_string(length) +
                      " is not a multiple of its element size " + std::to_string(size));
    }
    if (length > remaining()) {
      fail(start, "truncated item: " + name + " length " + std::to_string(length) +
                      " runs past the end, " + std::to_string(remaining()) + " byte(s) remain");
    }
    const std::uint8_t* payload = bytes_.data() + pos_;
    pos_ += length;
    if (format == Format::A || format == Format::J) {
      std::string text(reinterpret_cast<const char*>(payload), length);
      return format == Format::A ? Item::ascii(std::move(text)) : Item::jis8(std::move(text));
    }
    return with_element_type(format, [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> values(length / sizeof(T));
      load_big_endian(payload, values.size(), values.data());
      if (format == Format::Boolean) {
        // Any non-zero byte is true (peers differ: 0x01 or 0xFF); stored as 1.
        for (auto& v : values) v = v != 0 ? 1 : 0;
      }
      return Item::of(format, std::move(values));
    });
  }

  std::span<const std::uint8_t> bytes_;
  const DecodeOptions& options_;
  std::size_t pos_ = 0;
};

}  // namespace

// ---- formats --------------------------------------------------------------------------------

std::string_view format_name(Format format) {
  switch (format) {
    case Format::L:
      return "L";
    case Format::B:
      return "B";
    case Format::Boolean:
      return "BOOLEAN";
    case Format::A:
      return "A";
    case Format::J:
      return "J";
    case Format::I8:
      return "I8";
    case Format::I1:
      return "I1";
    case Format::I2:
      return "I2";
    case Format::I4:
      return "I4";
    case Format::F8:
      return "F8";
    case Format::F4:
      return "F4";
    case Format::U8:
      return "U8";
    case Format::U1:
      return "U1";
    case Format::U2:
      return "U2";
    case Format::U4:
      return "U4";
  }
  return "?";
}

bool format_from_name(std::string_view name, Format& out) {
  for (Format f : kAllFormats) {
    if (format_name(f) == name) {
      out = f;
      return true;
    }
  }
  return false;
}

std::size_t element_size(Format format) {
  switch (format) {
    case Format::L:
      return 0;
    case Format::A:
    case Format::J:
      return 1;
    default:
      return with_element_type(format, [](auto tag) { return sizeof(tag); });
  }
}

// ---- Item -----------------------------------------------------------------------------------

Item Item::list(List items) { return Item(Format::L, Data(std::move(items))); }
Item Item::binary(std::vector<std::uint8_t> bytes) { return of(Format::B, std::move(bytes)); }
Item Item::boolean(const std::vector<bool>& values) {
  std::vector<std::uint8_t> bytes(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) bytes[i] = values[i] ? 1 : 0;
  return of(Format::Boolean, std::move(bytes));
}
Item Item::ascii(std::string text) { return Item(Format::A, Data(std::move(text))); }
Item Item::jis8(std::string bytes) { return Item(Format::J, Data(std::move(bytes))); }
Item Item::i1(std::vector<std::int8_t> v) { return of(Format::I1, std::move(v)); }
Item Item::i2(std::vector<std::int16_t> v) { return of(Format::I2, std::move(v)); }
Item Item::i4(std::vector<std::int32_t> v) { return of(Format::I4, std::move(v)); }
Item Item::i8(std::vector<std::int64_t> v) { return of(Format::I8, std::move(v)); }
Item Item::u1(std::vector<std::uint8_t> v) { return of(Format::U1, std::move(v)); }
Item Item::u2(std::vector<std::uint16_t> v) { return of(Format::U2, std::move(v)); }
Item Item::u4(std::vector<std::uint32_t> v) { return of(Format::U4, std::move(v)); }
Item Item::u8(std::vector<std::uint64_t> v) { return of(Format::U8, std::move(v)); }
Item Item::f4(std::vector<float> v) { return of(Format::F4, std::move(v)); }
Item Item::f8(std::vector<double> v) { return of(Format::F8, std::move(v)); }

Item Item::empty(Format format) {
  switch (format) {
    case Format::L:
      return list({});
    case Format::A:
      return ascii({});
    case Format::J:
      return jis8({});
    default:
      return with_element_type(format,
                               [&](auto tag) { return of(format, std::vector<decltype(tag)>{}); });
  }
}

void Item::check_element_type(Format format, const char* type_name) {
  const bool numeric = format != Format::L && format != Format::A && format != Format::J;
  const char* expected =
      numeric ? with_element_type(format, [](auto tag) { return type_name_of<decltype(tag)>(); })
              : "none";
  if (std::strcmp(expected, type_name) != 0) {
    throw std::invalid_argument("SECS-II " + std::string(format_name(format)) + " values must be " +
                                expected + ", not " + type_name);
  }
}

void Item::throw_type_mismatch(const char* requested) const {
  throw std::invalid_argument("SECS-II " + std::string(format_name(format_)) + " item read as " +
                              requested);
}

std::size_t Item::size() const {
  return std::visit([](const auto& v) { return v.size(); }, data_);
}

const Item::List& Item::items() const {
  if (const auto* v = std::get_if<List>(&data_)) return *v;
  throw std::invalid_argument("SECS-II " + std::string(format_name(format_)) +
                              " item has no children (only L has)");
}

Item::List& Item::items() {
  if (auto* v = std::get_if<List>(&data_)) return *v;
  throw std::invalid_argument("SECS-II " + std::string(format_name(format_)) +
                              " item has no children (only L has)");
}

const std::string& Item::text() const {
  if (const auto* v = std::get_if<std::string>(&data_)) return *v;
  throw std::invalid_argument("SECS-II " + std::string(format_name(format_)) +
                              " item has no text (only A and J have)");
}

std::size_t Item::wire_length() const {
  if (format_ == Format::L) return size();
  return size() * element_size(format_);
}

bool operator==(const Item& a, const Item& b) {
  if (a.format_ != b.format_) return false;
  // Floats compare by bit pattern, so NaN equals itself and 0.0 differs from -0.0: equality
  // here means "encodes to the same bytes".
  if (a.format_ == Format::F4 || a.format_ == Format::F8) {
    return std::visit(
        [&](const auto& va) {
          using V = std::decay_t<decltype(va)>;
          const auto& vb = std::get<V>(b.data_);
          if constexpr (std::is_same_v<V, std::vector<float>> ||
                        std::is_same_v<V, std::vector<double>>) {
            return va.size() == vb.size() &&
                   (va.empty() ||
                    std::memcmp(va.data(), vb.data(), va.size() * sizeof(va[0])) == 0);
          } else {
            return va == vb;
          }
        },
        a.data_);
  }
  return a.data_ == b.data_;
}

// ---- encode and decode ----------------------------------------------------------------------

std::size_t encoded_size(const Item& item) {
  const std::size_t length = item.wire_length();
  check_length(item, length);
  std::size_t total = 1 + length_bytes_for(length);
  if (item.format() == Format::L) {
    for (const Item& child : item.items()) total += encoded_size(child);
  } else {
    total += length;
  }
  return total;
}

void encode(const Item& item, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.resize(start + encoded_size(item));
  write_item(item, out.data() + start);
}

std::vector<std::uint8_t> encode(const Item& item) {
  std::vector<std::uint8_t> out;
  encode(item, out);
  return out;
}

void DecodeOptions::validate() const {
  if (max_bytes == 0)
    throw std::invalid_argument("DecodeOptions.max_bytes = 0 is outside [1, inf)");
  if (max_depth == 0)
    throw std::invalid_argument("DecodeOptions.max_depth = 0 is outside [1, inf)");
}

Item decode(std::span<const std::uint8_t> bytes, const DecodeOptions& options) {
  options.validate();
  if (bytes.size() > options.max_bytes) {
    throw std::invalid_argument("SECS-II item at byte 0: input of " + std::to_string(bytes.size()) +
                                " bytes is above the size cap " +
                                std::to_string(options.max_bytes));
  }
  return Decoder(bytes, options).top();
}

// ---- hex ------------------------------------------------------------------------------------

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::vector<std::uint8_t> from_hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  int pending = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',') continue;
    // "0x" prefix at the start of a token.
    if (c == '0' && pending < 0 && i + 1 < text.size() &&
        (text[i + 1] == 'x' || text[i + 1] == 'X') &&
        (i == 0 || !std::isxdigit(static_cast<unsigned char>(text[i - 1])))) {
      ++i;
      continue;
    }
    int digit = -1;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    if (digit < 0) {
      throw std::invalid_argument("hex text at character " + std::to_string(i) + ": '" +
                                  std::string(1, c) + "' is not a hex digit");
    }
    if (pending < 0) {
      pending = digit;
    } else {
      out.push_back(static_cast<std::uint8_t>(pending * 16 + digit));
      pending = -1;
    }
  }
  if (pending >= 0) {
    throw std::invalid_argument("hex text has an odd number of digits (" +
                                std::to_string(out.size() * 2 + 1) + ")");
  }
  return out;
}

}  // namespace psw::mes
