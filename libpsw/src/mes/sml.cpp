#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <psw/mes/sml.hpp>

#include "element_type.hpp"

namespace psw::mes {

// ---- Message --------------------------------------------------------------------------------

std::string Message::name() const {
  return "S" + std::to_string(stream) + "F" + std::to_string(function);
}

void Message::validate() const {
  if (stream > 127) {
    throw std::invalid_argument("message stream = " + std::to_string(stream) +
                                " is outside [0, 127]");
  }
}

namespace {

// ---- printing -------------------------------------------------------------------------------

void append_escaped(std::string& out, const std::string& text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out += '"';
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c >= 0x20 && c < 0x7F) {
          out += ch;
        } else {
          out += "\\x";
          out += kDigits[c >> 4];
          out += kDigits[c & 15];
        }
    }
  }
  out += '"';
}

template <class T>
void append_number(std::string& out, T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) {
      out += "NaN";
      return;
    }
    if (std::isinf(v)) {
      out += v > 0 ? "Inf" : "-Inf";
      return;
    }
  }
  std::array<char, 40> buffer{};
  // Integers as int (so int8 prints as a number); floats in the shortest round-trip form.
  std::to_chars_result r;
  if constexpr (sizeof(T) == 1 && std::is_integral_v<T>) {
    r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), static_cast<int>(v));
  } else {
    r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
  }
  out.append(buffer.data(), r.ptr);
}

void print(const Item& item, int indent, int level, std::string& out) {
  const std::string_view name = format_name(item.format());
  out += '<';
  out += name;
  switch (item.format()) {
    case Format::L: {
      out += " [" + std::to_string(item.size()) + "]";
      for (const Item& child : item.items()) {
        if (indent < 0) {
          out += ' ';
        } else {
          out += '\n';
          out.append(static_cast<std::size_t>(indent * (level + 1)), ' ');
        }
        print(child, indent, level + 1, out);
      }
      if (indent >= 0 && item.size() > 0) {
        out += '\n';
        out.append(static_cast<std::size_t>(indent * level), ' ');
      }
      break;
    }
    case Format::A:
    case Format::J:
      if (!item.text().empty()) {
        out += ' ';
        append_escaped(out, item.text());
      }
      break;
    case Format::B:
      for (std::uint8_t b : item.bytes()) {
        static constexpr char kDigits[] = "0123456789ABCDEF";
        out += " 0x";
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
      }
      break;
    case Format::Boolean:
      for (std::uint8_t b : item.bytes()) out += b != 0 ? " TRUE" : " FALSE";
      break;
    default: {
      auto each = [&](auto values) {
        for (auto v : values) {
          out += ' ';
          append_number(out, v);
        }
      };
      switch (item.format()) {
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
        case Format::U1:
          each(item.values<std::uint8_t>());
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
  out += '>';
}

// ---- parsing --------------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.' || c == '_';
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Message message() {
    Message m;
    skip();
    parse_header(m);
    skip();
    if (peek() == '<') m.body = item(0);
    finish();
    return m;
  }

  Item lone_item() {
    skip();
    if (peek() != '<') fail(pos_, "expected '<' to start an item, found " + describe(pos_));
    Item result = item(0);
    finish();
    return result;
  }

 private:
  static constexpr std::size_t kMaxDepth = 64;

  [[noreturn]] void fail(std::size_t at, const std::string& reason) const {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw std::invalid_argument(std::string(source_) + ":" + std::to_string(line) + ":" +
                                std::to_string(column) + ": " + reason);
  }

  std::string describe(std::size_t at) const {
    if (at >= text_.size()) return "the end of the text";
    const char c = text_[at];
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return "byte " + std::to_string(static_cast<unsigned char>(c));
    }
    return "'" + std::string(1, c) + "'";
  }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }

  // Whitespace and comments (`//` or `#` to the end of the line).
  void skip() {
    while (!at_end()) {
      const char c = text_[pos_];
      if (is_space(c)) {
        ++pos_;
      } else if (c == '#' || (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/')) {
        while (!at_end() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  void finish() {
    skip();
    if (peek() == '.') {
      ++pos_;
      skip();
    }
    if (!at_end()) fail(pos_, "unexpected " + describe(pos_) + " after the message");
  }

  std::string_view word() {
    const std::size_t start = pos_;
    while (!at_end() && is_word_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // `S1F3 W`, `S1F3W`, `'S1F3' W`.
  void parse_header(Message& m) {
    const bool quoted = peek() == '\'';
    if (quoted) ++pos_;
    const std::size_t name_at = pos_;
    std::string w;
    while (!at_end() && is_alnum(text_[pos_])) w += text_[pos_++];
    w = upper(w);
    std::size_t f_at = w.find('F');
    if (w.size() < 4 || w[0] != 'S' || f_at == std::string::npos || f_at < 2) {
      fail(name_at, "expected a message header like S1F3, found " + describe(name_at));
    }
    std::string stream_text = w.substr(1, f_at - 1);
    std::string function_text = w.substr(f_at + 1);
    bool wait = false;
    if (!function_text.empty() && function_text.back() == 'W') {
      wait = true;
      function_text.pop_back();
    }
    const unsigned long stream = header_number(stream_text, name_at, "stream", 127);
    const unsigned long function = header_number(function_text, name_at, "function", 255);
    if (quoted) {
      if (peek() != '\'') fail(pos_, "expected the closing quote of '" + w + "'");
      ++pos_;
    }
    skip();
    if (!wait && (peek() == 'W' || peek() == 'w') &&
        (pos_ + 1 >= text_.size() || !is_alnum(text_[pos_ + 1]))) {
      wait = true;
      ++pos_;
    }
    m.stream = static_cast<std::uint8_t>(stream);
    m.function = static_cast<std::uint8_t>(function);
    m.reply_expected = wait;
  }

  unsigned long header_number(const std::string& digits, std::size_t at, const char* what,
                              unsigned long max) {
    unsigned long v = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
      fail(at, std::string("message ") + what + " '" + digits + "' is not a number");
    }
    if (v > max) {
      fail(at, std::string("message ") + what + " = " + digits + " is outside [0, " +
                   std::to_string(max) + "]");
    }
    return v;
  }

  Item item(std::size_t depth) {
    const std::size_t open_at = pos_;
    ++pos_;  // '<'
    skip();
    const std::size_t name_at = pos_;
    std::string name;
    while (!at_end() && is_alnum(text_[pos_])) name += text_[pos_++];
    name = upper(name);
    if (name == "BOOL") name = "BOOLEAN";
    Format format{};
    if (!format_from_name(name, format)) {
      fail(name_at, "unknown item format '" + name +
                        "' (accepted: L, B, BOOLEAN, A, J, I1, I2, I4, I8, U1, U2, U4, U8, F4, "
                        "F8)");
    }

    // Optional count: [n], [n/m] (some tools); checked only for lists.
    skip();
    long declared = -1;
    if (peek() == '[') {
      const std::size_t count_at = pos_;
      ++pos_;
      skip();
      const std::string_view digits = word();
      unsigned long n = 0;
      const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
        fail(count_at, "expected a count inside [ ]");
      }
      skip();
      if (peek() == '/') {
        ++pos_;
        skip();
        word();
        skip();
      }
      if (peek() != ']') fail(pos_, "expected ']' to close the count, found " + describe(pos_));
      ++pos_;
      declared = static_cast<long>(std::min<unsigned long>(n, kMaxItemLength + 1));
    }

    Item result;
    if (format == Format::L) {
      if (depth >= kMaxDepth)
        fail(open_at, "lists nested deeper than " + std::to_string(kMaxDepth));
      Item::List children;
      skip();
      while (peek() == '<') {
        children.push_back(item(depth + 1));
        skip();
      }
      if (declared >= 0 && static_cast<std::size_t>(declared) != children.size()) {
        fail(open_at, "<L [" + std::to_string(declared) + "]> holds " +
                          std::to_string(children.size()) + " item(s)");
      }
      result = Item::list(std::move(children));
    } else if (format == Format::A || format == Format::J) {
      std::string text = text_value();
      result = format == Format::A ? Item::ascii(std::move(text)) : Item::jis8(std::move(text));
    } else {
      result = numbers(format);
    }

    skip();
    if (peek() != '>') {
      fail(pos_, "expected '>' to close <" + name + ", found " + describe(pos_));
    }
    ++pos_;
    return result;
  }

  // Quoted strings and byte values, concatenated.
  std::string text_value() {
    std::string out;
    for (;;) {
      skip();
      const char c = peek();
      if (c == '"' || c == '\'') {
        quoted(out);
      } else if (c != '>' && !at_end()) {
        const std::size_t at = pos_;
        const std::string_view w = word();
        if (w.empty()) fail(at, "expected a quoted string or a byte value, found " + describe(at));
        out += static_cast<char>(integer<std::uint8_t>(w, at, "A"));
      } else {
        return out;
      }
    }
  }

  void quoted(std::string& out) {
    const char quote = text_[pos_];
    const std::size_t open_at = pos_;
    ++pos_;
    for (;;) {
      if (at_end()) fail(open_at, "unterminated string");
      const char c = text_[pos_++];
      if (c == quote) return;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_end()) fail(open_at, "unterminated string");
      const std::size_t esc_at = pos_ - 1;
      const char e = text_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case '0':
          out += '\0';
          break;
        case '\\':
          out += '\\';
          break;
        case '"':
          out += '"';
          break;
        case '\'':
          out += '\'';
          break;
        case 'x': {
          int value = 0;
          for (int k = 0; k < 2; ++k) {
            const char h = peek();
            int d = -1;
            if (h >= '0' && h <= '9')
              d = h - '0';
            else if (h >= 'a' && h <= 'f')
              d = h - 'a' + 10;
            else if (h >= 'A' && h <= 'F')
              d = h - 'A' + 10;
            if (d < 0) fail(esc_at, "\\x needs two hex digits");
            value = value * 16 + d;
            ++pos_;
          }
          out += static_cast<char>(value);
          break;
        }
        default:
          fail(esc_at, "unknown escape '\\" + std::string(1, e) + "'");
      }
    }
  }

  // One integer token (decimal, 0x hex, 0b binary, optional sign) checked against T's range.
  template <class T>
  T integer(std::string_view w, std::size_t at, std::string_view format) {
    bool negative = false;
    std::string_view digits = w;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    int base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
      base = 16;
      digits.remove_prefix(2);
    } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
      base = 2;
      digits.remove_prefix(2);
    }
    std::uint64_t magnitude = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    if (digits.empty() || r.ptr != digits.data() + digits.size()) {
      fail(at, "'" + std::string(w) + "' is not an integer");
    }
    using Limits = std::numeric_limits<T>;
    const std::string range = "[" + std::to_string(static_cast<long long>(Limits::min())) + ", " +
                              std::to_string(static_cast<unsigned long long>(Limits::max())) + "]";
    const bool overflow = r.ec == std::errc::result_out_of_range;
    if constexpr (std::is_signed_v<T>) {
      const auto limit = negative ? static_cast<std::uint64_t>(Limits::max()) + 1
                                  : static_cast<std::uint64_t>(Limits::max());
      if (overflow || magnitude > limit) {
        fail(at, std::string(format) + " value " + std::string(w) + " is outside " + range);
      }
      if (negative) return static_cast<T>(static_cast<T>(0) - static_cast<T>(magnitude - 1) - 1);
      return static_cast<T>(magnitude);
    } else {
      if (overflow || (negative && magnitude != 0) || magnitude > Limits::max()) {
        fail(at, std::string(format) + " value " + std::string(w) + " is outside " + range);
      }
      return static_cast<T>(magnitude);
    }
  }

  template <class T>
  T floating(std::string_view w, std::size_t at, std::string_view format) {
    const std::string u = upper(w);
    if (u == "NAN" || u == "+NAN" || u == "-NAN") return std::numeric_limits<T>::quiet_NaN();
    if (u == "INF" || u == "+INF" || u == "INFINITY" || u == "+INFINITY") {
      return std::numeric_limits<T>::infinity();
    }
    if (u == "-INF" || u == "-INFINITY") return -std::numeric_limits<T>::infinity();
    std::string_view digits = w;
    if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
    T v{};
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
      fail(at, std::string(format) + " value '" + std::string(w) + "' is not a finite " +
                   (sizeof(T) == 4 ? "binary32" : "binary64") + " number");
    }
    return v;
  }

  Item numbers(Format format) {
    const std::string fname(format_name(format));
    return detail::with_element_type(format, [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> values;
      for (;;) {
        skip();
        if (peek() == '>' || at_end()) break;
        const std::size_t at = pos_;
        const std::string_view w = word();
        if (w.empty()) fail(at, "expected a " + fname + " value or '>', found " + describe(at));
        if constexpr (std::is_floating_point_v<T>) {
          values.push_back(floating<T>(w, at, fname));
        } else if constexpr (std::is_same_v<T, std::uint8_t>) {
          if (format == Format::Boolean) {
            const std::string u = upper(w);
            if (u == "TRUE" || u == "T") {
              values.push_back(1);
            } else if (u == "FALSE" || u == "F") {
              values.push_back(0);
            } else {
              values.push_back(integer<std::uint8_t>(w, at, fname) != 0 ? 1 : 0);
            }
          } else {
            values.push_back(integer<std::uint8_t>(w, at, fname));
          }
        } else {
          values.push_back(integer<T>(w, at, fname));
        }
      }
      return Item::of(format, std::move(values));
    });
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string to_sml(const Item& item, int indent) {
  std::string out;
  print(item, indent, 0, out);
  return out;
}

std::string to_sml(const Message& message, int indent) {
  std::string out = message.name();
  if (message.reply_expected) out += " W";
  if (message.body) {
    out += indent < 0 ? " " : "\n";
    print(*message.body, indent, 0, out);
  }
  out += '.';
  return out;
}

Item parse_sml_item(std::string_view text, std::string_view source) {
  return Parser(text, source).lone_item();
}

Message parse_sml_message(std::string_view text, std::string_view source) {
  return Parser(text, source).message();
}

}  // namespace psw::mes
