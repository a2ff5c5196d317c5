// `psw explain IMAGE... [--pixel-size-um X] [--json] [--rules CASE.yaml]`: what the defect in
// each image is, in micrometres and words, with the repair rules' verdict.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <psw/core/config.hpp>
#include <psw/core/error.hpp>
#include <psw/inference/explain.hpp>
#include <psw/inference/image.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

// A JSON string literal for a file name.
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "explain",
      "Find the defect in RDL images (PNG/TIFF), measure it in µm, relate it to the lines and "
      "vias, and say whether the repair rules allow it");
  struct Options {
    std::vector<std::string> images;
    double pixel_size_um = 0.0;
    bool json = false;
    std::string rules_file;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("images", opt->images, "Image files (PNG or TIFF, 8/16-bit, grey or RGB)")
      ->required();
  cmd->add_option("--pixel-size-um", opt->pixel_size_um,
                  "Pixel size in µm (overrides the files' resolution metadata; required when a "
                  "file has none)");
  cmd->add_flag("--json", opt->json, "Print a JSON array of explanations instead of sentences");
  cmd->add_option("--rules", opt->rules_file,
                  "YAML file with a `repair_rules:` section (max_open_length_um, "
                  "min_via_clearance_um, min_line_clearance_um, bridges_repairable, "
                  "via_adjacent_um)");

  return {cmd, [opt] {
            // Options first: a bad rules file or pixel size stops before any image is read.
            inference::ExplainOptions o;
            if (opt->pixel_size_um != 0.0) {
              require_in_range("--pixel-size-um", opt->pixel_size_um, Range::open_closed(0, 100));
              o.pixel_size_m = opt->pixel_size_um * 1e-6;
            }
            if (!opt->rules_file.empty()) {
              const Config root = Config::load_file(opt->rules_file);
              // Other sections of a case file are left to their own readers.
              o.rules = inference::repair_rules_from_config(root.section("repair_rules"));
            }

            // Each image on its own: a bad file is reported and the others still explained.
            int failures = 0;
            bool first = true;
            if (opt->json) std::printf("[");
            for (const std::string& path : opt->images) {
              try {
                const inference::Explanation e = explain(inference::load_image(path), o);
                if (opt->json) {
                  std::string text = e.to_json();
                  text.insert(1, "\n  \"file\": " + json_string(path) + ",");
                  std::printf("%s\n%s", first ? "" : ",", text.c_str());
                } else {
                  std::printf("%s: %s\n", path.c_str(), e.sentence.c_str());
                }
                first = false;
              } catch (const std::invalid_argument& err) {
                std::fprintf(stderr, "psw: error: %s\n", err.what());
                ++failures;
              }
            }
            if (opt->json) std::printf("\n]\n");
            return failures == 0 ? 0 : 2;
          }};
}

}  // namespace psw::cli
