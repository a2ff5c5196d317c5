#include <cmath>
#include <cstdlib>

#include <psw/core/error.hpp>
#include <psw/hal/iseg_hv_supply.hpp>

namespace psw::hal {

namespace {

constexpr std::size_t kMaxLineBytes = 4096;

bool bit(std::uint32_t word, int n) { return ((word >> n) & 1u) != 0; }

}  // namespace

HvStatus iseg::decode_status(std::uint32_t channel_word, std::uint32_t event_word,
                             std::uint32_t module_word) {
  HvStatus s;
  s.on = bit(channel_word, kBitOn);
  s.ramping = bit(channel_word, kBitRamping);
  s.emergency_off = bit(channel_word, kBitEmergency);
  s.constant_current = bit(channel_word, kBitConstantCurrent);
  s.constant_voltage = bit(channel_word, kBitConstantVoltage);
  s.external_inhibit = bit(channel_word, kBitInhibit);
  // A trip or an arc counts until the events are cleared, even if the condition has passed.
  s.current_trip = bit(channel_word, kBitCurrentTrip) || bit(event_word, kEventBitCurrentTrip);
  s.arc = bit(event_word, kEventBitArc) || bit(event_word, kEventBitArcError);
  s.safety_loop_closed = bit(module_word, kModuleBitSafetyLoop);
  return s;
}

bool iseg::parse_value(const std::string& text, const std::string& unit, double& out) {
  if (text.size() <= unit.size() || text.compare(text.size() - unit.size(), unit.size(), unit))
    return false;
  const std::string number = text.substr(0, text.size() - unit.size());
  char* end = nullptr;
  out = std::strtod(number.c_str(), &end);
  return end == number.c_str() + number.size() && std::isfinite(out);
}

void IsegOptions::validate() const {
  require_in_range("iseg.channel", channel, Range::closed(0, 15));
  require_in_range("iseg.max_voltage_V", max_voltage_V, Range::open_closed(0, 1e5));
  require_in_range("iseg.max_current_A", max_current_A, Range::open_closed(0, 1));
  require_in_range("iseg.max_ramp_V_per_s", max_ramp_V_per_s, Range::open_closed(0, 1e5));
  require_in_range("iseg.reply_timeout_s", reply_timeout_s, Range::open_closed(0, 60));
}

IsegHvSupply::IsegHvSupply(Transport& transport, Clock& clock, IsegOptions options)
    : transport_(&transport), clock_(&clock), options_(options) {
  options_.validate();
}

std::string IsegHvSupply::channel_list() const {
  return "(@" + std::to_string(options_.channel) + ")";
}

Result<std::string> IsegHvSupply::read_line(const std::string& command) {
  // One CR LF terminated line within the reply timeout on the driver's clock.
  const double deadline = clock_->now_s() + options_.reply_timeout_s;
  for (;;) {
    const auto end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      for (char c : line)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
          return make_error(ErrorKind::protocol,
                            "iseg reply to '" + command + "' holds a non-printable byte");
      return line;
    }
    if (buffer_.size() > kMaxLineBytes) {
      buffer_.clear();
      resync_ = true;
      return make_error(ErrorKind::protocol, "iseg reply to '" + command + "' longer than " +
                                                 std::to_string(kMaxLineBytes) +
                                                 " bytes without CR LF");
    }
    const double left = deadline - clock_->now_s();
    auto bytes = left > 0.0 ? transport_->read_some(left)
                            : Result<std::string>(make_error(ErrorKind::transport, "timeout"));
    if (!bytes) {
      buffer_.clear();
      resync_ = true;
      return make_error(ErrorKind::transport, transport_->describe() + ": no reply to '" + command +
                                                  "' within " +
                                                  format_number(options_.reply_timeout_s) + " s (" +
                                                  bytes.error().message + ")");
    }
    buffer_ += bytes.value();
  }
}

Status IsegHvSupply::send(const std::string& command) {
  // After a failed exchange, drop bytes already waiting (a late reply) first.
  if (resync_) {
    for (int i = 0; i < 64; ++i)
      if (!transport_->read_some(0.0)) break;
    buffer_.clear();
    resync_ = false;
  }

  // CR LF framing; in the serial profile the module echoes the line first.
  if (auto s = transport_->write(command + "\r\n"); !s) return s;
  if (!options_.echo) return done();
  auto echo = read_line(command);
  if (!echo) return echo.error();
  if (echo.value() != command)
    return make_error(ErrorKind::protocol,
                      "iseg echoed '" + echo.value() + "' for '" + command + "'");
  return done();
}

Result<std::string> IsegHvSupply::ask(const std::string& command) {
  if (auto s = send(command); !s) return s.error();
  return read_line(command);
}

Result<std::uint32_t> IsegHvSupply::ask_word(const std::string& command) {
  auto line = ask(command);
  if (!line) return line.error();
  const std::string& text = line.value();
  char* end = nullptr;
  const unsigned long v = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || v > 0xFFFFFFFFul)
    return make_error(ErrorKind::protocol,
                      "iseg reply to '" + command + "' is not a status word: '" + text + "'");
  return static_cast<std::uint32_t>(v);
}

Status IsegHvSupply::check_setpoint(const char* field, double value, double max) const {
  // Refused before any byte: a setpoint outside [0, max].
  const Range accepted = Range::closed(0, max);
  if (accepted.contains(value)) return done();
  return make_error(ErrorKind::safety, "refused: " + out_of_range_message(field, value, accepted));
}

Result<std::string> IsegHvSupply::identify() { return ask("*IDN?"); }

Status IsegHvSupply::set_voltage(double voltage_V) {
  if (auto s = check_setpoint("hv.voltage_V", voltage_V, options_.max_voltage_V); !s) return s;
  return send(":VOLT " + format_number(voltage_V) + "," + channel_list());
}

Status IsegHvSupply::set_current_limit(double current_A) {
  if (auto s = check_setpoint("hv.current_limit_A", current_A, options_.max_current_A); !s)
    return s;
  return send(":CURR " + format_number(current_A) + "," + channel_list());
}

Status IsegHvSupply::set_ramp_rate(double V_per_s) {
  if (auto s = check_setpoint("hv.ramp_V_per_s", V_per_s, options_.max_ramp_V_per_s); !s) return s;
  if (auto s = send(":CONF:RAMP:VOLT:UP " + format_number(V_per_s)); !s) return s;
  return send(":CONF:RAMP:VOLT:DOWN " + format_number(V_per_s));
}

Status IsegHvSupply::set_output(bool on) {
  return send(std::string(":VOLT ") + (on ? "ON," : "OFF,") + channel_list());
}

Status IsegHvSupply::emergency_off() { return send(":VOLT EMCY OFF," + channel_list()); }

Status IsegHvSupply::clear_emergency() { return send(":VOLT EMCY CLR," + channel_list()); }

Status IsegHvSupply::clear_events() { return send(":EV CLEAR," + channel_list()); }

Result<double> IsegHvSupply::measured_voltage() {
  const std::string command = ":MEAS:VOLT? " + channel_list();
  auto line = ask(command);
  if (!line) return line.error();
  double v = 0.0;
  if (!iseg::parse_value(line.value(), "V", v))
    return make_error(ErrorKind::protocol,
                      "iseg reply to '" + command + "' is not a voltage: '" + line.value() + "'");
  return v;
}

Result<double> IsegHvSupply::measured_current() {
  const std::string command = ":MEAS:CURR? " + channel_list();
  auto line = ask(command);
  if (!line) return line.error();
  double v = 0.0;
  if (!iseg::parse_value(line.value(), "A", v))
    return make_error(ErrorKind::protocol,
                      "iseg reply to '" + command + "' is not a current: '" + line.value() + "'");
  return v;
}

Result<HvStatus> IsegHvSupply::status() {
  auto channel = ask_word(":READ:CHAN:STAT? " + channel_list());
  if (!channel) return channel.error();
  auto events = ask_word(":READ:CHAN:EV:STAT? " + channel_list());
  if (!events) return events.error();
  auto module = ask_word(":READ:MOD:STAT?");
  if (!module) return module.error();
  return iseg::decode_status(channel.value(), events.value(), module.value());
}

}  // namespace psw::hal
