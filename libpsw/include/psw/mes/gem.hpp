// GEM basics for the equipment side (SEMI E30, as publicly documented), on top of messages:
// no I/O here, so it runs over an HSMS Link, in tests, or anywhere messages arrive.
//
// Communication state: NOT COMMUNICATING until an S1F13/S1F14 exchange succeeds (either side
// may start it), then COMMUNICATING. While not communicating, every primary other than S1F13
// is aborted with SxF0.
//
// Control state: ON-LINE REMOTE (default), ON-LINE LOCAL or HOST OFF-LINE. S1F15 takes the
// equipment off-line (OFLACK 0); S1F17 brings it back (ONLACK 0, or 2 when already on-line).
// Off-line, only S1F13, S1F17 (and S1F1, answered S1F0) are served; others get SxF0.
//
// Served messages (host → equipment):
//   S1F1 → S1F2 <L MDLN SOFTREV>            S1F13 → S1F14 COMMACK 0
//   S1F15 → S1F16 OFLACK                    S1F17 → S1F18 ONLACK
//   S2F33 → S2F34 DRACK (define reports)    S2F35 → S2F36 LRACK (link reports to events)
//   S2F37 → S2F38 ERACK (enable events)     S2F41 → S2F42 HCACK (remote commands, to handlers)
//   S5F3 → S5F4 ACKC5 (enable alarms)       S10F3 → S10F4 ACKC10 (terminal text, to a handler)
//   S1F3 → S1F4 <L SV…> (status variables)  S2F13 → S2F14 <L ECV…> (equipment constants)
// Anything else: S9F3 (unknown stream) or S9F5 (unknown function); a known message whose
// body does not fit the dictionary: S9F7 (illegal data).
//
// Over HSMS, respond() turns each session event into what the equipment sends: the reply to
// a primary, S9F1 for a message addressed to another device id, S9F7 for a body that is not
// SECS-II at all, and S9F9 when T3 expires on a primary the equipment sent (E30: the equipment,
// not the host, reports a transaction timer timeout). Each S9 body is the offending message's
// 10-byte header (MHEAD, or SHEAD for S9F9).
//
// S1F3 and S2F13: the reply lists one value per requested ID, in the order asked; an empty
// request means every variable (constant), in ascending ID order. An ID the equipment does not
// have is answered with a zero-length item, written here as <L [0]> (SEMI E5 S1F4/S2F14 as
// reproduced in public SECS/GEM guides, e.g. "FA系列 - SVID", blog.csdn.net/bengg123,
// 2022: an empty returned item means the SVID does not exist on the equipment).
//
// Acknowledge codes used (SEMI E5 data items): HCACK 0 done, 1 no such command, 2 cannot
// perform now, 3 invalid parameter; DRACK 0 ok, 2 invalid format, 3 RPTID already defined,
// 4 VID unknown; LRACK 0 ok, 2 invalid format, 3 CEID already linked, 4 CEID unknown, 5 RPTID
// unknown; ERACK 0 ok, 1 CEID unknown.
//
// @note Identifiers (CEID, RPTID, VID, ALID) are unsigned integers here; text identifiers,
//   which SEMI E5 also allows, get DRACK/LRACK 2 (not supported).
//
// References: SEMI E30 (GEM), SEMI E5 (messages and data items).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <psw/mes/dictionary.hpp>
#include <psw/mes/hsms_session.hpp>
#include <psw/mes/message.hpp>

namespace psw::mes::gem {

enum class CommState { not_communicating, communicating };
enum class ControlState { host_offline, online_local, online_remote };

/// A remote command's parameters, (CPNAME, CPVAL) in the order the host sent them.
using CommandParameters = std::vector<std::pair<std::string, Item>>;

/// Returns HCACK: 0 done, 2 cannot perform now, 3 invalid parameter, 4 will finish later.
using CommandHandler = std::function<std::uint8_t(const CommandParameters&)>;

/// The 10-byte header of a data message, for S9Fx bodies (MHEAD/SHEAD).
std::vector<std::uint8_t> message_header(const Message& message, std::uint16_t device_id,
                                         std::uint32_t system_bytes);

/// S9F`function` (1 device id, 3 stream, 5 function, 7 illegal data, 9 T3, 11 too long) with
/// the offending message's header as its B[10] body.
/// @throws std::invalid_argument for a function outside {1, 3, 5, 7, 9, 11}.
Message s9_message(int function, const Message& offending, std::uint16_t device_id,
                   std::uint32_t system_bytes);

/// The host's default answer to a primary the equipment sent unprompted: S5F1 → S5F2
/// ACKC5 0, S6F11 → S6F12 ACKC6 0, S10F1 → S10F2 ACKC10 0 (accepted); any other W-bit
/// primary → SxF0 (abort). Empty when the primary has no W-bit.
std::optional<Message> host_acknowledge(const Message& primary);

/// A status variable (S1F3) or equipment constant (S2F13): its name, its unit ("" when it
/// has none) and how to read its value now.
struct Variable {
  std::string name;
  std::string units;
  std::function<Item()> read;
};

/// A message for the equipment to send: the reply to `reply_to`'s primary, or (empty
/// reply_to) a primary of its own, such as an S9Fx.
struct Outgoing {
  Message message;
  std::optional<std::uint32_t> reply_to;
};

class Equipment {
 public:
  Equipment(std::string model_name, std::string software_revision,
            const Dictionary& dictionary = Dictionary::builtin());

  /// Declares a collection event the host may link reports to and enable.
  void add_event(std::uint32_t ceid);
  /// Declares a variable, read when a report carrying it is sent.
  void add_variable(std::uint32_t vid, std::function<Item()> read);
  /// Declares status variable `svid` for S1F3 (units as the host should show them, e.g. "V").
  void add_status_variable(std::uint32_t svid, std::string name, std::string units,
                           std::function<Item()> read);
  /// Declares equipment constant `ecid` for S2F13.
  void add_equipment_constant(std::uint32_t ecid, std::string name, std::string units,
                              std::function<Item()> read);
  const std::map<std::uint32_t, Variable>& status_variables() const { return status_; }
  const std::map<std::uint32_t, Variable>& equipment_constants() const { return constants_; }

  /// Routes remote command `rcmd` (START, STOP, PAUSE, RESUME, …) to `handler`.
  void on_command(const std::string& rcmd, CommandHandler handler);
  /// Receives S10F3 terminal text.
  void on_terminal_text(std::function<void(const std::string&)> handler) {
    terminal_ = std::move(handler);
  }

  /// The reply to a primary from the host (empty when the primary has no W-bit and nothing
  /// needs saying). Expected refusals are replies (SxF0, S9Fx, a non-zero ACK), not throws.
  std::optional<Message> handle(const Message& primary, std::uint16_t device_id = 0,
                                std::uint32_t system_bytes = 0);

  /// What to send for an HSMS session event (see the file comment): a reply, an S9Fx, or
  /// nothing. `device_id` is this equipment's, for the S9 headers.
  std::optional<Outgoing> respond(const hsms::Event& event, std::uint16_t device_id = 0);

  /// S1F13 to send when the equipment starts communication.
  Message establish_communications_request() const;
  /// Feeds the host's S1F14 answer to our S1F13. @returns true when communicating.
  bool on_establish_communications_reply(const Message& reply);

  /// S6F11 for `ceid` with its linked reports filled in, or empty when the event is unknown,
  /// disabled, or the equipment is not communicating / off-line.
  std::optional<Message> event_report(std::uint32_t ceid);

  /// S5F1 alarm report (ALCD bit 8 set while the alarm is on), or empty when the alarm is
  /// disabled or the equipment is not communicating.
  std::optional<Message> alarm_report(std::uint32_t alid, bool set, std::uint8_t category,
                                      const std::string& text);

  CommState comm_state() const { return comm_; }
  ControlState control_state() const { return control_; }
  /// The operator's switch between ON-LINE LOCAL and ON-LINE REMOTE.
  void set_local(bool local);

 private:
  Message ack(const Message& primary, std::uint8_t code) const;
  Message define_reports(const Message& m);
  Message link_reports(const Message& m);
  Message enable_events(const Message& m);
  Message remote_command(const Message& m);
  Message read_values(const Message& m, const std::map<std::uint32_t, Variable>& table) const;

  std::string mdln_, softrev_;
  const Dictionary* dictionary_;
  CommState comm_ = CommState::not_communicating;
  ControlState control_ = ControlState::online_remote;
  std::set<std::uint32_t> events_, enabled_events_;
  std::set<std::uint32_t> disabled_alarms_;
  std::map<std::uint32_t, std::function<Item()>> variables_;
  std::map<std::uint32_t, Variable> status_, constants_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> reports_;  // RPTID → VIDs
  std::map<std::uint32_t, std::vector<std::uint32_t>> links_;    // CEID → RPTIDs
  std::map<std::string, CommandHandler> commands_;
  std::function<void(const std::string&)> terminal_;
  std::uint32_t data_id_ = 0;
};

}  // namespace psw::mes::gem
