// The message dictionary (data/secs/messages.yaml) and the named JSON view.
//
// Message structures follow SEMI E5 / E30 as reproduced in public SECS/GEM guides: S6F11 is
// <L [3] DATAID CEID <L [n] <L [2] RPTID <L [m] V…>>>>, S2F41 is <L [2] RCMD <L [n] <L [2]
// CPNAME CPVAL>>>, S1F14 is <L [2] COMMACK <L MDLN SOFTREV>>, S1F1 has no body.
#include <catch2/catch.hpp>

#include <psw/core/config.hpp>
#include <psw/mes/dictionary.hpp>
#include <psw/mes/json.hpp>

#include "random_item.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::mes::Dictionary;
using psw::mes::Item;
using psw::mes::Message;

namespace {

const Dictionary& dict() { return Dictionary::builtin(); }

}  // namespace

TEST_CASE("the built-in dictionary describes the messages issue #8 lists", "[mes][dictionary]") {
  for (const auto& [s, f] : std::vector<std::pair<int, int>>{
           {1, 1},  {1, 2},  {1, 3},  {1, 4},  {1, 13}, {1, 14}, {1, 15}, {1, 16}, {1, 17}, {1, 18},
           {2, 13}, {2, 14}, {2, 33}, {2, 34}, {2, 35}, {2, 36}, {2, 37}, {2, 38}, {2, 41}, {2, 42},
           {5, 1},  {5, 2},  {5, 3},  {5, 4},  {6, 11}, {6, 12}, {10, 3}, {10, 4}}) {
    INFO("S" << s << "F" << f);
    CHECK(dict().knows(s, f));
  }
  CHECK(dict().message_name(6, 11) == "Event Report Send");
  CHECK_FALSE(dict().knows(64, 1));
}

TEST_CASE("an S6F11 written by name becomes the typed items and back", "[mes][dictionary]") {
  const std::string named = R"({"message":"S6F11","W":true,"body":{"DATAID":1,"CEID":1001,)"
                            R"("RPT":[{"RPTID":2001,"V":[{"A":"JOINT-7"},{"F8":[2.5e-06]}]}]}})";
  const Message m = dict().from_named_json(named);
  // Plain numbers take the first allowed format of the dictionary: U4 for DATAID, CEID, RPTID.
  const Item expected = Item::list(
      {Item::u4({1}), Item::u4({1001}),
       Item::list({Item::list(
           {Item::u4({2001}), Item::list({Item::ascii("JOINT-7"), Item::f8({2.5e-6})})})})});
  CHECK(m.stream == 6);
  CHECK(m.function == 11);
  CHECK(m.reply_expected);
  CHECK(*m.body == expected);
  CHECK(dict().to_named_json(m) ==
        R"({"W":true,"body":{"CEID":1001,"DATAID":1,"RPT":[{"RPTID":2001,"V":[{"A":"JOINT-7"},)"
        R"({"F8":[2.5e-06]}]}]},"message":"S6F11","name":"Event Report Send"})");
}

TEST_CASE("any allowed integer width decodes; other formats are refused", "[mes][dictionary]") {
  Message m;
  m.stream = 6;
  m.function = 11;
  m.body = Item::list({Item::u1({1}), Item::i2({1001}), Item::list({})});
  CHECK_THAT(dict().to_named_json(m), Contains(R"("CEID":1001,"DATAID":1)"));
  m.body = Item::list({Item::u1({1}), Item::f4({1001}), Item::list({})});
  REQUIRE_THROWS_WITH(dict().to_named_json(m),
                      Equals("S6F11 body.CEID: CEID is F4, allowed formats are U4, U2, U1, U8, "
                             "I4, I2, I1, I8, A"));
  m.body = Item::list({Item::u1({1}), Item::u4({1})});
  REQUIRE_THROWS_WITH(dict().to_named_json(m),
                      Equals("S6F11 body: expected a list of 3 items, got 2"));
}

TEST_CASE("named values that fit no allowed format are rejected with their path",
          "[mes][dictionary]") {
  REQUIRE_THROWS_WITH(
      dict().from_named_json(
          R"({"message":"S5F1","body":{"ALCD":256,"ALID":7,"ALTX":"over temperature"}})"),
      Equals("S5F1 body.ALCD = 256 fits none of the formats allowed for ALCD: B"));
  REQUIRE_THROWS_WITH(
      dict().from_named_json(R"({"message":"S6F11","body":{"DATAID":1.5,"CEID":1,"RPT":[]}})"),
      Equals("S6F11 body.DATAID = 1.5 fits none of the formats allowed for DATAID: U4, U2, U1, "
             "U8, I4, I2, I1, I8"));
  REQUIRE_THROWS_WITH(
      dict().from_named_json(
          R"({"message":"S6F11","body":{"DATAID":1,"CEID":{"F4":[1]},"RPT":[]}})"),
      Equals("S6F11 body.CEID: CEID may not be F4 (allowed: U4, U2, U1, U8, I4, I2, I1, I8, A)"));
  REQUIRE_THROWS_WITH(dict().from_named_json(R"({"message":"S6F11","body":{"DATAID":1,"CEID":1}})"),
                      Equals("S6F11 body: missing \"RPT\""));
  REQUIRE_THROWS_WITH(dict().from_named_json(R"({"message":"S1F1","body":{"X":1}})"),
                      Equals("S1F1 body: S1F1 has no body"));
  REQUIRE_THROWS_WITH(dict().from_named_json(R"({"message":"S1F1","extra":1})"),
                      Contains("unknown key \"extra\""));
}

TEST_CASE("an explicit format and negative or 64-bit values pick their width",
          "[mes][dictionary]") {
  // A tagged value keeps its format; -5 does not fit U4/U2/U1/U8, so I4 is the first that does.
  const Message m = dict().from_named_json(
      R"({"message":"S6F11","body":{"DATAID":{"U2":[7]},"CEID":-5,"RPT":[]}})");
  CHECK(*m.body == Item::list({Item::u2({7}), Item::i4({-5}), Item::list({})}));
  const Message big = dict().from_named_json(
      R"({"message":"S6F11","body":{"DATAID":"18446744073709551615","CEID":1,"RPT":[]}})");
  CHECK(big.body->items()[0] == Item::u8({18446744073709551615ull}));
}

TEST_CASE("GEM messages by name: S1F1, S1F13/14, S2F41, S10F3", "[mes][dictionary]") {
  SECTION("S1F1 is header-only and W by the dictionary") {
    const Message m = dict().from_named_json(R"({"message":"S1F1"})");
    CHECK(m.reply_expected);
    CHECK_FALSE(m.body);
  }
  SECTION("S1F2 from a host is an empty list") {
    const Message m = dict().from_named_json(R"({"message":"S1F2","body":{}})");
    CHECK(*m.body == Item::list({}));
  }
  SECTION("S1F14: COMMACK and the equipment's identity") {
    const Message m = dict().from_named_json(
        R"({"message":"S1F14","body":{"COMMACK":0,"DATA":{"MDLN":"PSW","SOFTREV":"0.1.0"}}})");
    CHECK(*m.body ==
          Item::list({Item::binary({0}), Item::list({Item::ascii("PSW"), Item::ascii("0.1.0")})}));
  }
  SECTION("S2F41 START with a parameter, and its S2F42") {
    const Message m = dict().from_named_json(
        R"({"message":"S2F41","body":{"RCMD":"START","CP":[{"CPNAME":"JOB","CPVAL":"demo"}]}})");
    CHECK(*m.body ==
          Item::list({Item::ascii("START"),
                      Item::list({Item::list({Item::ascii("JOB"), Item::ascii("demo")})})}));
    const Message ack = dict().from_named_json(R"({"message":"S2F42","body":{"HCACK":0,"CP":[]}})");
    CHECK(*ack.body == Item::list({Item::binary({0}), Item::list({})}));
  }
  SECTION("S10F3 terminal text") {
    const Message m =
        dict().from_named_json(R"({"message":"S10F3","body":{"TID":0,"TEXT":"hello"}})");
    CHECK(*m.body == Item::list({Item::binary({0}), Item::ascii("hello")}));
  }
  SECTION("a message the dictionary does not know travels tagged") {
    const Message m = dict().from_named_json(R"({"message":"S64F1","W":true,"item":{"U1":[3]}})");
    CHECK(*m.body == Item::u1({3}));
    CHECK(dict().to_named_json(m) == R"({"W":true,"item":{"U1":[3]},"message":"S64F1"})");
  }
}

TEST_CASE("a dictionary file with mistakes is refused with its location", "[mes][dictionary]") {
  REQUIRE_THROWS_WITH(
      Dictionary::from_config(psw::Config::parse("items:\n  X: [U3]\nmessages: {}\n", "d.yaml")),
      Contains("d.yaml:2:7: items.X: unknown format 'U3'"));
  REQUIRE_THROWS_WITH(Dictionary::from_config(psw::Config::parse(
                          "items:\n  X: [U4]\nmessages:\n  S1F1: {name: a, body: Y}\n", "d.yaml")),
                      Contains("d.yaml:4:25: unknown data item 'Y'"));
}
