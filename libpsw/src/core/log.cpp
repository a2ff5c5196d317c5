#include <psw/core/error.hpp>
#include <psw/core/log.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>

namespace psw::log {
namespace {

struct State {
  std::atomic<Level> level{Level::info};
  std::mutex mutex;  // guards sink and warned
  Sink sink;
  std::set<std::string, std::less<>> warned;
  std::shared_ptr<spdlog::logger> logger;
};

Level parse_level_or(const char* text, Level fallback) {
  try {
    return text && *text ? parse_level(text) : fallback;
  } catch (const std::invalid_argument&) {
    return fallback;  // init_from_environment() reports it; library users keep the default
  }
}

State& state() {
  static State s;
  static const bool from_environment = [] {
    s.level.store(parse_level_or(std::getenv("PSW_LOG_LEVEL"), Level::info));
    return true;
  }();
  (void)from_environment;
  return s;
}

spdlog::logger& stderr_logger(State& s) {
  if (!s.logger) {
    s.logger = spdlog::stderr_color_mt("psw");
    s.logger->set_pattern("%^[%Y-%m-%d %H:%M:%S.%e] [%l]%$ %v");
    s.logger->set_level(spdlog::level::trace);  // filtering happens here, in write()
  }
  return *s.logger;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace: return spdlog::level::trace;
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
    case Level::off: break;
  }
  return spdlog::level::off;
}

bool needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  return std::any_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '"' || c == '=' || c == '\\' || c == '\t' || c == '\n';
  });
}

void append_value(std::string& out, const Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    if (!needs_quotes(*text)) {
      out += *text;
      return;
    }
    out += '"';
    for (char c : *text) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  } else if (const auto* number = std::get_if<double>(&value)) {
    out += format_number(*number);
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*integer);
  } else {
    out += std::get<bool>(value) ? "true" : "false";
  }
}

}  // namespace

Level parse_level(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "trace") return Level::trace;
  if (lower == "debug") return Level::debug;
  if (lower == "info") return Level::info;
  if (lower == "warn" || lower == "warning") return Level::warn;
  if (lower == "error") return Level::error;
  if (lower == "off") return Level::off;
  throw std::invalid_argument("log level '" + std::string(text) +
                              "' is not one of trace, debug, info, warn, error, off");
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    case Level::off: break;
  }
  return "off";
}

void set_level(Level level) { state().level.store(level); }
Level level() { return state().level.load(); }
bool enabled(Level level) { return level != Level::off && level >= state().level.load(); }

void init_from_environment() {
  const char* text = std::getenv("PSW_LOG_LEVEL");
  if (text == nullptr || *text == '\0') return;
  try {
    set_level(parse_level(text));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("PSW_LOG_LEVEL: ") + e.what());
  }
}

void set_sink(Sink sink) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.sink = std::move(sink);
}

void write(Level level, std::string_view message) {
  if (!enabled(level)) return;
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (s.sink) {
    s.sink(level, message);
    return;
  }
  stderr_logger(s).log(to_spdlog(level), "{}", message);
}

void warn_once(std::string_view key, std::string_view message) {
  State& s = state();
  {
    std::lock_guard lock(s.mutex);
    if (!s.warned.emplace(key).second) return;
  }
  write(Level::warn, message);
}

std::string format_fields(std::string_view event, std::initializer_list<Field> fields) {
  std::string line(event);
  for (const Field& field : fields) {
    if (!line.empty()) line += ' ';
    line += field.key;
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

void telemetry(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  write(level, format_fields(event, fields));
}

}  // namespace psw::log
