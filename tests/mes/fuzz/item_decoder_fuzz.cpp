// libFuzzer target: the SECS-II item decoder on arbitrary bytes.
//
// Properties checked on every input, beyond "no crash, no sanitizer report, no hang":
// - decode either returns an item or throws std::invalid_argument, nothing else;
// - an accepted item re-encodes to bytes that decode to the same item (item → bytes → item);
// - its SML and tagged JSON are fixpoints: text → item → text gives the same text (NaN
//   payloads are not carried by text, so the texts are compared, not the items).
// Built and run by tests/mes/fuzz/run-fuzz.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "item_decoder_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  psw::mes::DecodeOptions options;
  options.max_bytes = 1 << 16;
  psw::mes::Item item;
  try {
    item = psw::mes::decode({data, size}, options);
  } catch (const std::invalid_argument&) {
    return 0;  // malformed input, rejected as it should be
  }
  const auto bytes = psw::mes::encode(item);
  check(psw::mes::decode(bytes, options) == item, "decode(encode(item)) == item");

  const std::string sml = psw::mes::to_sml(item, -1);
  check(psw::mes::to_sml(psw::mes::parse_sml_item(sml), -1) == sml, "SML fixpoint");
  const std::string json = psw::mes::to_json(item);
  check(psw::mes::to_json(psw::mes::item_from_json(json)) == json, "JSON fixpoint");
  return 0;
}
