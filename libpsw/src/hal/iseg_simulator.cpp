#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include <psw/core/error.hpp>
#include <psw/hal/iseg_hv_supply.hpp>
#include <psw/hal/iseg_simulator.hpp>

namespace psw::hal {

namespace {

constexpr double kMaxStepS = 1e-3;
constexpr double kSnapV = 1e-6;  // closer than this to the target counts as there

// iseg number format: mantissa with five decimals, exponent without sign padding:
// 1500 → "1.50000E3", 2e-6 → "2.00000E-6".
std::string iseg_number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.5E", value);
  std::string s(text);
  const auto e = s.find('E');
  const int exponent = std::atoi(s.c_str() + e + 1);
  return s.substr(0, e + 1) + std::to_string(exponent);
}

bool parse_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(out);
}

std::uint32_t flag(bool on, int n) { return on ? (1u << n) : 0u; }

}  // namespace

void IsegSimulatorOptions::validate() const {
  require_in_range("iseg_sim.channel", channel, Range::closed(0, 15));
  require_in_range("iseg_sim.max_voltage_V", max_voltage_V, Range::open_closed(0, 1e5));
  require_in_range("iseg_sim.onset_V", onset_V, Range::closed(0, max_voltage_V));
  require_in_range("iseg_sim.spray_current_A", spray_current_A, Range::closed(0, 1));
  require_in_range("iseg_sim.leak_resistance_ohm", leak_resistance_ohm,
                   Range::open_closed(0, 1e15));
  require_in_range("iseg_sim.trip_time_s", trip_time_s, Range::closed(0, 100));
  require_in_range("iseg_sim.arc_rate_per_s", arc_rate_per_s, Range::closed(0, 1e3));
}

IsegSimulator::IsegSimulator(IsegSimulatorOptions options)
    : options_(std::move(options)), rng_(options_.seed) {
  options_.validate();
}

void IsegSimulator::cut_output() {
  on_ = false;
  voltage_V_ = 0.0;
  current_A_ = 0.0;
  constant_current_ = false;
  over_limit_s_ = 0.0;
}

void IsegSimulator::set_safety_loop_closed(bool closed) {
  loop_closed_ = closed;
  if (!closed) cut_output();
}

void IsegSimulator::force_arc() {
  ++arcs_;
  arc_ = true;
  cut_output();
}

void IsegSimulator::force_trip() {
  trip_ = true;
  cut_output();
}

void IsegSimulator::step(double dt_s) {
  while (dt_s > 0.0) {
    const double h = std::min(dt_s, kMaxStepS);
    dt_s -= h;

    // Ramp limiter towards the setpoint (on) or 0 (off).
    const double target = on_ ? setpoint_V_ : 0.0;
    if (voltage_V_ < target) voltage_V_ = std::min(target, voltage_V_ + ramp_up_V_per_s_ * h);
    if (voltage_V_ > target) voltage_V_ = std::max(target, voltage_V_ - ramp_down_V_per_s_ * h);
    if (std::abs(voltage_V_ - target) < kSnapV) voltage_V_ = target;  // rounding of Σ r·h

    // The emitter as a load; above the limit the supply regulates current and the trip
    // timer runs.
    const double spray_A =
        options_.spray_current_at
            ? options_.spray_current_at(voltage_V_)
            : (voltage_V_ > 0.0 && voltage_V_ >= options_.onset_V ? options_.spray_current_A : 0.0);
    const bool spraying = spray_A > 0.0;
    const double load_A = voltage_V_ / options_.leak_resistance_ohm + spray_A;
    constant_current_ = load_A > current_limit_A_;
    current_A_ = std::min(load_A, current_limit_A_);
    over_limit_s_ = constant_current_ ? over_limit_s_ + h : 0.0;
    if (constant_current_ && over_limit_s_ >= options_.trip_time_s) {
      trip_ = true;
      cut_output();
      continue;
    }

    // Arcs: Poisson events while spraying.
    if (spraying && options_.arc_rate_per_s > 0.0) {
      std::uniform_real_distribution<double> u(0.0, 1.0);
      if (u(rng_) < 1.0 - std::exp(-options_.arc_rate_per_s * h)) force_arc();
    }
  }
}

std::uint32_t IsegSimulator::channel_status() const {
  using namespace iseg;
  const double target = on_ ? setpoint_V_ : 0.0;
  return flag(on_, kBitOn) | flag(voltage_V_ != target, kBitRamping) |
         flag(emergency_, kBitEmergency) | flag(constant_current_, kBitConstantCurrent) |
         flag(on_ && !constant_current_, kBitConstantVoltage) | flag(trip_, kBitCurrentTrip);
}

std::uint32_t IsegSimulator::module_status() const {
  return flag(loop_closed_, iseg::kModuleBitSafetyLoop);
}

std::string IsegSimulator::on_bytes(std::string_view bytes, double now_s) {
  // Step the model to now (the first call fixes the epoch; gaps over 10 s are cut to 10 s).
  if (started_) step(std::min(now_s - last_now_s_, 10.0));
  started_ = true;
  last_now_s_ = now_s;

  // CR LF (or bare LF) framed lines; an endless line is dropped.
  buffer_.append(bytes);
  std::string out;
  for (auto end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n')) {
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (options_.echo) out += line + "\r\n";
    out += execute(line);
  }
  if (buffer_.size() > 4096) buffer_.clear();
  return out;
}

std::string IsegSimulator::execute(const std::string& line) {
  const std::string ch = "(@" + std::to_string(options_.channel) + ")";
  auto reply = [](const std::string& text) { return text + "\r\n"; };

  // Queries.
  if (line == "*IDN?") return reply(options_.identity);
  if (line == ":MEAS:VOLT? " + ch) return reply(iseg_number(voltage_V_) + "V");
  if (line == ":MEAS:CURR? " + ch) return reply(iseg_number(current_A_) + "A");
  if (line == ":READ:CHAN:STAT? " + ch) return reply(std::to_string(channel_status()));
  if (line == ":READ:CHAN:EV:STAT? " + ch)
    return reply(
        std::to_string(flag(arc_, iseg::kEventBitArc) | flag(trip_, iseg::kEventBitCurrentTrip)));
  if (line == ":READ:MOD:STAT?") return reply(std::to_string(module_status()));

  // Switching and latches.
  if (line == ":VOLT ON," + ch) {
    if (!emergency_ && !trip_ && !arc_ && loop_closed_) on_ = true;
    return "";
  }
  if (line == ":VOLT OFF," + ch) {
    on_ = false;
    return "";
  }
  if (line == ":VOLT EMCY OFF," + ch) {
    emergency_ = true;
    cut_output();
    return "";
  }
  if (line == ":VOLT EMCY CLR," + ch) {
    emergency_ = false;
    return "";
  }
  if (line == ":EV CLEAR," + ch || line == "*CLS") {
    trip_ = arc_ = false;
    return "";
  }

  // Setpoints: ":VOLT v,(@n)", ":CURR i,(@n)", ":CONF:RAMP:VOLT:UP|DOWN r".
  double v = 0.0;
  auto setpoint = [&](const std::string& head) {
    const std::string tail = "," + ch;
    if (line.rfind(head, 0) != 0 || line.size() < head.size() + tail.size() ||
        line.compare(line.size() - tail.size(), tail.size(), tail) != 0)
      return false;
    return parse_number(line.substr(head.size(), line.size() - head.size() - tail.size()), v);
  };
  if (setpoint(":VOLT ") && v >= 0.0 && v <= options_.max_voltage_V)
    setpoint_V_ = v;
  else if (setpoint(":CURR ") && v >= 0.0)
    current_limit_A_ = v;
  else if (line.rfind(":CONF:RAMP:VOLT:UP ", 0) == 0 && parse_number(line.substr(19), v) && v > 0)
    ramp_up_V_per_s_ = v;
  else if (line.rfind(":CONF:RAMP:VOLT:DOWN ", 0) == 0 && parse_number(line.substr(21), v) && v > 0)
    ramp_down_V_per_s_ = v;
  // Anything else is not understood and answered by silence, as set commands are.
  return "";
}

}  // namespace psw::hal
