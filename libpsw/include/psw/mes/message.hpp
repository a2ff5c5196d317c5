// A SECS-II message: stream, function, the W-bit and an optional body item (SEMI E5 §6).
//
// Streams run 0–127 (the top bit of the header's stream byte is the W-bit), functions 0–255.
// By SEMI E5 convention an odd function is a primary message and the next even function its
// reply; function 0 aborts a transaction. A message with no body (a "header-only" message) has
// `body` empty, which is different from a body that is an empty list `<L [0]>`.
//
// References: SEMI E5, "SECS-II Message Content" (streams, functions, W-bit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <psw/mes/item.hpp>

namespace psw::mes {

struct Message {
  std::uint8_t stream = 0;      ///< 0–127
  std::uint8_t function = 0;    ///< 0–255
  bool reply_expected = false;  ///< the W-bit
  std::optional<Item> body;     ///< empty for a header-only message

  /// "S1F13" (no W).
  std::string name() const;

  /// @throws std::invalid_argument when stream > 127.
  void validate() const;

  friend bool operator==(const Message&, const Message&) = default;
};

}  // namespace psw::mes
