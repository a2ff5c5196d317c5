#include <psw/core/log.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

// Captures what the facade writes while alive, and restores the defaults afterwards.
struct Capture {
  std::vector<std::pair<psw::log::Level, std::string>> lines;
  Capture() {
    psw::log::set_sink([this](psw::log::Level l, std::string_view m) {
      lines.emplace_back(l, std::string(m));
    });
  }
  ~Capture() {
    psw::log::set_sink({});
    psw::log::set_level(psw::log::Level::info);
  }
};

}  // namespace

TEST_CASE("level names parse, and a bad one is named in the error", "[core][log]") {
  CHECK(psw::log::parse_level("DEBUG") == psw::log::Level::debug);
  CHECK(psw::log::parse_level("warning") == psw::log::Level::warn);
  REQUIRE_THROWS_WITH(psw::log::parse_level("loud"),
                      Equals("log level 'loud' is not one of trace, debug, info, warn, error, off"));
}

TEST_CASE("messages below the level are dropped", "[core][log]") {
  Capture capture;
  psw::log::set_level(psw::log::Level::warn);
  psw::log::info("not shown");
  psw::log::warn("shown");
  psw::log::error("shown too");
  REQUIRE(capture.lines.size() == 2);
  CHECK(capture.lines[0].second == "shown");
  CHECK(capture.lines[1].first == psw::log::Level::error);
}

TEST_CASE("warn_once warns once per key", "[core][log]") {
  Capture capture;
  for (int i = 0; i < 3; ++i) psw::log::warn_once("log_test.fallback", "falling back");
  psw::log::warn_once("log_test.other", "another");
  CHECK(capture.lines.size() == 2);
}

TEST_CASE("telemetry lines are key=value and quote what needs quoting", "[core][log]") {
  const std::string line = psw::log::format_fields(
      "joint_done", {{"joint", "J1"}, {"time_s", 0.25}, {"pulses", 12}, {"ok", true},
                     {"note", "two words"}, {"path", "a=b"}});
  CHECK(line == "joint_done joint=J1 time_s=0.25 pulses=12 ok=true note=\"two words\" "
                "path=\"a=b\"");
}

TEST_CASE("PSW_LOG_LEVEL sets the level, and a bad value names the variable", "[core][log]") {
  Capture capture;  // restores the level afterwards
  ::setenv("PSW_LOG_LEVEL", "error", 1);
  psw::log::init_from_environment();
  CHECK(psw::log::level() == psw::log::Level::error);
  ::setenv("PSW_LOG_LEVEL", "chatty", 1);
  REQUIRE_THROWS_WITH(psw::log::init_from_environment(), Contains("PSW_LOG_LEVEL: log level 'chatty'"));
  ::unsetenv("PSW_LOG_LEVEL");
}
