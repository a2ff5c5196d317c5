// The lossless tagged JSON form of SECS-II items (json.hpp) and its round trips.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>

#include "random_item.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::mes::Item;
using psw::mes::item_from_json;
using psw::mes::to_json;

TEST_CASE("the tagged JSON form writes each format as documented", "[mes][json]") {
  // The examples of json.hpp (and of issue #8), character for character.
  CHECK(to_json(Item::u4({1, 2})) == R"({"U4":[1,2]})");
  CHECK(to_json(Item::ascii("text")) == R"({"A":"text"})");
  CHECK(to_json(Item::list({Item::u1({7}), Item::list({})})) == R"({"L":[{"U1":[7]},{"L":[]}]})");
  CHECK(to_json(Item::boolean({true})) == R"({"BOOLEAN":[true]})");
  CHECK(to_json(Item::binary({0, 255})) == R"({"B":[0,255]})");
  SECTION("64-bit integers beyond 2^53 - 1 become strings; those within stay numbers") {
    // 2^53 - 1 = 9007199254740991 is the largest integer a binary64 holds exactly.
    CHECK(to_json(Item::u8({9007199254740991ull, 9007199254740992ull})) ==
          R"({"U8":[9007199254740991,"9007199254740992"]})");
    CHECK(to_json(Item::i8({std::numeric_limits<std::int64_t>::min()})) ==
          R"({"I8":["-9223372036854775808"]})");
  }
  SECTION("F4 in its shortest binary32 digits; non-finite values as strings") {
    CHECK(to_json(Item::f4({0.1f, std::numeric_limits<float>::infinity()})) ==
          R"({"F4":[0.1,"Infinity"]})");
    CHECK(to_json(Item::f8({std::nan(""), -std::numeric_limits<double>::infinity()})) ==
          R"({"F8":["NaN","-Infinity"]})");
  }
  SECTION("text with bytes from 0x80 up becomes an array of byte values") {
    CHECK(to_json(Item::jis8("\xB1"
                             "A")) == R"({"J":[177,65]})");
  }
}

TEST_CASE("JSON input accepts the documented conveniences", "[mes][json]") {
  CHECK(item_from_json(R"({"U4": 7})") == Item::u4({7}));
  CHECK(item_from_json(R"({"I8": ["-5", 3]})") == Item::i8({-5, 3}));
  CHECK(item_from_json(R"({"U8": "18446744073709551615"})") == Item::u8({18446744073709551615ull}));
  CHECK(item_from_json(R"({"BOOLEAN": [1, 0, true]})") == Item::boolean({true, false, true}));
  CHECK(item_from_json(R"({"F4": 3.4028235e38})") == Item::f4({std::numeric_limits<float>::max()}));
  CHECK(item_from_json(R"({"A": [72, 105]})") == Item::ascii("Hi"));
}

TEST_CASE("JSON values that fit no format are rejected with their path", "[mes][json]") {
  REQUIRE_THROWS_WITH(item_from_json(R"({"L":[{"U4":[1]},{"U1":[256]}]})"),
                      Equals("$.L[1].U1[0] = 256 is outside [0, 255]"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"I2":[-32769]})"),
                      Equals("$.I2[0] = -32769 is outside [-32768, 32767]"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"U8":["18446744073709551616"]})"),
                      Equals("$.U8[0] = \"18446744073709551616\" is outside "
                             "[0, 18446744073709551615]"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"U4":[1.5]})"),
                      Equals("$.U4[0] = 1.5 is not an integer (a JSON integer or a decimal "
                             "string)"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"F4":[1e39]})"),
                      Contains("$.F4[0] = 1e+39 is outside the binary32 range"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"U5":[1]})"), Contains("$: unknown item format \"U5\""));
  REQUIRE_THROWS_WITH(item_from_json(R"({"U4":[1],"A":"x"})"),
                      Contains("is not an item: expected an object with one key"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"L":[)"), Contains("invalid JSON"));
  REQUIRE_THROWS_WITH(item_from_json(R"({"L":[)"), Contains("line 1, column 7"));
}

TEST_CASE("item -> JSON -> item is exact for random item trees", "[mes][json]") {
  // Property: the tagged form loses nothing (seeded generator; floats by bit pattern).
  psw::RngStream rng(20260805);
  for (int i = 0; i < 500; ++i) {
    const Item item = psw::mes::testing::random_item(rng, 4);
    const std::string json = to_json(item, i % 2 == 0 ? 2 : -1);
    REQUIRE(item_from_json(json) == item);
  }
}
