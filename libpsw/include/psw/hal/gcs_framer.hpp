// Framing of PI's General Command Set (GCS 2.0) on a byte stream.
//
// A command is one line of ASCII ending in LF ("MOV 1 12.5\n"); a few single-byte commands
// (#24 = STP, #5, #7) have no terminator. A reply is one or more lines; every line but the
// last ends in space + LF, so the reply ends at the first LF not preceded by a space:
//
//   "1=0.000000 \n2=0.000000 \n3=100.000000\n"   one reply, three lines
//
// (PI GCS 2.0 commands manual, "Syntax" and "Multi-line answers".)
//
// GcsReplyFramer collects reply bytes and hands out whole replies, lines split and the
// continuation spaces removed. Anything that cannot be a GCS reply — bytes outside printable
// ASCII other than LF, or a reply longer than kMaxReplyBytes — makes it fail with a protocol
// error naming the offending byte or length; it never grows without bound.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <psw/hal/result.hpp>

namespace psw::hal::gcs {

inline constexpr char kStopByte = 0x18;          ///< #24: stop all axes (same effect as STP)
inline constexpr char kMotionStatusByte = 0x05;  ///< #5: which axes are moving (hex bit mask)
inline constexpr char kReadyByte = 0x07;         ///< #7: controller ready?
/// The one-byte answers to #7 (PI's PIPython reads 177 as ready, 176 as not ready).
inline constexpr unsigned char kReadyAnswer = 0xB1, kNotReadyAnswer = 0xB0;
inline constexpr std::size_t kMaxReplyBytes = 64 * 1024;
inline constexpr int kDefaultTcpPort = 50000;

/// "cmd\n". @throws std::invalid_argument when `command` contains LF or CR.
std::string frame_command(std::string_view command);

/// One GCS reply: its lines without terminators and continuation spaces.
struct Reply {
  std::vector<std::string> lines;
};

class GcsReplyFramer {
 public:
  /// Adds bytes from the transport.
  void feed(std::string_view bytes);
  /// The next complete reply, none when more bytes are needed, or a protocol error (after
  /// which the framer stays failed until reset()).
  std::optional<Result<Reply>> next();
  /// Drops buffered bytes and a failure.
  void reset();
  std::size_t buffered() const { return buffer_.size(); }

 private:
  std::string buffer_;
  std::optional<Error> failure_;
};

/// Splits a command stream into commands: LF-terminated lines (CR before LF dropped) and the
/// single-byte #24, #5 and #7 as "#24", "#5", "#7". Used by the simulated controller.
class GcsCommandFramer {
 public:
  void feed(std::string_view bytes);
  /// The next complete command; none when more bytes are needed.
  std::optional<std::string> next();
  /// True when a line grew past kMaxReplyBytes without LF (the framer then drops it).
  bool overflowed() const { return overflowed_; }

 private:
  std::string buffer_;
  std::vector<std::string> ready_;
  std::size_t next_ready_ = 0;
  bool overflowed_ = false;
};

/// "<code>" → the GCS text for the codes psw's devices use ("position out of limits", …),
/// "unknown error" otherwise.
std::string error_text(int code);

}  // namespace psw::hal::gcs
