// libFuzzer target: the SML parser on arbitrary text. It must return a message or throw
// std::invalid_argument ("source:line:column: reason"); an accepted message must print to SML
// that parses back to the same printed text. Built and run by tests/mes/fuzz/run-fuzz.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <psw/mes/sml.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  psw::mes::Message message;
  try {
    message = psw::mes::parse_sml_message(text, "<fuzz>");
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const std::string printed = psw::mes::to_sml(message, -1);
  if (psw::mes::to_sml(psw::mes::parse_sml_message(printed), -1) != printed) {
    std::fprintf(stderr, "sml_parser_fuzz: printed SML is not a fixpoint: %s\n", printed.c_str());
    std::abort();
  }
  return 0;
}
