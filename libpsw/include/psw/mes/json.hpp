// JSON ⇄ SECS-II: the lossless tagged form, psw's canonical JSON for items.
//
// Every item is an object with exactly one key, the format's name, holding its values:
//
//   {"L": [{"U4": [1001]}, {"A": "Chamber A"}]}      a list of two items
//   {"B": [0, 255]}   {"BOOLEAN": [true, false]}     binary bytes, booleans
//   {"I8": [-1, "-9223372036854775808"]}             integers: numbers, or decimal strings
//   {"F4": [1.5, "NaN", "Infinity", "-Infinity"]}    floats; non-finite ones as strings
//   {"A": "text"}   {"J": "text"}                    text
//
// What to_json writes, so that a round trip is exact: integer values as JSON numbers, except
// I8/U8 values beyond ±(2⁵³ − 1) (which JavaScript and many JSON tools would round) as decimal
// strings; F4 values in the shortest decimal that reads back to the same binary32 value; NaN
// and infinities as the strings above; text whose bytes are all below 0x80 as a JSON string,
// and any other text (Latin-1 bytes, JIS-8 katakana) as an array of byte values, `{"A": [72,
// 233]}`, since a JSON string must be UTF-8.
//
// What item_from_json accepts: the above, plus a single value in place of a one-element array
// (`{"U4": 7}`), integer strings for any integer format, 0/1 for booleans, and text given as a
// JSON string (its UTF-8 bytes are taken as they are).
//
// Errors are std::invalid_argument naming the JSON path, the bad value and the accepted range:
//   $.L[1].U1[0] = 256 is outside [0, 255]
#pragma once

#include <string>
#include <string_view>

#include <psw/mes/item.hpp>

namespace psw::mes {

/// The tagged JSON of `item`; one line when `indent` < 0, else pretty-printed.
std::string to_json(const Item& item, int indent = -1);

/// An item from its tagged JSON text.
/// @throws std::invalid_argument for invalid JSON (with line and column) or a value that does
///   not fit its format (with the JSON path).
Item item_from_json(std::string_view json_text);

}  // namespace psw::mes
