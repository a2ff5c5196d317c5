// HSMS frames (SEMI E37 High-Speed SECS Message Services, as publicly documented).
//
// Every HSMS message on the TCP stream is
//
//   length (4 bytes, big-endian) = 10 + body size
//   header (10 bytes):
//     [0..1] session id     data: the device id; control requests: 0xFFFF in HSMS-SS
//     [2]    data: W-bit (0x80) | stream;    control: 0, or a status/reason context
//     [3]    data: function;                 control: status (select/deselect.rsp) or reason
//     [4]    PType, 0 = SECS-II encoding
//     [5]    SType: 0 data, 1/2 select.req/.rsp, 3/4 deselect.req/.rsp, 5/6 linktest.req/.rsp,
//            7 reject.req, 9 separate.req
//     [6..9] system bytes, chosen by the sender of a request and echoed in its reply
//   body: the SECS-II item of a data message (absent for header-only messages)
//
// Select status codes: 0 established, 1 already active, 2 not ready, 3 connect exhaust.
// Deselect status codes: 0 ended, 1 not established, 2 busy.
// Reject reason codes: 1 SType not supported, 2 PType not supported, 3 transaction not open,
// 4 entity not selected; byte 2 of a reject carries the rejected message's SType (or PType for
// reason 2), its system bytes are those of the rejected message.
//
// The reader never allocates for a length before checking it against a cap, so a hostile
// 4 GiB length prefix is rejected at once.
//
// References: SEMI E37 (HSMS generic services), SEMI E37.1 (HSMS-SS, single session);
// the HSMS section of the project's REFERENCES.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <psw/mes/message.hpp>

namespace psw::mes::hsms {

enum class SType : std::uint8_t {
  data = 0,
  select_req = 1,
  select_rsp = 2,
  deselect_req = 3,
  deselect_rsp = 4,
  linktest_req = 5,
  linktest_rsp = 6,
  reject_req = 7,
  separate_req = 9,
};

/// "data", "select.req", … ; "SType 8" for codes HSMS does not define.
std::string stype_name(std::uint8_t stype);

enum class SelectStatus : std::uint8_t {
  ok = 0,
  already_active = 1,
  not_ready = 2,
  connect_exhaust = 3,
};

enum class DeselectStatus : std::uint8_t { ok = 0, not_established = 1, busy = 2 };

enum class RejectReason : std::uint8_t {
  stype_not_supported = 1,
  ptype_not_supported = 2,
  transaction_not_open = 3,
  entity_not_selected = 4,
};

/// Session id used by control requests in HSMS-SS (SEMI E37.1).
inline constexpr std::uint16_t kControlSessionId = 0xFFFF;

/// The 10-byte message header; stype and ptype kept as raw bytes so that a frame with an
/// undefined type can still be read and rejected.
struct Header {
  std::uint16_t session_id = 0;
  std::uint8_t byte2 = 0;
  std::uint8_t byte3 = 0;
  std::uint8_t ptype = 0;
  std::uint8_t stype = 0;
  std::uint32_t system_bytes = 0;

  friend bool operator==(const Header&, const Header&) = default;
};

struct Frame {
  Header header;
  std::vector<std::uint8_t> body;  ///< the SECS-II item bytes of a data message

  friend bool operator==(const Frame&, const Frame&) = default;
};

/// A control frame (no body).
Frame control_frame(SType stype, std::uint32_t system_bytes, std::uint8_t byte2 = 0,
                    std::uint8_t byte3 = 0, std::uint16_t session_id = kControlSessionId);

/// A data frame carrying `message` (stream, function, W-bit and encoded body).
/// @throws std::invalid_argument when the stream is above 127.
Frame data_frame(const Message& message, std::uint16_t session_id, std::uint32_t system_bytes);

/// The message in a data frame, its body decoded with `options`.
/// @throws std::invalid_argument for a frame that is not a data frame or a malformed body.
Message message_of(const Frame& frame, const DecodeOptions& options = {});

/// The frame on the wire: 4 length bytes, the header, the body.
std::vector<std::uint8_t> encode_frame(const Frame& frame);

/// Splits a TCP byte stream into frames.
///
/// Feed it what arrives; take complete frames with next(). A length below 10 or above
/// max_frame_bytes throws std::invalid_argument naming the stream offset and the value, before
/// any allocation for it; the caller then ends the connection (the stream cannot be
/// resynchronised).
class FrameReader {
 public:
  /// @param max_frame_bytes largest accepted length field (header + body), ≥ 10.
  /// @throws std::invalid_argument when max_frame_bytes < 10.
  explicit FrameReader(std::size_t max_frame_bytes = (16u << 20) + 10);

  /// Appends bytes received from the peer.
  void feed(std::span<const std::uint8_t> bytes);

  /// The next complete frame, or nothing until more bytes arrive.
  /// @throws std::invalid_argument for a length field outside [10, max_frame_bytes].
  std::optional<Frame> next();

  /// True while part of a frame has arrived and the rest has not (T8 applies).
  bool partial() const { return buffer_.size() > start_; }

 private:
  std::size_t max_frame_bytes_;
  std::vector<std::uint8_t> buffer_;
  std::size_t start_ = 0;       // first unconsumed byte of buffer_
  std::uint64_t consumed_ = 0;  // stream offset of buffer_[start_]
};

}  // namespace psw::mes::hsms
