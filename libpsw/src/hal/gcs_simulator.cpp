#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <sstream>

#include <psw/core/error.hpp>
#include <psw/hal/gcs_simulator.hpp>

namespace psw::hal {

namespace {

// GCS error codes (PI GCS 2.0 error list).
constexpr int kSyntax = 1, kUnknownCommand = 2, kServoOff = 5, kOutOfLimits = 7, kStopped = 10,
              kInvalidAxis = 15, kOutOfRange = 17;

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool parse_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(out);
}

std::string fixed6(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

// Lines joined as one GCS reply: " \n" between lines, "\n" at the end.
std::string join_reply(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += lines[i] + (i + 1 < lines.size() ? " \n" : "\n");
  return out;
}

}  // namespace

stage::AxisParams default_gcs_axis(const std::string& name) {
  stage::AxisParams p;
  p.name = name;
  p.travel_m = 100e-6;
  p.gain_m_per_V = 1e-6;  // 100 µm at 100 V, inside the amplifier's [-20, 120] V
  p.flexure.effective_mass_kg = 0.010;
  const double w = 2.0 * std::numbers::pi * 2400.0;  // 2.4 kHz first resonance
  p.flexure.stiffness_N_per_m = w * w * p.flexure.effective_mass_kg;
  p.flexure.damping_ratio = 0.02;
  p.amplifier = {-20.0, 120.0, 24};
  p.sensor.range_m = 150e-6;
  p.sensor.adc_bits = 24;
  p.sensor.noise_density_m_per_rtHz = 0.0;
  p.servo.rate_Hz = 20e3;
  p.servo.integral_crossover_Hz = 300.0;
  p.servo.slew_rate_m_per_s = 0.01;
  p.servo.window_m = 10e-9;
  p.servo.settle_time_s = 2e-3;
  return p;
}

GcsSimulatorOptions GcsSimulatorOptions::three_axes() {
  GcsSimulatorOptions o;
  o.axes = {default_gcs_axis("1"), default_gcs_axis("2"), default_gcs_axis("3")};
  return o;
}

void GcsSimulatorOptions::validate() const {
  require(!axes.empty() && axes.size() <= 9, "gcs_simulator.axes holds " +
                                                 std::to_string(axes.size()) +
                                                 " axes; between 1 and 9 are accepted");
  require_in_range("gcs_simulator.max_catch_up_s", max_catch_up_s, Range::open_closed(0, 3600));
  require(identity.find_first_of("\r\n") == std::string::npos,
          "gcs_simulator.identity must be one line");
  require(!stage_name.empty() && stage_name.find_first_of(" \r\n=") == std::string::npos,
          "gcs_simulator.stage_name = '" + stage_name + "' must be one word without '='");
  for (std::size_t i = 0; i < axes.size(); ++i) {
    try {
      axes[i].validate();
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("gcs_simulator.axes[" + std::to_string(i) + "]: " + e.what());
    }
  }
}

GcsSimulator::GcsSimulator(GcsSimulatorOptions options) : options_(std::move(options)) {
  options_.validate();
  const RngStream root(options_.seed);
  for (std::size_t i = 0; i < options_.axes.size(); ++i) {
    axes_.emplace_back(options_.axes[i], root.substream(i));
    ids_.push_back(std::to_string(i + 1));
  }
}

void GcsSimulator::advance_to(double now_s) {
  // The first call fixes the epoch; later gaps are stepped, at most max_catch_up_s at a time.
  if (!started_) {
    started_ = true;
    last_now_s_ = now_s;
    return;
  }
  double dt = now_s - last_now_s_;
  last_now_s_ = now_s;
  if (dt <= 0.0) return;
  dt = std::min(dt, options_.max_catch_up_s);
  for (auto& a : axes_) a.step(dt);
  time_s_ += dt;
}

std::string GcsSimulator::on_bytes(std::string_view bytes, double now_s) {
  advance_to(now_s);
  framer_.feed(bytes);
  std::string out;
  while (auto line = framer_.next()) out += execute(*line);
  return out;
}

void GcsSimulator::set_error(int code) {
  // STP's 10 always lands; otherwise the first error since the last ERR? is kept.
  if (error_ == 0 || code == kStopped) error_ = code;
}

int GcsSimulator::axis_index(const std::string& id) const {
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] == id) return static_cast<int>(i);
  return -1;
}

std::string GcsSimulator::execute(const std::string& line) {
  const auto words = split_words(line);
  if (words.empty()) return "";
  const std::string& name = words[0];
  const std::vector<std::string> args(words.begin() + 1, words.end());

  // Commands without axes.
  if (name == "*IDN?") return options_.identity + "\n";
  if (name == "SAI?") return join_reply(ids_);
  if (name == "ERR?") {
    const int code = error_;
    error_ = 0;
    stopped_ = false;
    return std::to_string(code) + "\n";
  }
  if (name == "#7") return std::string(1, static_cast<char>(gcs::kReadyAnswer)) + "\n";
  if (name == "#5") {
    unsigned mask = 0;
    for (std::size_t i = 0; i < axes_.size(); ++i)
      if (axes_[i].servo_on() && !axes_[i].on_target()) mask |= 1u << i;
    char text[16];
    std::snprintf(text, sizeof text, "%X\n", mask);
    return text;
  }
  if (name == "STP" || name == "#24") {
    for (auto& a : axes_) a.halt();
    set_error(kStopped);
    stopped_ = true;
    return "";
  }

  // Queries of axes, and setters of (axis, value) pairs.
  if (name == "POS?" || name == "MOV?" || name == "ONT?" || name == "SVO?" || name == "TMN?" ||
      name == "TMX?" || name == "CST?")
    return query(name, args);
  if (name == "MOV" || name == "MVR" || name == "SVO" || name == "VEL") {
    set_pairs(name, args);
    return "";
  }
  set_error(kUnknownCommand);
  return "";
}

std::string GcsSimulator::query(const std::string& name, const std::vector<std::string>& args) {
  // The axes asked for (all when none); an unknown one sets 15 and the query is not answered.
  std::vector<int> which;
  for (const auto& id : args) {
    const int i = axis_index(id);
    if (i < 0) {
      set_error(kInvalidAxis);
      return "";
    }
    which.push_back(i);
  }
  if (which.empty())
    for (std::size_t i = 0; i < axes_.size(); ++i) which.push_back(static_cast<int>(i));

  std::vector<std::string> lines;
  for (int i : which) {
    const stage::Axis& a = axes_[static_cast<std::size_t>(i)];
    std::string value;
    if (name == "POS?") value = fixed6(a.sensor_m() * 1e6);
    if (name == "MOV?") value = fixed6(a.target_m() * 1e6);
    if (name == "TMN?") value = fixed6(0.0);
    if (name == "TMX?") value = fixed6(a.params().travel_m * 1e6);
    if (name == "ONT?") value = a.on_target() ? "1" : "0";
    if (name == "SVO?") value = a.servo_on() ? "1" : "0";
    if (name == "CST?") value = options_.stage_name;
    lines.push_back(ids_[static_cast<std::size_t>(i)] + "=" + value);
  }
  return join_reply(lines);
}

void GcsSimulator::set_pairs(const std::string& name, const std::vector<std::string>& args) {
  // Parse and check every (axis, value) pair before acting on any.
  if (args.empty() || args.size() % 2 != 0) return set_error(kSyntax);
  const bool motion = name == "MOV" || name == "MVR";
  if (motion && stopped_) return set_error(kStopped);
  std::vector<std::pair<std::size_t, double>> pairs;
  for (std::size_t k = 0; k < args.size(); k += 2) {
    const int i = axis_index(args[k]);
    double v = 0.0;
    if (i < 0) return set_error(kInvalidAxis);
    if (!parse_number(args[k + 1], v)) return set_error(kSyntax);
    const auto& a = axes_[static_cast<std::size_t>(i)];
    if (motion) {
      const double target_m = name == "MOV" ? v / 1e6 : a.target_m() + v / 1e6;
      if (!a.servo_on()) return set_error(kServoOff);
      if (!(target_m >= 0.0 && target_m <= a.params().travel_m)) return set_error(kOutOfLimits);
      v = target_m;
    } else if (name == "SVO") {
      if (v != 0.0 && v != 1.0) return set_error(kSyntax);
    } else if (!(v > 0.0 && v / 1e6 <= 10.0)) {
      return set_error(kOutOfRange);  // VEL outside (0, 10] m/s
    }
    pairs.emplace_back(static_cast<std::size_t>(i), v);
  }

  for (const auto& [i, v] : pairs) {
    if (motion) axes_[i].move_to(v);
    if (name == "SVO") axes_[i].set_servo(v == 1.0);
    if (name == "VEL") axes_[i].set_slew_rate(v / 1e6);
  }
}

}  // namespace psw::hal
