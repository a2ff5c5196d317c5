#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <psw/core/error.hpp>
#include <psw/hal/gcs_positioner.hpp>

namespace psw::hal {

namespace {

constexpr double kMicro = 1e-6;
constexpr int kStoppedByCommand = 10;
constexpr int kMaxDrainReads = 64;  // bounded: a device that never stops talking cannot stall us //
                                    // GCS error 10: controller was stopped by command

// Strict decimal number: the whole text, finite.
bool parse_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

Error protocol_error(const std::string& command, const std::string& why) {
  return make_error(ErrorKind::protocol, "GCS reply to '" + command + "' " + why);
}

}  // namespace

std::string gcs_micrometres(double value_m) {
  // Round to 1 pm (1e-6 µm) so 12.5e-6 m is written "12.5", not "12.499999999999998".
  const double um = std::round(value_m / kMicro * 1e6) / 1e6;
  return format_number(um == 0.0 ? 0.0 : um);
}

void GcsPositionerOptions::validate() const {
  require_in_range("gcs.reply_timeout_s", reply_timeout_s, Range::open_closed(0, 60));
}

GcsPositioner::GcsPositioner(Transport& transport, Clock& clock, GcsPositionerOptions options)
    : transport_(&transport), clock_(&clock), options_(options) {
  options_.validate();
}

Status GcsPositioner::send(const std::string& command) {
  // After a failed exchange, a late reply may still be on its way: drop whatever is already
  // there so it cannot be taken for the answer to this command.
  if (resync_) {
    for (int i = 0; i < kMaxDrainReads; ++i)
      if (!transport_->read_some(0.0)) break;
    framer_.reset();
    resync_ = false;
  }
  // The single-byte commands (#5, #7, #24) go out bare; every other command is a line.
  const bool single =
      command.size() == 1 && (command[0] == gcs::kMotionStatusByte ||
                              command[0] == gcs::kReadyByte || command[0] == gcs::kStopByte);
  return transport_->write(single ? command : gcs::frame_command(command));
}

Result<gcs::Reply> GcsPositioner::read_reply(const std::string& command) {
  // Read until the framer has a whole reply, within the reply deadline on our clock.
  const double deadline = clock_->now_s() + options_.reply_timeout_s;
  for (;;) {
    if (auto reply = framer_.next()) {
      if (!reply->ok()) {
        framer_.reset();
        resync_ = true;
      }
      return *reply;
    }
    const double left = deadline - clock_->now_s();
    if (left <= 0.0)
      return make_error(ErrorKind::transport, transport_->describe() + ": no reply to '" + command +
                                                  "' within " +
                                                  format_number(options_.reply_timeout_s) + " s");
    auto bytes = transport_->read_some(left);
    if (!bytes) {
      // A partial reply is worthless once the link failed or timed out.
      framer_.reset();
      resync_ = true;
      return make_error(ErrorKind::transport,
                        bytes.error().message + " (waiting for the reply to '" + command + "')");
    }
    framer_.feed(bytes.value());
  }
}

Result<int> GcsPositioner::read_error() {
  if (auto s = send("ERR?"); !s) return s.error();
  auto reply = read_reply("ERR?");
  if (!reply) return reply.error();
  const auto& lines = reply.value().lines;
  double code = 0.0;
  if (lines.size() != 1 || !parse_number(lines[0], code) || code != std::floor(code) ||
      code < -1e9 || code > 1e9)
    return protocol_error("ERR?", "is not one integer: '" + lines[0] + "'");
  return static_cast<int>(code);
}

Status GcsPositioner::send_checked(const std::string& command) {
  // Set commands are silent; ERR? tells whether the controller accepted it.
  if (auto s = send(command); !s) return s;
  auto code = read_error();
  if (!code) return code.error();
  if (code.value() != 0)
    return make_error(ErrorKind::device,
                      "GCS error " + std::to_string(code.value()) + " (" +
                          gcs::error_text(code.value()) + ") after '" + command + "'",
                      code.value());
  return done();
}

Result<std::vector<std::string>> GcsPositioner::query(const std::string& command) {
  if (auto s = send(command); !s) return s.error();
  auto reply = read_reply(command);
  if (!reply) return reply.error();
  return reply.value().lines;
}

Result<std::map<std::string, std::string>> GcsPositioner::query_axes(const std::string& command) {
  // Every line of the reply is "<axis>=<value>".
  auto lines = query(command);
  if (!lines) return lines.error();
  std::map<std::string, std::string> out;
  for (const auto& line : lines.value()) {
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      return protocol_error(command, "has a line that is not '<axis>=<value>': '" + line + "'");
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

Result<double> GcsPositioner::query_axis_number(const std::string& command,
                                                const std::string& axis) {
  auto values = query_axes(command + " " + axis);
  if (!values) return values.error();
  const auto& map = values.value();
  const auto it = map.find(axis);
  double number = 0.0;
  if (map.size() != 1 || it == map.end())
    return protocol_error(command + " " + axis, "does not answer for axis " + axis + " alone");
  if (!parse_number(it->second, number))
    return protocol_error(command + " " + axis, "holds '" + it->second + "', not a number");
  return number;
}

Status GcsPositioner::initialize() {
  initialized_ = false;

  // Identity and axes.
  auto idn = query("*IDN?");
  if (!idn) return idn.error();
  identity_ = idn.value().front();
  auto sai = query("SAI?");
  if (!sai) return sai.error();
  axes_ = sai.value();
  state_.clear();

  // Travel limits (µm) and servo states of all axes.
  for (const char* command : {"TMN?", "TMX?", "SVO?"}) {
    auto values = query_axes(command);
    if (!values) return values.error();
    for (const auto& axis : axes_) {
      const auto it = values.value().find(axis);
      double number = 0.0;
      if (it == values.value().end() || !parse_number(it->second, number))
        return protocol_error(command, "has no number for axis " + axis);
      auto& state = state_[axis];
      if (command[1] == 'M' && command[2] == 'N') state.limits.min_m = number / 1e6;
      if (command[1] == 'M' && command[2] == 'X') state.limits.max_m = number / 1e6;
      if (command[0] == 'S') state.servo = number != 0.0;
    }
  }

  // Stage names: free text after '=', one per axis.
  auto stages = query_axes("CST?");
  if (!stages) return stages.error();
  for (const auto& axis : axes_) {
    const auto it = stages.value().find(axis);
    if (it == stages.value().end()) return protocol_error("CST?", "has no stage for axis " + axis);
    state_[axis].stage = it->second;
  }
  initialized_ = true;
  return done();
}

Result<std::string> GcsPositioner::stage(const std::string& axis) const {
  if (auto s = check_axis(axis); !s) return s.error();
  return state_.at(axis).stage;
}

Result<std::map<std::string, bool>> GcsPositioner::moving() {
  // #5: one byte out; a hexadecimal mask back, bit i for the i-th axis of SAI?.
  if (!initialized_)
    return make_error(ErrorKind::safety, "positioner not initialized: call initialize() first");
  if (auto s = send(std::string(1, gcs::kMotionStatusByte)); !s) return s.error();
  auto reply = read_reply("#5");
  if (!reply) return reply.error();
  const auto& lines = reply.value().lines;
  std::string text = lines.size() == 1 ? lines[0] : "";
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) text.erase(0, 2);
  char* end = nullptr;
  const unsigned long mask = text.empty() ? 0 : std::strtoul(text.c_str(), &end, 16);
  if (text.empty() || end != text.c_str() + text.size() || text.size() > 8 ||
      (axes_.size() < 32 && (mask >> axes_.size()) != 0))
    return protocol_error("#5", "is not a hexadecimal mask of the " + std::to_string(axes_.size()) +
                                    " axes: '" + (lines.empty() ? std::string() : lines[0]) + "'");
  std::map<std::string, bool> out;
  for (std::size_t i = 0; i < axes_.size(); ++i) out[axes_[i]] = ((mask >> i) & 1u) != 0;
  return out;
}

Result<bool> GcsPositioner::ready() {
  // #7: the answer is one byte outside printable ASCII (0xB1 / 0xB0) and LF, so it is read
  // here rather than through the reply framer.
  if (auto s = send(std::string(1, gcs::kReadyByte)); !s) return s.error();
  std::string got;
  const double deadline = clock_->now_s() + options_.reply_timeout_s;
  while (got.find('\n') == std::string::npos && got.size() <= 4) {
    const double left = deadline - clock_->now_s();
    auto bytes = left > 0.0 ? transport_->read_some(left)
                            : Result<std::string>(make_error(ErrorKind::transport, "timeout"));
    if (!bytes) {
      resync_ = true;
      return make_error(ErrorKind::transport, transport_->describe() +
                                                  ": no reply to '#7' within " +
                                                  format_number(options_.reply_timeout_s) + " s");
    }
    got += bytes.value();
  }
  if (got.size() == 2 && got[1] == '\n') {
    const auto byte = static_cast<unsigned char>(got[0]);
    if (byte == gcs::kReadyAnswer) return true;
    if (byte == gcs::kNotReadyAnswer) return false;
  }
  resync_ = true;
  std::string hex;
  for (unsigned char c : got.substr(0, 4)) {
    char b[8];
    std::snprintf(b, sizeof b, "%s%02X", hex.empty() ? "" : " ", c);
    hex += b;
  }
  return protocol_error("#7", "is not 0xB1 or 0xB0 and LF: bytes " + hex);
}

void GcsPositioner::on_reconnect() {
  initialized_ = false;
  framer_.reset();
  resync_ = false;
}

Status GcsPositioner::check_axis(const std::string& axis) const {
  if (!initialized_)
    return make_error(ErrorKind::safety,
                      "positioner not initialized (or reconnected since): call initialize() first");
  if (state_.count(axis) == 0) {
    std::string known;
    for (const auto& a : axes_) known += (known.empty() ? "" : ", ") + a;
    return make_error(ErrorKind::safety,
                      "axis '" + axis + "' is not one of the controller's axes (" + known + ")");
  }
  return done();
}

Status GcsPositioner::check_target(const std::string& axis, double target_m,
                                   const char* what) const {
  // Refused here, before any motion byte leaves: servo off, or outside [TMN, TMX].
  if (auto s = check_axis(axis); !s) return s;
  const AxisState& state = state_.at(axis);
  if (!state.servo)
    return make_error(ErrorKind::safety,
                      std::string(what) + " on axis " + axis + " refused: servo is off");
  const Range travel = Range::closed(state.limits.min_m, state.limits.max_m);
  if (!travel.contains(target_m))
    return make_error(ErrorKind::safety,
                      std::string(what) + " refused: " +
                          out_of_range_message("axis " + axis + " target_m", target_m, travel));
  return done();
}

Status GcsPositioner::set_servo(const std::string& axis, bool on) {
  if (auto s = check_axis(axis); !s) return s;
  auto s = send_checked("SVO " + axis + (on ? " 1" : " 0"));
  if (s) state_[axis].servo = on;
  return s;
}

Result<bool> GcsPositioner::servo(const std::string& axis) {
  if (auto s = check_axis(axis); !s) return s.error();
  auto v = query_axis_number("SVO?", axis);
  if (!v) return v.error();
  state_[axis].servo = v.value() != 0.0;
  return state_[axis].servo;
}

Status GcsPositioner::move_to(const std::string& axis, double target_m) {
  if (auto s = check_target(axis, target_m, "MOV"); !s) return s;
  return send_checked("MOV " + axis + " " + gcs_micrometres(target_m));
}

Status GcsPositioner::move_by(const std::string& axis, double delta_m) {
  // MVR is relative to the present target, which the controller tells (MOV?).
  if (auto s = check_axis(axis); !s) return s;
  if (!std::isfinite(delta_m))
    return make_error(ErrorKind::safety, "MVR on axis " + axis + " refused: delta_m = " +
                                             format_number(delta_m) + " is not finite");
  auto target_um = query_axis_number("MOV?", axis);
  if (!target_um) return target_um.error();
  if (auto s = check_target(axis, target_um.value() / 1e6 + delta_m, "MVR"); !s) return s;
  return send_checked("MVR " + axis + " " + gcs_micrometres(delta_m));
}

Status GcsPositioner::set_velocity(const std::string& axis, double m_per_s) {
  if (auto s = check_axis(axis); !s) return s;
  if (!Range::open_closed(0, 10).contains(m_per_s))
    return make_error(ErrorKind::safety,
                      "VEL refused: " + out_of_range_message("axis " + axis + " velocity_m_per_s",
                                                             m_per_s, Range::open_closed(0, 10)));
  return send_checked("VEL " + axis + " " + gcs_micrometres(m_per_s));
}

Result<double> GcsPositioner::position(const std::string& axis) {
  if (auto s = check_axis(axis); !s) return s.error();
  auto v = query_axis_number("POS?", axis);
  if (!v) return v.error();
  return v.value() / 1e6;
}

Result<bool> GcsPositioner::on_target(const std::string& axis) {
  if (auto s = check_axis(axis); !s) return s.error();
  auto v = query_axis_number("ONT?", axis);
  if (!v) return v.error();
  return v.value() != 0.0;
}

Status GcsPositioner::stop() {
  // STP halts all axes and sets error 10 by design; reading it back confirms and clears it.
  if (auto s = send("STP"); !s) return s;
  auto code = read_error();
  if (!code) return code.error();
  if (code.value() != 0 && code.value() != kStoppedByCommand)
    return make_error(ErrorKind::device,
                      "GCS error " + std::to_string(code.value()) + " (" +
                          gcs::error_text(code.value()) + ") after 'STP'",
                      code.value());
  return done();
}

Result<TravelLimits> GcsPositioner::limits(const std::string& axis) const {
  if (auto s = check_axis(axis); !s) return s.error();
  return state_.at(axis).limits;
}

}  // namespace psw::hal
