// SML, the SECS Message Language: the text form of SECS-II items and messages that SEMI E5's
// examples and most tool and host vendors use.
//
//   S1F3 W
//   <L [2]
//     <U4 1001>
//     <A "Chamber \"A\"">
//   >.
//
// Printed form (what to_sml writes): a list as `<L [n] …>`, text as `<A "…">` with the escapes
// \" \\ \n \r \t and \xHH for any other byte outside printable ASCII, binary as `<B 0x0A>`,
// BOOLEAN as `<BOOLEAN TRUE FALSE>`, integers in decimal, floats in the shortest form that reads
// back to the same bits (`NaN`, `Inf`, `-Inf` for the non-finite ones).
//
// Parsing accepts what psw prints and the common dialects seen in vendor tools and logs:
// format names in any case and `BOOL` for BOOLEAN; `<L[2]`, `<L [2]` or `<L` without a count
// (a count that disagrees with the children is an error); a bracketed count after any other
// format is ignored (tools write bytes or elements there); text in double or single quotes,
// concatenated with byte values (`<A "line" 0x0D 0x0A>`); numbers in decimal, 0x hex or 0b
// binary; booleans as TRUE/FALSE/T/F or numbers (non-zero is true); `//` and `#` comments to
// the end of a line; an optional message header `S1F3 W` (W attached or apart, quotes
// allowed) and a closing `.`.
//
// Every parse error is a std::invalid_argument reading `<source>:<line>:<column>: <reason>`.
//
// References: SEMI E5, "SECS-II Message Content" (item formats); the SML notation as used in
// SEMI E5's message examples.
#pragma once

#include <string>
#include <string_view>

#include <psw/mes/item.hpp>
#include <psw/mes/message.hpp>

namespace psw::mes {

/// SML of one item; `indent` spaces per list level, or one line when `indent` < 0.
std::string to_sml(const Item& item, int indent = 2);

/// SML of a message: `S1F3 W` then the body (if any) and a closing `.`.
std::string to_sml(const Message& message, int indent = 2);

/// One item from SML text (surrounding whitespace, comments and a trailing `.` allowed).
/// @throws std::invalid_argument "source:line:column: reason".
Item parse_sml_item(std::string_view text, std::string_view source = "<sml>");

/// A message: a header `SnFm [W]`, then an optional item, then an optional `.`.
/// @throws std::invalid_argument "source:line:column: reason".
Message parse_sml_message(std::string_view text, std::string_view source = "<sml>");

}  // namespace psw::mes
