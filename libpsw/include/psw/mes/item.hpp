// SECS-II data items (SEMI E5): the typed tree that every SECS-II message body is made of.
//
// Wire form of one item (SEMI E5 §9, "Data Items", as publicly documented):
//
//   header byte = (format code << 2) | n      n = number of length bytes, 1, 2 or 3
//   length      = n bytes, big-endian         a list counts its child items; every other
//                                             format counts bytes of payload
//   payload     = the values, big-endian, element after element (a list: its children)
//
// Format codes (octal, as SEMI E5 tabulates them):
//
//   L 00  B 10  BOOLEAN 11  A 20  J 21  I8 30  I1 31  I2 32  I4 34  F8 40  F4 44
//   U8 50 U1 51 U2 52 U4 54
//
// Floats are IEEE 754 (F4 binary32, F8 binary64); signed integers are two's complement.
// The encoder writes the fewest length bytes that hold the length (≤ 255: one, ≤ 65535: two,
// ≤ 16777215: three); a longer item cannot be represented and is refused.
//
// Decoding is strict and never trusts a length before checking it against the bytes that are
// actually there, so a hostile length costs no allocation. Every error is a
// std::invalid_argument that names the byte offset and the reason, e.g.
//
//   SECS-II item at byte 6: U4 length 7 is not a multiple of its element size 4
//
// Representation: numeric arrays are held in one std::vector of the element type (no
// per-element allocation); A and J in a std::string of raw bytes; BOOLEAN as bytes 0/1 (any
// non-zero byte decodes as true, so peers that send 0xFF for true are understood; the encoder
// writes 0x01). A JIS-8 (J) item is carried as opaque bytes; psw does not transcode it.
//
// References: SEMI E5, "SECS-II Message Content" (item format and codes); the HSMS/SECS
// section of the project's REFERENCES.md, which lists the same codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace psw::mes {

/// SECS-II item formats; the enumerator value is the 6-bit format code of SEMI E5.
enum class Format : std::uint8_t {
  L = 000,
  B = 010,
  Boolean = 011,
  A = 020,
  J = 021,
  I8 = 030,
  I1 = 031,
  I2 = 032,
  I4 = 034,
  F8 = 040,
  F4 = 044,
  U8 = 050,
  U1 = 051,
  U2 = 052,
  U4 = 054,
};

/// Every format, in the order of SEMI E5's table.
inline constexpr Format kAllFormats[] = {Format::L,  Format::B,  Format::Boolean, Format::A,
                                         Format::J,  Format::I8, Format::I1,      Format::I2,
                                         Format::I4, Format::F8, Format::F4,      Format::U8,
                                         Format::U1, Format::U2, Format::U4};

/// "L", "B", "BOOLEAN", "A", "J", "I1" … "F8": the SML and JSON tag of a format.
std::string_view format_name(Format format);

/// Sets `out` to the format named `name` (exact, upper case: "U4", "BOOLEAN").
/// @returns false, leaving `out` alone, when `name` names no format.
bool format_from_name(std::string_view name, Format& out);

/// Bytes per element on the wire: 1 for B, BOOLEAN, A, J, I1, U1; 2, 4, 8 for the wider
/// numbers; 0 for L (a list counts items, not bytes).
std::size_t element_size(Format format);

/// The largest length one item can carry: three length bytes, 2²⁴ − 1.
inline constexpr std::size_t kMaxItemLength = 0xFFFFFF;

/// One SECS-II item: a list of items or an array of values of one format.
///
/// Build one with the static makers (`Item::u4({1, 2})`, `Item::list({...})`), read it with
/// format(), size(), items(), text() and values<T>().
class Item {
 public:
  using List = std::vector<Item>;

  /// An empty list.
  Item() : format_(Format::L), data_(List{}) {}

  static Item list(List items);
  static Item binary(std::vector<std::uint8_t> bytes);
  /// BOOLEAN: each value stored as 0 or 1.
  static Item boolean(const std::vector<bool>& values);
  static Item ascii(std::string text);
  /// JIS-8 text, carried as raw bytes.
  static Item jis8(std::string bytes);
  static Item i1(std::vector<std::int8_t> v);
  static Item i2(std::vector<std::int16_t> v);
  static Item i4(std::vector<std::int32_t> v);
  static Item i8(std::vector<std::int64_t> v);
  static Item u1(std::vector<std::uint8_t> v);
  static Item u2(std::vector<std::uint16_t> v);
  static Item u4(std::vector<std::uint32_t> v);
  static Item u8(std::vector<std::uint64_t> v);
  static Item f4(std::vector<float> v);
  static Item f8(std::vector<double> v);

  /// An empty item of any format (zero values, or an empty list).
  static Item empty(Format format);

  /// A numeric item (B, BOOLEAN, I*, U*, F*) of `format` from values of its element type.
  /// BOOLEAN values are stored as given; callers pass 0 or 1.
  /// @throws std::invalid_argument when T is not the element type of `format`.
  template <class T>
  static Item of(Format format, std::vector<T> values) {
    check_element_type(format, type_name_of<T>());
    return Item(format, Data(std::move(values)));
  }

  Format format() const { return format_; }
  /// Number of children (L), of bytes (A, J) or of values (everything else).
  std::size_t size() const;

  /// The children of an L item. @throws std::invalid_argument for any other format.
  const List& items() const;
  List& items();

  /// The bytes of an A or J item. @throws std::invalid_argument for any other format.
  const std::string& text() const;

  /// B, BOOLEAN and U1 values as bytes. @throws std::invalid_argument for other formats.
  std::span<const std::uint8_t> bytes() const { return values<std::uint8_t>(); }

  /// The values of a numeric item, viewed without copying. T must be the format's element
  /// type (std::uint8_t for B, BOOLEAN, U1; std::int16_t for I2; float for F4; …).
  /// @throws std::invalid_argument when T does not match the format.
  template <class T>
  std::span<const T> values() const {
    if (const auto* v = std::get_if<std::vector<T>>(&data_)) return *v;
    throw_type_mismatch(type_name_of<T>());
  }

  friend bool operator==(const Item& a, const Item& b);

  /// Payload length in the unit the wire uses: children for L, bytes otherwise.
  std::size_t wire_length() const;

 private:
  using Data =
      std::variant<List, std::string, std::vector<std::uint8_t>, std::vector<std::int8_t>,
                   std::vector<std::int16_t>, std::vector<std::int32_t>, std::vector<std::int64_t>,
                   std::vector<std::uint16_t>, std::vector<std::uint32_t>,
                   std::vector<std::uint64_t>, std::vector<float>, std::vector<double>>;

  Item(Format format, Data data) : format_(format), data_(std::move(data)) {}

  template <class T>
  static constexpr const char* type_name_of() {
    if constexpr (std::is_same_v<T, std::uint8_t>)
      return "uint8";
    else if constexpr (std::is_same_v<T, std::int8_t>)
      return "int8";
    else if constexpr (std::is_same_v<T, std::int16_t>)
      return "int16";
    else if constexpr (std::is_same_v<T, std::int32_t>)
      return "int32";
    else if constexpr (std::is_same_v<T, std::int64_t>)
      return "int64";
    else if constexpr (std::is_same_v<T, std::uint16_t>)
      return "uint16";
    else if constexpr (std::is_same_v<T, std::uint32_t>)
      return "uint32";
    else if constexpr (std::is_same_v<T, std::uint64_t>)
      return "uint64";
    else if constexpr (std::is_same_v<T, float>)
      return "float";
    else if constexpr (std::is_same_v<T, double>)
      return "double";
    else
      return "unsupported type";
  }
  [[noreturn]] void throw_type_mismatch(const char* requested) const;
  static void check_element_type(Format format, const char* type_name);

  Format format_;
  Data data_;
};

/// Limits applied while decoding untrusted bytes.
struct DecodeOptions {
  /// Largest input accepted, in bytes (a message body above it is refused before parsing).
  std::size_t max_bytes = 16u << 20;
  /// Deepest list nesting accepted (bounds recursion on hostile input).
  std::size_t max_depth = 64;

  /// @throws std::invalid_argument naming a field that is zero.
  void validate() const;
};

/// Number of bytes encode() will write for `item`.
/// @throws std::invalid_argument if an item's length exceeds kMaxItemLength.
std::size_t encoded_size(const Item& item);

/// Appends the wire form of `item` to `out`.
/// @throws std::invalid_argument if an item's length exceeds kMaxItemLength (naming it).
void encode(const Item& item, std::vector<std::uint8_t>& out);

/// The wire form of `item`.
std::vector<std::uint8_t> encode(const Item& item);

/// Decodes exactly one item that fills `bytes`.
/// @throws std::invalid_argument naming the byte offset and the reason for: an unknown format
///   code, zero length bytes, a length that is not a multiple of the element size, an item or
///   list running past the end, bytes left after the item, input above options.max_bytes, or
///   nesting deeper than options.max_depth.
Item decode(std::span<const std::uint8_t> bytes, const DecodeOptions& options = {});

/// Lower-case hex without separators: {0x01, 0xAB} → "01ab".
std::string to_hex(std::span<const std::uint8_t> bytes);

/// Bytes from hex text; whitespace, ':' and a leading "0x" per token are ignored.
/// @throws std::invalid_argument naming the character position of a non-hex digit or an odd
///   digit count.
std::vector<std::uint8_t> from_hex(std::string_view text);

}  // namespace psw::mes
