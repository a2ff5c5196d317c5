// The HSMS-SS session state machine (SEMI E37 / E37.1), with no I/O and no clock of its own.
//
// States: NOT CONNECTED → (TCP up) → CONNECTED/NOT SELECTED → (select) → SELECTED, and back
// down on deselect (to NOT SELECTED), separate, a timer expiry, a protocol error or TCP loss
// (to NOT CONNECTED). One selected session per connection.
//
// The caller owns the socket and the clock: it reports what happened (on_connected,
// on_bytes, on_disconnected, on_time with the current time in seconds), sends what
// take_output() returns, closes the socket when close_requested() is true, and reads outcomes
// from take_events(). Tests drive it with a simulated clock; HsmsConnection drives it with a
// socket and the steady clock.
//
// Timers (SEMI E37 §10; defaults are the values commonly configured, REFERENCES.md):
// - T3 reply timeout: a W-bit primary with no reply in T3 → Event reply_timeout (the
//   transaction is closed; the connection stays).
// - T5 connect separation: an active entity waits T5 after a connection ends before the next
//   attempt (may_connect()).
// - T6 control transaction: select/deselect/linktest with no response in T6 → Event
//   control_timeout and the connection is closed.
// - T7 not selected: connected but not selected for T7 → Event not_selected_timeout, close.
// - T8 inter-character: part of a message received and nothing more for T8 → Event
//   inter_character_timeout, close.
// - Linktest period (optional): while selected, a linktest.req every period.
//
// Incoming control messages are answered as E37 prescribes: select.req → select.rsp 0 (or 1
// when already selected); deselect.req → deselect.rsp 0 (1 when not selected); linktest.req
// → linktest.rsp; separate.req → close; an unknown SType → reject.req reason 1; a PType other
// than 0 → reject.req reason 2; a response with no open transaction → reject.req reason 3; a
// data message while not selected → reject.req reason 4.
//
// A data message whose session id is not this session's device id is not delivered: it
// becomes Event unknown_device (the equipment answers S9F1, gem.hpp). A T3 expiry carries the
// header of the primary that went unanswered (the equipment answers S9F9).
//
// References: SEMI E37 (HSMS), SEMI E37.1 (HSMS-SS).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <psw/mes/hsms_frame.hpp>
#include <psw/mes/message.hpp>

namespace psw::mes::hsms {

/// HSMS timer values in seconds.
struct Timers {
  double t3_s = 45.0;
  double t5_s = 10.0;
  double t6_s = 5.0;
  double t7_s = 10.0;
  double t8_s = 5.0;
  double linktest_s = 0.0;  ///< period of automatic linktests while selected; 0 = none

  /// @throws std::invalid_argument naming the first timer that is not finite and > 0
  ///   (linktest_s may be 0).
  void validate() const;
};

enum class Mode { active, passive };

enum class State { not_connected, not_selected, selected };

/// "NOT CONNECTED", "NOT SELECTED", "SELECTED".
std::string state_name(State state);

/// Something the caller should know about; expected outcomes, never exceptions.
struct Event {
  enum class Kind {
    selected,                 ///< a select completed (either side started it)
    select_refused,           ///< our select.req was answered with a non-zero status (code)
    deselected,               ///< a deselect completed
    separated,                ///< the peer sent separate.req
    linktest_ok,              ///< our linktest.req was answered
    primary_received,         ///< a primary data message (message, system_bytes)
    reply_received,           ///< the reply to our primary (message, system_bytes)
    unexpected_reply,         ///< a reply (even function) with no open transaction
    illegal_data,             ///< a data message whose body is not valid SECS-II (text)
    unknown_device,           ///< a data message for another device id (device_id; no body)
    reply_timeout,            ///< T3 expired for system_bytes (message: the primary, no body)
    control_timeout,          ///< T6 expired for a select/deselect/linktest (system_bytes)
    not_selected_timeout,     ///< T7 expired
    inter_character_timeout,  ///< T8 expired
    rejected,                 ///< the peer rejected our message (code = reason)
    protocol_error,           ///< the peer's bytes broke HSMS (text says how); closing
    disconnected,             ///< the TCP connection ended
  };
  Kind kind;
  std::uint32_t system_bytes = 0;
  std::uint8_t code = 0;
  std::optional<Message> message;
  std::string text;
  std::uint16_t device_id = 0;  ///< the session id of a received data message's header
};

/// "selected", "reply_timeout", … for logs and Python.
std::string event_name(Event::Kind kind);

class Session {
 public:
  /// @param device_id session id of data messages (0–32767 by E37 convention, any 16-bit here)
  /// @throws std::invalid_argument from timers.validate().
  Session(Mode mode, std::uint16_t device_id, const Timers& timers = {});

  // ---- what happened ----------------------------------------------------------------------
  void on_connected(double now_s);
  /// `why`, when given, is the disconnected event's text (e.g. a limit the caller enforced).
  void on_disconnected(double now_s, const std::string& why = "");
  void on_bytes(std::span<const std::uint8_t> bytes, double now_s);
  /// Fires every timer due at `now_s`.
  void on_time(double now_s);

  // ---- what to do -------------------------------------------------------------------------
  /// Sends select.req (T6 runs). @returns its system bytes.
  /// @throws std::logic_error unless connected and not selected.
  std::uint32_t select(double now_s);
  /// Sends deselect.req (T6 runs). @throws std::logic_error unless selected.
  std::uint32_t deselect(double now_s);
  /// Sends linktest.req (T6 runs). @throws std::logic_error unless connected.
  std::uint32_t linktest(double now_s);
  /// Sends separate.req and asks the caller to close. @throws std::logic_error unless connected.
  void separate(double now_s);
  /// Sends a primary data message; with the W-bit, T3 runs for its reply.
  /// @returns its system bytes. @throws std::logic_error unless selected;
  ///   std::invalid_argument for a bad message (stream > 127).
  std::uint32_t send(const Message& message, double now_s);
  /// Sends `message` as the reply to the primary with `system_bytes`.
  /// @throws std::logic_error unless selected.
  void reply(const Message& message, std::uint32_t system_bytes);

  // ---- results ----------------------------------------------------------------------------
  /// Bytes to write to the socket, in order; empties the queue.
  std::vector<std::uint8_t> take_output();
  /// Outcomes since the last call, in order; empties the queue.
  std::vector<Event> take_events();
  /// True once the connection should be closed (separate, a timer, a protocol error).
  bool close_requested() const { return close_requested_; }
  /// Earliest time at which on_time() has something to do; +inf when nothing is pending.
  double next_deadline() const;
  /// Active mode: whether T5 allows a new connection attempt at `now_s`.
  bool may_connect(double now_s) const;

  State state() const { return state_; }
  Mode mode() const { return mode_; }
  const Timers& timers() const { return timers_; }
  /// Open T3 transactions (W-bit primaries awaiting their reply).
  std::size_t open_transactions() const { return t3_open_.size(); }
  std::uint16_t device_id() const { return device_id_; }

  /// Body decoding limits for incoming data messages.
  DecodeOptions decode_options;

 private:
  void send_frame(const Frame& frame);
  void emit(Event event);
  void close(double now_s);
  void handle(const Frame& frame, double now_s);
  void handle_data(const Frame& frame, double now_s);
  void reject(const Header& header, RejectReason reason);
  std::uint32_t next_system_bytes();
  std::uint32_t start_control(SType stype, double now_s);
  void require_connected(const char* what) const;

  Mode mode_;
  std::uint16_t device_id_;
  Timers timers_;
  State state_ = State::not_connected;
  FrameReader reader_;
  std::vector<std::uint8_t> output_;
  std::vector<Event> events_;
  bool close_requested_ = false;
  std::uint32_t system_counter_ = 0;

  // Open transactions: T3 per W-bit primary (its deadline and its header, for S9F9); at most
  // one control transaction (T6).
  struct Open {
    double deadline_s;
    Message header;
  };
  std::map<std::uint32_t, Open> t3_open_;
  std::optional<std::uint32_t> control_system_;
  SType control_stype_ = SType::select_req;
  double t6_deadline_ = 0;
  double t7_deadline_ = 0;           // while not selected
  double t8_deadline_ = 0;           // while a frame is partial
  double linktest_due_ = 0;          // while selected and linktest_s > 0
  double disconnected_at_ = -1e300;  // for T5
};

}  // namespace psw::mes::hsms
