// The logging facade: one place that talks to spdlog, so no header drags it in.
//
// Levels follow STYLE.md: trace (per step), debug (per iteration or message), info (lifecycle:
// connected, run started, file written), warn (a fallback or ignored setting, once), error (the
// failure being reported). Telemetry lines are `event key=value key=value` so that tools can
// parse them.
//
// The level comes from, in increasing priority: the default (info), the environment variable
// PSW_LOG_LEVEL, and set_level() (the CLI's --log-level). Messages go to standard error.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace psw::log {

enum class Level { trace = 0, debug, info, warn, error, off };

/// "trace", "debug", "info", "warn", "error" or "off" (case-insensitive; "warning" too).
/// @throws std::invalid_argument naming the text and the accepted levels.
Level parse_level(std::string_view text);
std::string_view to_string(Level level);

void set_level(Level level);
Level level();
bool enabled(Level level);

/// Applies PSW_LOG_LEVEL when it is set.
/// @throws std::invalid_argument when it holds no level name.
void init_from_environment();

/// Replaces the output (standard error) with `sink`, e.g. to capture messages in a test;
/// an empty function restores standard error.
using Sink = std::function<void(Level, std::string_view)>;
void set_sink(Sink sink);

void write(Level level, std::string_view message);
inline void trace(std::string_view message) { write(Level::trace, message); }
inline void debug(std::string_view message) { write(Level::debug, message); }
inline void info(std::string_view message) { write(Level::info, message); }
inline void warn(std::string_view message) { write(Level::warn, message); }
inline void error(std::string_view message) { write(Level::error, message); }

/// Writes a warning the first time `key` is seen in this process and never again.
void warn_once(std::string_view key, std::string_view message);

/// A telemetry field value.
using Value = std::variant<std::string_view, double, std::int64_t, bool>;
struct Field {
  std::string_view key;
  Value value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  Field(std::string_view k, std::size_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

/// `event key=value ...`; values with spaces, quotes or '=' are double-quoted with escapes.
std::string format_fields(std::string_view event, std::initializer_list<Field> fields);

/// Writes format_fields(event, fields) at `level`.
void telemetry(Level level, std::string_view event, std::initializer_list<Field> fields);

}  // namespace psw::log
