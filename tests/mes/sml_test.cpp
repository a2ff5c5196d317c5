// SML text: printing, parsing (with the dialects seen in tools and logs) and round trips.
//
// The SML notation follows SEMI E5's message examples: `<L [n] …>`, `<A "text">`, `<U4 1 2>`,
// a message header `S1F13 W` and a closing `.`. The dialect samples (`<L[2]`, `<A[5] 'x'>`,
// `<BOOLEAN[1] 0>`, `<B[2] 0x00 0x01>`) are written the way public SECS/GEM tutorials print
// them, e.g. https://cnblogs.com/txwtech/p/16426978.html and
// https://blog.csdn.net/u011637657/article/details/135496628.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/sml.hpp>

#include "random_item.hpp"

using Catch::Matchers::Equals;
using psw::mes::Item;
using psw::mes::Message;
using psw::mes::parse_sml_item;
using psw::mes::parse_sml_message;
using psw::mes::to_sml;

TEST_CASE("every format prints in SML and parses back", "[mes][sml]") {
  // The printed form documented in sml.hpp, one format per line.
  const Item item = Item::list(
      {Item::list({}), Item::binary({0x00, 0xFF}), Item::boolean({true, false}),
       Item::ascii("Hi \"you\"\\\r\n\t\x01"), Item::jis8("\xB1"), Item::ascii(""),
       Item::i1({-128, 127}), Item::i2({-300}), Item::i4({-2147483647 - 1}),
       Item::i8({std::numeric_limits<std::int64_t>::min()}), Item::u1({255}), Item::u2({65535}),
       Item::u4({4294967295u}), Item::u8({18446744073709551615ull}), Item::f4({0.1f, -0.0f}),
       Item::f8({1e300, std::numeric_limits<double>::infinity()})});
  const std::string expected =
      "<L [16]\n"
      "  <L [0]>\n"
      "  <B 0x00 0xFF>\n"
      "  <BOOLEAN TRUE FALSE>\n"
      "  <A \"Hi \\\"you\\\"\\\\\\r\\n\\t\\x01\">\n"
      "  <J \"\\xB1\">\n"
      "  <A>\n"
      "  <I1 -128 127>\n"
      "  <I2 -300>\n"
      "  <I4 -2147483648>\n"
      "  <I8 -9223372036854775808>\n"
      "  <U1 255>\n"
      "  <U2 65535>\n"
      "  <U4 4294967295>\n"
      "  <U8 18446744073709551615>\n"
      "  <F4 0.1 -0>\n"
      "  <F8 1e+300 Inf>\n"
      ">";
  CHECK(to_sml(item) == expected);
  CHECK(parse_sml_item(expected) == item);
  CHECK(to_sml(Item::list({Item::u4({1}), Item::list({})}), -1) == "<L [2] <U4 1> <L [0]>>");
}

TEST_CASE("messages print with their header and W-bit and parse back", "[mes][sml]") {
  Message m;
  m.stream = 1;
  m.function = 3;
  m.reply_expected = true;
  m.body = Item::list({Item::u4({1001})});
  // SEMI E5 example style: header, W, body, closing period.
  CHECK(to_sml(m) == "S1F3 W\n<L [1]\n  <U4 1001>\n>.");
  CHECK(parse_sml_message(to_sml(m)) == m);

  Message header_only;
  header_only.stream = 1;
  header_only.function = 1;
  header_only.reply_expected = true;
  CHECK(to_sml(header_only) == "S1F1 W.");
  CHECK(parse_sml_message("S1F1 W.") == header_only);
  CHECK(parse_sml_message("'S1F1'W") == header_only);
  CHECK(parse_sml_message("s1f1w") == header_only);
}

TEST_CASE("SML dialects from vendor tools and tutorials are read", "[mes][sml]") {
  SECTION("counts attached or apart, single quotes, BOOL, counts on scalars ignored") {
    const Item parsed = parse_sml_item(
        "<L[4]\n"
        "  <A[5] 'MDLN1'>\n"
        "  <BOOL[1] T>\n"
        "  <boolean[2] 0 0xFF>\n"
        "  <B[2] 0x00 0x01>\n"
        ">\n.");
    CHECK(parsed == Item::list({Item::ascii("MDLN1"), Item::boolean({true}),
                                Item::boolean({false, true}), Item::binary({0, 1})}));
  }
  SECTION("text concatenated with byte values, comments, hex and binary numbers") {
    const Item parsed = parse_sml_item(
        "// a comment\n"
        "<L  # another\n"
        "  <A \"line\" 0x0D 0x0A \"next\">\n"
        "  <U2 0x10 0b11 +7>\n"
        "  <F4 1e3 -Infinity nan>\n"
        ">");
    REQUIRE(parsed.items().size() == 3);
    CHECK(parsed.items()[0] == Item::ascii("line\r\nnext"));
    CHECK(parsed.items()[1] == Item::u2({16, 3, 7}));
    const auto f = parsed.items()[2].values<float>();
    CHECK(f[0] == 1000.0f);
    CHECK(f[1] == -std::numeric_limits<float>::infinity());
    CHECK(std::isnan(f[2]));
  }
}

TEST_CASE("SML parse errors give the line and column and the reason", "[mes][sml]") {
  SECTION("a value outside its format's range") {
    REQUIRE_THROWS_WITH(parse_sml_item("<L\n  <U1 1 256>\n>", "job.sml"),
                        Equals("job.sml:2:9: U1 value 256 is outside [0, 255]"));
    REQUIRE_THROWS_WITH(parse_sml_item("<I1 -129>"),
                        Equals("<sml>:1:5: I1 value -129 is outside [-128, 127]"));
  }
  SECTION("an unknown format") {
    REQUIRE_THROWS_WITH(parse_sml_item("<X 1>"),
                        Equals("<sml>:1:2: unknown item format 'X' (accepted: L, B, BOOLEAN, "
                               "A, J, I1, I2, I4, I8, U1, U2, U4, U8, F4, F8)"));
  }
  SECTION("a missing '>'") {
    REQUIRE_THROWS_WITH(parse_sml_item("<L [1]\n  <A \"x\"\n"),
                        Equals("<sml>:3:1: expected '>' to close <A, found the end of the text"));
  }
  SECTION("a list count that disagrees with the children") {
    REQUIRE_THROWS_WITH(parse_sml_item("<L [2] <U4 1>>"),
                        Equals("<sml>:1:1: <L [2]> holds 1 item(s)"));
  }
  SECTION("an unterminated string and a bad escape") {
    REQUIRE_THROWS_WITH(parse_sml_item("<A \"abc>"), Equals("<sml>:1:4: unterminated string"));
    REQUIRE_THROWS_WITH(parse_sml_item("<A \"a\\qb\">"), Equals("<sml>:1:6: unknown escape '\\q'"));
  }
  SECTION("a bad message header and stream") {
    REQUIRE_THROWS_WITH(parse_sml_message("X1F1"),
                        Equals("<sml>:1:1: expected a message header like S1F3, found 'X'"));
    REQUIRE_THROWS_WITH(parse_sml_message("S128F1"),
                        Equals("<sml>:1:1: message stream = 128 is outside [0, 127]"));
  }
  SECTION("text after the message") {
    REQUIRE_THROWS_WITH(parse_sml_item("<U4 1>. <U4 2>"),
                        Equals("<sml>:1:9: unexpected '<' after the message"));
  }
  SECTION("a non-number where a number belongs") {
    REQUIRE_THROWS_WITH(parse_sml_item("<F8 1.5x>"),
                        Equals("<sml>:1:5: F8 value '1.5x' is not a finite binary64 number"));
  }
}

TEST_CASE("item -> SML -> item is exact for random item trees", "[mes][sml]") {
  // Property: floats print in shortest round-trip form, text escapes every byte it must, so
  // parsing the printed text gives the same item, bit for bit (seeded generator).
  psw::RngStream rng(20260804);
  for (int i = 0; i < 500; ++i) {
    const Item item = psw::mes::testing::random_item(rng, 4);
    const int indent = i % 2 == 0 ? 2 : -1;
    REQUIRE(parse_sml_item(to_sml(item, indent)) == item);
  }
}
