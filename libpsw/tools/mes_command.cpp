// `psw mes …`: SECS-II items between JSON, hex bytes and SML on stdin/stdout.
//
//   echo '{"L":[{"U4":[1001]},{"A":"ok"}]}' | psw mes encode          → 0102b104000003e941026f6b
//   echo '<L <U4 1001> <A "ok">>'          | psw mes encode          → the same bytes
//   echo 0102b104000003e941026f6b           | psw mes decode --to sml → <L [2] <U4 1001> …>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>

#include "commands.hpp"

namespace psw::cli {

namespace {

std::string read_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// The item in `text`, as JSON or SML: `from` names it, or "auto" looks at the first character.
mes::Item parse_input(const std::string& text, const std::string& from) {
  std::string kind = from;
  if (kind == "auto") {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) throw std::invalid_argument("stdin: no item given");
    kind = text[first] == '{' ? "json" : "sml";
  }
  if (kind == "json") return mes::item_from_json(text);
  return mes::parse_sml_item(text, "<stdin>");
}

}  // namespace

Command add_mes_command(CLI::App& app) {
  auto* mes = app.add_subcommand("mes", "SECS-II items: JSON, hex bytes and SML (SEMI E5)");
  mes->require_subcommand(1);

  auto* encode = mes->add_subcommand(
      "encode", "Read an item as tagged JSON or SML on stdin, write its SECS-II bytes in hex");
  auto from = std::make_shared<std::string>("auto");
  encode->add_option("--from", *from, "Input form: json, sml or auto (by the first character)")
      ->check(CLI::IsMember({"auto", "json", "sml"}));

  auto* decode = mes->add_subcommand(
      "decode", "Read SECS-II bytes in hex on stdin, write the item as tagged JSON or SML");
  auto to = std::make_shared<std::string>("json");
  decode->add_option("--to", *to, "Output form: json or sml")
      ->check(CLI::IsMember({"json", "sml"}));
  auto max_bytes = std::make_shared<std::size_t>(mes::DecodeOptions{}.max_bytes);
  decode->add_option("--max-bytes", *max_bytes, "Refuse input above this many bytes");
  auto indent = std::make_shared<int>(-1);
  decode->add_option("--indent", *indent, "Spaces per level (JSON and SML); -1: one line");

  return {mes, [encode, from, to, max_bytes, indent]() {
            if (encode->parsed()) {
              const mes::Item item = parse_input(read_stdin(), *from);
              std::cout << mes::to_hex(mes::encode(item)) << '\n';
              return 0;
            }
            // decode: hex → item → JSON or SML.
            mes::DecodeOptions options;
            options.max_bytes = *max_bytes;
            const mes::Item item = mes::decode(mes::from_hex(read_stdin()), options);
            std::cout << (*to == "sml" ? mes::to_sml(item, *indent) : mes::to_json(item, *indent))
                      << '\n';
            return 0;
          }};
}

}  // namespace psw::cli
