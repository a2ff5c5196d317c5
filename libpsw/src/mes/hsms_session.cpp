#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <psw/core/error.hpp>
#include <psw/mes/hsms_session.hpp>

namespace psw::mes::hsms {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

}  // namespace

void Timers::validate() const {
  const Range positive = Range::open(0.0, std::numeric_limits<double>::infinity());
  require_in_range("hsms.t3_s", t3_s, positive);
  require_in_range("hsms.t5_s", t5_s, positive);
  require_in_range("hsms.t6_s", t6_s, positive);
  require_in_range("hsms.t7_s", t7_s, positive);
  require_in_range("hsms.t8_s", t8_s, positive);
  require_in_range("hsms.linktest_s", linktest_s, Range::closed_open(0.0, kNever));
}

std::string state_name(State state) {
  switch (state) {
    case State::not_connected:
      return "NOT CONNECTED";
    case State::not_selected:
      return "NOT SELECTED";
    case State::selected:
      return "SELECTED";
  }
  return "?";
}

std::string event_name(Event::Kind kind) {
  using K = Event::Kind;
  switch (kind) {
    case K::selected:
      return "selected";
    case K::select_refused:
      return "select_refused";
    case K::deselected:
      return "deselected";
    case K::separated:
      return "separated";
    case K::linktest_ok:
      return "linktest_ok";
    case K::primary_received:
      return "primary_received";
    case K::reply_received:
      return "reply_received";
    case K::unexpected_reply:
      return "unexpected_reply";
    case K::illegal_data:
      return "illegal_data";
    case K::unknown_device:
      return "unknown_device";
    case K::reply_timeout:
      return "reply_timeout";
    case K::control_timeout:
      return "control_timeout";
    case K::not_selected_timeout:
      return "not_selected_timeout";
    case K::inter_character_timeout:
      return "inter_character_timeout";
    case K::rejected:
      return "rejected";
    case K::protocol_error:
      return "protocol_error";
    case K::disconnected:
      return "disconnected";
  }
  return "?";
}

Session::Session(Mode mode, std::uint16_t device_id, const Timers& timers)
    : mode_(mode), device_id_(device_id), timers_(timers) {
  timers_.validate();
  t6_deadline_ = t7_deadline_ = t8_deadline_ = linktest_due_ = kNever;
}

// ---- plumbing -------------------------------------------------------------------------------

void Session::send_frame(const Frame& frame) {
  const auto bytes = encode_frame(frame);
  output_.insert(output_.end(), bytes.begin(), bytes.end());
}

void Session::emit(Event event) { events_.push_back(std::move(event)); }

std::vector<std::uint8_t> Session::take_output() { return std::exchange(output_, {}); }
std::vector<Event> Session::take_events() { return std::exchange(events_, {}); }

std::uint32_t Session::next_system_bytes() {
  if (++system_counter_ == 0) ++system_counter_;  // 0 is never used, so it can mean "none"
  return system_counter_;
}

void Session::require_connected(const char* what) const {
  if (state_ == State::not_connected) {
    throw std::logic_error(std::string("HSMS ") + what + " needs a connection (state " +
                           state_name(state_) + ")");
  }
}

void Session::close(double now_s) {
  // Everything open ends with the connection; the caller closes the socket.
  close_requested_ = true;
  state_ = State::not_connected;
  disconnected_at_ = now_s;
  t3_open_.clear();
  control_system_.reset();
  t6_deadline_ = t7_deadline_ = t8_deadline_ = linktest_due_ = kNever;
  reader_ = FrameReader();
}

// ---- what happened --------------------------------------------------------------------------

void Session::on_connected(double now_s) {
  state_ = State::not_selected;
  close_requested_ = false;
  reader_ = FrameReader();
  output_.clear();
  t7_deadline_ = now_s + timers_.t7_s;
}

void Session::on_disconnected(double now_s, const std::string& why) {
  if (state_ == State::not_connected) return;
  const std::size_t open = t3_open_.size();
  close(now_s);
  close_requested_ = false;
  emit({Event::Kind::disconnected, 0, 0, std::nullopt,
        (why.empty() ? "connection lost" : why) + " with " + std::to_string(open) +
            " open transaction(s)"});
}

void Session::on_bytes(std::span<const std::uint8_t> bytes, double now_s) {
  if (state_ == State::not_connected || bytes.empty()) return;
  reader_.feed(bytes);
  try {
    while (state_ != State::not_connected) {
      auto frame = reader_.next();
      if (!frame) break;
      handle(*frame, now_s);
    }
  } catch (const std::invalid_argument& e) {
    // The stream cannot be resynchronised after a bad length: end the connection.
    emit({Event::Kind::protocol_error, 0, 0, std::nullopt, e.what()});
    close(now_s);
    return;
  }
  // T8 runs while a message is incomplete, restarted by every arrival.
  t8_deadline_ =
      state_ != State::not_connected && reader_.partial() ? now_s + timers_.t8_s : kNever;
}

void Session::on_time(double now_s) {
  if (state_ == State::not_connected) return;

  // Timers that end the connection: T8, T6, T7.
  if (now_s >= t8_deadline_) {
    emit({Event::Kind::inter_character_timeout, 0, 0, std::nullopt,
          "T8: no byte for " + format_number(timers_.t8_s) + " s inside a message"});
    close(now_s);
    return;
  }
  if (control_system_ && now_s >= t6_deadline_) {
    emit({Event::Kind::control_timeout, *control_system_, 0, std::nullopt,
          "T6: no " + stype_name(static_cast<std::uint8_t>(control_stype_) + 1) + " in " +
              format_number(timers_.t6_s) + " s"});
    close(now_s);
    return;
  }
  if (state_ == State::not_selected && now_s >= t7_deadline_) {
    emit({Event::Kind::not_selected_timeout, 0, 0, std::nullopt,
          "T7: not selected within " + format_number(timers_.t7_s) + " s"});
    close(now_s);
    return;
  }

  // T3: each overdue reply closes its transaction; the connection stays.
  for (auto it = t3_open_.begin(); it != t3_open_.end();) {
    if (now_s >= it->second.deadline_s) {
      emit({Event::Kind::reply_timeout, it->first, 0, it->second.header,
            "T3: no reply to " + it->second.header.name() + " in " + format_number(timers_.t3_s) +
                " s"});
      it = t3_open_.erase(it);
    } else {
      ++it;
    }
  }

  // Periodic linktest while selected and no control transaction is open.
  if (state_ == State::selected && timers_.linktest_s > 0 && now_s >= linktest_due_ &&
      !control_system_) {
    start_control(SType::linktest_req, now_s);
    linktest_due_ = now_s + timers_.linktest_s;
  }
}

double Session::next_deadline() const {
  if (state_ == State::not_connected) return kNever;
  double t = std::min(t8_deadline_, control_system_ ? t6_deadline_ : kNever);
  if (state_ == State::not_selected) t = std::min(t, t7_deadline_);
  for (const auto& [system, open] : t3_open_) t = std::min(t, open.deadline_s);
  if (state_ == State::selected && timers_.linktest_s > 0) t = std::min(t, linktest_due_);
  return t;
}

bool Session::may_connect(double now_s) const {
  return state_ == State::not_connected && now_s >= disconnected_at_ + timers_.t5_s;
}

// ---- incoming frames ------------------------------------------------------------------------

void Session::reject(const Header& header, RejectReason reason) {
  const std::uint8_t context =
      reason == RejectReason::ptype_not_supported ? header.ptype : header.stype;
  send_frame(control_frame(SType::reject_req, header.system_bytes, context,
                           static_cast<std::uint8_t>(reason), header.session_id));
}

void Session::handle(const Frame& frame, double now_s) {
  const Header& h = frame.header;
  if (h.ptype != 0) {
    reject(h, RejectReason::ptype_not_supported);
    return;
  }
  const bool answers_control = control_system_ && *control_system_ == h.system_bytes;
  auto response_to = [&](SType request) { return answers_control && control_stype_ == request; };
  switch (h.stype) {
    case 0:
      handle_data(frame, now_s);
      return;
    case 1: {  // select.req
      if (state_ == State::selected) {
        send_frame(control_frame(SType::select_rsp, h.system_bytes, 0,
                                 static_cast<std::uint8_t>(SelectStatus::already_active),
                                 h.session_id));
        return;
      }
      send_frame(control_frame(SType::select_rsp, h.system_bytes, 0, 0, h.session_id));
      state_ = State::selected;
      t7_deadline_ = kNever;
      linktest_due_ = now_s + timers_.linktest_s;
      emit({Event::Kind::selected, h.system_bytes, 0, std::nullopt, "selected by the peer"});
      return;
    }
    case 2: {  // select.rsp
      if (!response_to(SType::select_req)) break;
      control_system_.reset();
      if (h.byte3 == 0) {
        state_ = State::selected;
        t7_deadline_ = kNever;
        linktest_due_ = now_s + timers_.linktest_s;
        emit({Event::Kind::selected, h.system_bytes, 0, std::nullopt, "select accepted"});
      } else {
        emit({Event::Kind::select_refused, h.system_bytes, h.byte3, std::nullopt,
              "select.rsp status " + std::to_string(h.byte3)});
      }
      return;
    }
    case 3: {  // deselect.req
      if (state_ != State::selected) {
        send_frame(control_frame(SType::deselect_rsp, h.system_bytes, 0,
                                 static_cast<std::uint8_t>(DeselectStatus::not_established),
                                 h.session_id));
        return;
      }
      send_frame(control_frame(SType::deselect_rsp, h.system_bytes, 0, 0, h.session_id));
      state_ = State::not_selected;
      t7_deadline_ = now_s + timers_.t7_s;
      emit({Event::Kind::deselected, h.system_bytes, 0, std::nullopt, "deselected by the peer"});
      return;
    }
    case 4: {  // deselect.rsp
      if (!response_to(SType::deselect_req)) break;
      control_system_.reset();
      if (h.byte3 == 0) {
        state_ = State::not_selected;
        t7_deadline_ = now_s + timers_.t7_s;
        emit({Event::Kind::deselected, h.system_bytes, 0, std::nullopt, "deselect accepted"});
      } else {
        emit({Event::Kind::rejected, h.system_bytes, h.byte3, std::nullopt,
              "deselect.rsp status " + std::to_string(h.byte3)});
      }
      return;
    }
    case 5:  // linktest.req
      send_frame(control_frame(SType::linktest_rsp, h.system_bytes, 0, 0, h.session_id));
      return;
    case 6:  // linktest.rsp
      if (!response_to(SType::linktest_req)) break;
      control_system_.reset();
      emit({Event::Kind::linktest_ok, h.system_bytes, 0, std::nullopt, "linktest answered"});
      return;
    case 7: {  // reject.req: closes whatever transaction it names
      if (answers_control) control_system_.reset();
      t3_open_.erase(h.system_bytes);
      emit({Event::Kind::rejected, h.system_bytes, h.byte3, std::nullopt,
            "peer rejected our " + stype_name(h.byte2) + ", reason " + std::to_string(h.byte3)});
      return;
    }
    case 9:  // separate.req
      emit({Event::Kind::separated, h.system_bytes, 0, std::nullopt, "separated by the peer"});
      close(now_s);
      return;
    default:
      reject(h, RejectReason::stype_not_supported);
      return;
  }
  // A response (select/deselect/linktest .rsp) that answers nothing we asked.
  reject(h, RejectReason::transaction_not_open);
}

void Session::handle_data(const Frame& frame, double /*now_s*/) {
  if (state_ != State::selected) {
    reject(frame.header, RejectReason::entity_not_selected);
    return;
  }
  const std::uint32_t system = frame.header.system_bytes;

  // Another device's message is not ours to read (SEMI E5 stream 9: S9F1 answers it).
  if (frame.header.session_id != device_id_) {
    Message header_only;
    header_only.stream = frame.header.byte2 & 0x7F;
    header_only.function = frame.header.byte3;
    header_only.reply_expected = (frame.header.byte2 & 0x80) != 0;
    Event event{Event::Kind::unknown_device, system, 0, std::move(header_only),
                "device id " + std::to_string(frame.header.session_id) + " is not this " +
                    "session's (" + std::to_string(device_id_) + ")"};
    event.device_id = frame.header.session_id;
    emit(std::move(event));
    return;
  }

  Message message;
  try {
    message = message_of(frame, decode_options);
  } catch (const std::invalid_argument& e) {
    // A well-framed message with a bad body: the connection survives (GEM answers S9F7).
    Event event{Event::Kind::illegal_data, system, 0, std::nullopt, e.what()};
    Message header_only;
    header_only.stream = frame.header.byte2 & 0x7F;
    header_only.function = frame.header.byte3;
    header_only.reply_expected = (frame.header.byte2 & 0x80) != 0;
    event.message = header_only;
    emit(std::move(event));
    if (frame.header.byte3 % 2 == 0) t3_open_.erase(system);  // a reply ends its T3
    return;
  }
  if (message.function % 2 == 1) {
    emit({Event::Kind::primary_received, system, 0, std::move(message), ""});
  } else if (t3_open_.erase(system) == 1) {
    emit({Event::Kind::reply_received, system, 0, std::move(message), ""});
  } else {
    emit({Event::Kind::unexpected_reply, system, 0, std::move(message),
          "reply with no open transaction"});
  }
}

// ---- what to do -----------------------------------------------------------------------------

std::uint32_t Session::start_control(SType stype, double now_s) {
  if (control_system_) {
    throw std::logic_error("HSMS " + stype_name(static_cast<std::uint8_t>(stype)) +
                           ": a control transaction is already open");
  }
  const std::uint32_t system = next_system_bytes();
  send_frame(control_frame(stype, system));
  control_system_ = system;
  control_stype_ = stype;
  t6_deadline_ = now_s + timers_.t6_s;
  return system;
}

std::uint32_t Session::select(double now_s) {
  if (state_ != State::not_selected) {
    throw std::logic_error("HSMS select needs state NOT SELECTED, not " + state_name(state_));
  }
  return start_control(SType::select_req, now_s);
}

std::uint32_t Session::deselect(double now_s) {
  if (state_ != State::selected) {
    throw std::logic_error("HSMS deselect needs state SELECTED, not " + state_name(state_));
  }
  return start_control(SType::deselect_req, now_s);
}

std::uint32_t Session::linktest(double now_s) {
  require_connected("linktest");
  return start_control(SType::linktest_req, now_s);
}

void Session::separate(double now_s) {
  require_connected("separate");
  send_frame(control_frame(SType::separate_req, next_system_bytes()));
  close(now_s);
}

std::uint32_t Session::send(const Message& message, double now_s) {
  if (state_ != State::selected) {
    throw std::logic_error("HSMS data message " + message.name() + " needs state SELECTED, not " +
                           state_name(state_));
  }
  const std::uint32_t system = next_system_bytes();
  send_frame(data_frame(message, device_id_, system));
  if (message.reply_expected) {
    Message header;  // no body: S9F9 needs the header only
    header.stream = message.stream;
    header.function = message.function;
    header.reply_expected = true;
    t3_open_[system] = {now_s + timers_.t3_s, std::move(header)};
  }
  return system;
}

void Session::reply(const Message& message, std::uint32_t system_bytes) {
  if (state_ != State::selected) {
    throw std::logic_error("HSMS reply " + message.name() + " needs state SELECTED, not " +
                           state_name(state_));
  }
  send_frame(data_frame(message, device_id_, system_bytes));
}

}  // namespace psw::mes::hsms
