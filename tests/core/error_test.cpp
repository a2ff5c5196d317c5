#include <psw/core/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

using Catch::Matchers::Equals;

TEST_CASE("range checks name the field, the value and the interval", "[core][error]") {
  // The message format promised in STYLE.md, character for character.
  REQUIRE_THROWS_WITH(psw::require_in_range("ttm.fluence_J_per_m2", -3.0,
                                            psw::Range::open_closed(0.0, 1e4)),
                      Equals("ttm.fluence_J_per_m2 = -3 is outside (0, 10000]"));
  REQUIRE_THROWS_AS(psw::require_in_range("x", -1.0, psw::Range::positive()),
                    std::invalid_argument);
  REQUIRE_NOTHROW(psw::require_in_range("x", 1e4, psw::Range::open_closed(0.0, 1e4)));
}

TEST_CASE("open and closed ends are honoured, NaN is never inside", "[core][error]") {
  SECTION("closed ends include the end points") {
    CHECK(psw::Range::closed(0, 1).contains(0.0));
    CHECK(psw::Range::closed(0, 1).contains(1.0));
  }
  SECTION("open ends exclude them") {
    CHECK_FALSE(psw::Range::open(0, 1).contains(0.0));
    CHECK_FALSE(psw::Range::open(0, 1).contains(1.0));
    CHECK(psw::Range::open(0, 1).contains(0.5));
  }
  SECTION("positive excludes zero, non_negative includes it") {
    CHECK_FALSE(psw::Range::positive().contains(0.0));
    CHECK(psw::Range::non_negative().contains(0.0));
  }
  SECTION("NaN and infinities") {
    CHECK_FALSE(psw::Range::finite().contains(std::nan("")));
    CHECK_FALSE(psw::Range::finite().contains(INFINITY));
    CHECK(psw::Range::closed_open(0, INFINITY).to_string() == "[0, inf)");
  }
}

TEST_CASE("numbers print in their shortest round-trip form", "[core][error]") {
  CHECK(psw::format_number(0.1) == "0.1");
  CHECK(psw::format_number(-3.0) == "-3");
  CHECK(psw::format_number(1e5) == "100000");
  CHECK(psw::format_number(1e7) == "1e+07");
  CHECK(psw::format_number(2.6e16) == "2.6e+16");
  CHECK(psw::format_number(std::nan("")) == "nan");
}

TEST_CASE("require throws its message unchanged", "[core][error]") {
  REQUIRE_THROWS_WITH(psw::require(false, "cells must be positive"),
                      Equals("cells must be positive"));
  REQUIRE_NOTHROW(psw::require(true, "unused"));
}
