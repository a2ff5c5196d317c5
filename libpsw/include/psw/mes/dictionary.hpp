// The message dictionary and the named JSON view of SECS-II messages.
//
// Host integrators write messages by meaning, not by format:
//
//   {"message": "S6F11", "W": true,
//    "body": {"DATAID": 1, "CEID": 1001,
//             "RPT": [{"RPTID": 2001, "V": [{"A": "JOINT-7"}, {"F8": [2.5e-6]}]}]}}
//
// and the dictionary (data/secs/messages.yaml, built into the library) knows that S6F11's body
// is <L [3] DATAID CEID <L RPT…>> and which formats each data item may take (SEMI E5 §9). A
// plain number goes into the first allowed format that holds it (DATAID 1 → U4, by the
// dictionary's order of preference); a value that fits none is an error naming the JSON path
// and the allowed formats; a tagged value ({"U2": [1001]}) picks the format explicitly and
// must be one of the allowed ones. Decoding accepts every allowed format and writes plain
// values (numbers, strings, booleans); items of any format (V, SV, CPVAL, ECV) stay tagged,
// so nothing is lost there.
//
// Messages the dictionary does not know travel as {"message": "S64F1", "W": false,
// "item": {tagged item}}; "item" is accepted for known messages too.
//
// References: SEMI E5 (message structures and data items), SEMI E30 (GEM messages).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <psw/core/config.hpp>
#include <psw/mes/message.hpp>

namespace psw::mes {

class Dictionary {
 public:
  /// The dictionary built into the library (data/secs/messages.yaml at build time).
  static const Dictionary& builtin();

  /// A dictionary from its YAML (the format data/secs/messages.yaml documents).
  /// @throws std::invalid_argument with file:line:column for an unknown key, an unknown format
  ///   or data item, or a malformed shape.
  static Dictionary from_config(const Config& root);

  /// True when the dictionary describes SxFy.
  bool knows(int stream, int function) const;

  /// "Event Report Send" for S6F11; "" for a message it does not know.
  std::string message_name(int stream, int function) const;

  /// The named JSON of `message` (one line when indent < 0).
  /// @throws std::invalid_argument when a known message's body does not match its shape,
  ///   naming the path ("S6F11 body.RPT[0]") and what was expected.
  std::string to_named_json(const Message& message, int indent = -1) const;

  /// The message written as named JSON.
  /// @throws std::invalid_argument naming the JSON path of a missing, extra or ill-fitting
  ///   value and the accepted formats.
  Message from_named_json(std::string_view json) const;

  /// Checks a message against its shape (no-op for unknown messages).
  /// @throws std::invalid_argument as to_named_json does.
  void check(const Message& message) const;

  struct Impl;

 private:
  explicit Dictionary(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace psw::mes
