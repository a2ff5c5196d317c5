// SECS-II item encoding and strict decoding (SEMI E5 item format).
//
// Where the golden vectors come from:
// - the format codes are SEMI E5's table (octal) as reproduced publicly, e.g. the table "Item
//   Format / SECS-II Format Code / SML Item Format Mnemonic" quoted at
//   https://blog.csdn.net/u011637657/article/details/135496628, and REFERENCES.md; the header
//   byte is (code << 2) | number of length bytes;
// - a complete S1F2 body captured on the wire and annotated byte by byte at
//   https://www.cnblogs.com/zhuoss/p/21618696 (MDLN "MDLN1", SOFTREV "SOFTREV1", then B,
//   BOOLEAN, U1, U2, U4 items);
// - values: big-endian two's complement and IEEE 754 bit patterns (1.5 = 0x3FC00000 in binary32,
//   0x3FF8000000000000 in binary64).
#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <psw/core/rng.hpp>
#include <psw/mes/item.hpp>

#include "random_item.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::mes::decode;
using psw::mes::DecodeOptions;
using psw::mes::encode;
using psw::mes::Format;
using psw::mes::Item;
using psw::mes::testing::hex;

namespace {

// Encodes, checks the bytes, decodes them back and checks the item.
void check_golden(const Item& item, std::string_view expected_hex) {
  const auto expected = hex(expected_hex);
  CHECK(encode(item) == expected);
  CHECK(psw::mes::encoded_size(item) == expected.size());
  CHECK(decode(expected) == item);
}

}  // namespace

TEST_CASE("each format's header byte is its SEMI E5 code shifted left by two", "[mes][item]") {
  // (octal code << 2) | 1 length byte, codes from SEMI E5's table.
  SECTION("L") { check_golden(Item::list({}), "01 00"); }
  SECTION("B") { check_golden(Item::binary({0x00, 0xFF}), "21 02 00 FF"); }
  SECTION("BOOLEAN") { check_golden(Item::boolean({true, false}), "25 02 01 00"); }
  SECTION("A") { check_golden(Item::ascii("Hello"), "41 05 48 65 6C 6C 6F"); }
  SECTION("J") { check_golden(Item::jis8("\xB1"), "45 01 B1"); }
  SECTION("I8") { check_golden(Item::i8({-2}), "61 08 FF FF FF FF FF FF FF FE"); }
  SECTION("I1") { check_golden(Item::i1({-1}), "65 01 FF"); }
  SECTION("I2") { check_golden(Item::i2({-300}), "69 02 FE D4"); }  // −300 = 0xFED4
  SECTION("I4") { check_golden(Item::i4({1, -1}), "71 08 00 00 00 01 FF FF FF FF"); }
  SECTION("F8") { check_golden(Item::f8({1.5}), "81 08 3F F8 00 00 00 00 00 00"); }
  SECTION("F4") { check_golden(Item::f4({1.5f}), "91 04 3F C0 00 00"); }
  SECTION("U8") { check_golden(Item::u8({1}), "A1 08 00 00 00 00 00 00 00 01"); }
  SECTION("U1") { check_golden(Item::u1({255}), "A5 01 FF"); }
  SECTION("U2") { check_golden(Item::u2({258}), "A9 02 01 02"); }
  SECTION("U4") { check_golden(Item::u4({4}), "B1 04 00 00 00 04"); }
  SECTION("the codes themselves, in octal") {
    CHECK(static_cast<int>(Format::Boolean) == 011);
    CHECK(static_cast<int>(Format::I8) == 030);
    CHECK(static_cast<int>(Format::F4) == 044);
    CHECK(static_cast<int>(Format::U4) == 054);
  }
}

TEST_CASE("a published S1F2 body encodes to the published bytes", "[mes][item]") {
  // Wire capture annotated at cnblogs.com/zhuoss/p/21618696 (the bytes after the HSMS header).
  const Item body =
      Item::list({Item::ascii("MDLN1"), Item::ascii("SOFTREV1"), Item::binary({1}),
                  Item::boolean({true}), Item::u1({1}), Item::u2({2}), Item::u4({4})});
  check_golden(body,
               "01 07 41 05 4D 44 4C 4E 31 41 08 53 4F 46 54 52 45 56 31 21 01 01 25 01 01"
               " A5 01 01 A9 02 00 02 B1 04 00 00 00 04");
}

TEST_CASE("the encoder uses the fewest length bytes: 255/256, 65535/65536", "[mes][item]") {
  // Length ≤ 0xFF fits one byte, ≤ 0xFFFF two, ≤ 0xFFFFFF three (SEMI E5 item header).
  auto header_of = [](const Item& item) {
    const auto bytes = encode(item);
    return std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + (bytes[0] & 3) + 1);
  };
  SECTION("binary") {
    CHECK(header_of(Item::binary(std::vector<std::uint8_t>(255))) == hex("21 FF"));
    CHECK(header_of(Item::binary(std::vector<std::uint8_t>(256))) == hex("22 01 00"));
    CHECK(header_of(Item::binary(std::vector<std::uint8_t>(65535))) == hex("22 FF FF"));
    CHECK(header_of(Item::binary(std::vector<std::uint8_t>(65536))) == hex("23 01 00 00"));
  }
  SECTION("a list counts items, not bytes") {
    CHECK(header_of(Item::list(Item::List(255, Item::u1({7})))) == hex("01 FF"));
    CHECK(header_of(Item::list(Item::List(256, Item::u1({7})))) == hex("02 01 00"));
  }
  SECTION("a U4 array counts bytes: 64 values are 256 bytes") {
    CHECK(header_of(Item::u4(std::vector<std::uint32_t>(63))) == hex("B1 FC"));
    CHECK(header_of(Item::u4(std::vector<std::uint32_t>(64))) == hex("B2 01 00"));
  }
  SECTION("the boundary items decode back to themselves") {
    for (std::size_t n : {255u, 256u, 65535u, 65536u}) {
      const Item item = Item::binary(std::vector<std::uint8_t>(n, 0xA5));
      CHECK(decode(encode(item)) == item);
    }
  }
  SECTION("the largest item, 2^24 - 1 bytes, takes three length bytes; one more is refused") {
    CHECK(header_of(Item::binary(std::vector<std::uint8_t>(0xFFFFFF))) == hex("23 FF FF FF"));
    REQUIRE_THROWS_WITH(encode(Item::binary(std::vector<std::uint8_t>(0x1000000))),
                        Equals("SECS-II B item of length 16777216 bytes is above the 16777215 "
                               "that 3 length bytes can hold"));
  }
}

TEST_CASE("decoding rejects malformed bytes, naming the offset and the reason", "[mes][item]") {
  SECTION("a length that is not a multiple of the element size") {
    REQUIRE_THROWS_WITH(decode(hex("01 01 B1 03 00 00 01")),
                        Equals("SECS-II item at byte 2: U4 length 3 is not a multiple of its "
                               "element size 4"));
  }
  SECTION("zero length bytes") {
    REQUIRE_THROWS_WITH(decode(hex("B0")),
                        Equals("SECS-II item at byte 0: header 0xb0 of U4 has zero length "
                               "bytes (accepted: 1 to 3)"));
  }
  SECTION("a truncated item") {
    REQUIRE_THROWS_WITH(decode(hex("41 05 48 65")),
                        Equals("SECS-II item at byte 0: truncated item: A length 5 runs past "
                               "the end, 2 byte(s) remain"));
    REQUIRE_THROWS_WITH(decode(hex("01 02 A5 01 07")),
                        Equals("SECS-II item at byte 0: truncated item: L of 2 items cannot "
                               "fit in the 3 byte(s) that remain (each item takes at least 2)"));
    REQUIRE_THROWS_WITH(decode(hex("A7 00")),
                        Equals("SECS-II item at byte 0: truncated item: header needs 3 length "
                               "byte(s), 1 remain"));
    REQUIRE_THROWS_WITH(decode(hex("")),
                        Equals("SECS-II item at byte 0: truncated item: expected a header "
                               "byte, input ended"));
  }
  SECTION("trailing bytes") {
    REQUIRE_THROWS_WITH(decode(hex("A5 01 07 00 00")),
                        Equals("SECS-II item at byte 3: 2 trailing byte(s) after the item"));
  }
  SECTION("an unknown format code") {
    // 0x0D = code 03 (octal), which SEMI E5 does not assign.
    REQUIRE_THROWS_WITH(decode(hex("0D 00")),
                        Equals("SECS-II item at byte 0: format code 003 (header 0x0d) is not a "
                               "SECS-II format"));
  }
  SECTION("input above the size cap") {
    DecodeOptions options;
    options.max_bytes = 4;
    REQUIRE_THROWS_WITH(decode(hex("A5 01 07 00 00"), options),
                        Equals("SECS-II item at byte 0: input of 5 bytes is above the size cap 4"));
  }
  SECTION("nesting deeper than the limit") {
    DecodeOptions options;
    options.max_depth = 3;
    CHECK(decode(hex("01 01 01 01 01 00"), options) == Item::list({Item::list({Item::list({})})}));
    REQUIRE_THROWS_WITH(decode(hex("01 01 01 01 01 01 01 00"), options),
                        Equals("SECS-II item at byte 6: lists nested deeper than max_depth 3"));
  }
}

TEST_CASE("hostile lengths are rejected before anything is allocated", "[mes][item]") {
  // The largest lengths three bytes can claim (16 MiB of U8, 16 M list entries) with nothing
  // behind them: checked against the remaining bytes, so the error comes without allocating.
  REQUIRE_THROWS_WITH(decode(hex("A3 FF FF F8")),
                      Equals("SECS-II item at byte 0: truncated item: U8 length 16777208 runs "
                             "past the end, 0 byte(s) remain"));
  REQUIRE_THROWS_WITH(decode(hex("03 FF FF FF 01 00")),
                      Contains("L of 16777215 items cannot fit in the 2 byte(s)"));
}

TEST_CASE("decoding tolerates what common peers send", "[mes][item]") {
  SECTION("BOOLEAN true as 0xFF reads as true and re-encodes as 0x01") {
    // REFERENCES.md: peers differ on the true byte; SEMI E5 only says non-zero is true.
    const Item item = decode(hex("25 02 FF 00"));
    CHECK(item == Item::boolean({true, false}));
    CHECK(encode(item) == hex("25 02 01 00"));
  }
  SECTION("more length bytes than needed are read, and re-encoding uses the minimum") {
    const Item item = decode(hex("A7 00 00 01 07"));
    CHECK(item == Item::u1({7}));
    CHECK(encode(item) == hex("A5 01 07"));
  }
}

TEST_CASE("bytes -> item -> bytes is exact for random item trees", "[mes][item]") {
  // Property: decode is the inverse of encode on every tree the generator makes (seeded).
  psw::RngStream rng(20260803);
  for (int i = 0; i < 500; ++i) {
    const Item item = psw::mes::testing::random_item(rng, 4);
    const auto bytes = encode(item);
    const Item back = decode(bytes);
    REQUIRE(back == item);
    REQUIRE(encode(back) == bytes);
  }
}

TEST_CASE("values are read back through typed views", "[mes][item]") {
  const Item item = Item::i2({-1, 2});
  CHECK(item.values<std::int16_t>().size() == 2);
  CHECK(item.values<std::int16_t>()[0] == -1);
  CHECK(item.size() == 2);
  CHECK(item.wire_length() == 4);
  REQUIRE_THROWS_WITH(item.values<std::uint16_t>(), Equals("SECS-II I2 item read as uint16"));
  REQUIRE_THROWS_WITH(item.text(), Equals("SECS-II I2 item has no text (only A and J have)"));
  REQUIRE_THROWS_WITH(Item::of(Format::U4, std::vector<std::int32_t>{1}),
                      Equals("SECS-II U4 values must be uint32, not int32"));
}

TEST_CASE("hex text reads with separators and names a bad digit", "[mes][item]") {
  CHECK(psw::mes::from_hex("0x01 0xAB:cd") == std::vector<std::uint8_t>{0x01, 0xAB, 0xCD});
  CHECK(psw::mes::to_hex(std::vector<std::uint8_t>{0x01, 0xAB}) == "01ab");
  REQUIRE_THROWS_WITH(psw::mes::from_hex("01 zz"),
                      Equals("hex text at character 3: 'z' is not a hex digit"));
  REQUIRE_THROWS_WITH(psw::mes::from_hex("012"),
                      Equals("hex text has an odd number of digits (3)"));
}
