// `psw synth --count N -o DIR`: a synthetic defect-image data set with ground truth.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/inference/synth.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

// A CSV field: quoted when it holds a comma or a quote.
std::string csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string number_name(std::uint64_t i) {
  char name[32];
  std::snprintf(name, sizeof name, "%05llu", static_cast<unsigned long long>(i));
  return name;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

Command add_synth_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "synth",
      "Write synthetic RDL defect images with masks, ground-truth geometry and Repairable/"
      "Scrap labels (psw::inference)");
  struct Options {
    std::uint64_t count = 100;
    std::uint64_t start = 0;
    std::string output;
    std::string modality = "optical";
    std::string format = "png";
    int size = 128;
    double pixel_size_um = 0.0;
    int bit_depth = 8;
    bool colour = false;
    double max_open_length_um = 5.0;
    inference::SynthOptions synth;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("-n,--count", opt->count, "Number of samples (default 100)");
  cmd->add_option("-o,--output", opt->output, "Output directory (created)")->required();
  cmd->add_option("--seed", opt->synth.seed, "Random seed (default 1)");
  cmd->add_option("--start", opt->start, "Index of the first sample (default 0)");
  cmd->add_option("--size", opt->size, "Image width and height in pixels (default 128)");
  cmd->add_option("--pixel-size-um", opt->pixel_size_um,
                  "Fixed pixel size in µm (default: chosen per image, 0.05–0.4 µm)");
  cmd->add_option("--modality", opt->modality, "optical, sem or mixed (default optical)");
  cmd->add_option("--format", opt->format, "png or tiff (default png)");
  cmd->add_option("--bit-depth", opt->bit_depth, "8 or 16 (default 8)");
  cmd->add_flag("--colour", opt->colour, "RGB images instead of grey");
  cmd->add_option("--noise", opt->synth.noise, "Noise strength multiplier (default 1)");
  cmd->add_option("--blur", opt->synth.blur, "Blur strength multiplier (default 1)");
  cmd->add_option("--illumination", opt->synth.illumination,
                  "Illumination-gradient strength multiplier (default 1)");
  cmd->add_option("--max-open-length-um", opt->max_open_length_um,
                  "Repair rule for the labels: longest repairable open in µm (default 5)");

  return {cmd, [opt] {
            // Options, checked before anything is written.
            inference::SynthOptions o = opt->synth;
            o.width_px = o.height_px = opt->size;
            o.modality = inference::modality_from_string(opt->modality);
            o.bit_depth = opt->bit_depth;
            o.colour = opt->colour;
            o.rules.max_open_length_m = opt->max_open_length_um * 1e-6;
            if (opt->pixel_size_um != 0.0) {
              require_in_range("--pixel-size-um", opt->pixel_size_um, Range::open_closed(0, 10));
              o.pixel_size_min_m = o.pixel_size_max_m = opt->pixel_size_um * 1e-6;
            }
            require(opt->format == "png" || opt->format == "tiff",
                    "--format = '" + opt->format + "' is not one of png, tiff");
            require(opt->count >= 1, "--count must be at least 1");
            o.validate();
            const std::filesystem::path dir = opt->output;
            std::filesystem::create_directories(dir);

            // Samples: image, mask and truth per index; a manifest row each.
            std::ostringstream manifest, index;
            manifest << "file,mask,truth,label,kind,length_m,width_m,area_m2,pixel_size_m,"
                        "modality\n";
            index << "{\n  \"seed\": " << o.seed << ",\n  \"count\": " << opt->count
                  << ",\n  \"samples\": [\n";
            const auto t0 = std::chrono::steady_clock::now();
            auto last = t0;
            std::uint64_t scrap = 0;
            for (std::uint64_t k = 0; k < opt->count; ++k) {
              const std::uint64_t i = opt->start + k;
              const inference::SynthSample s = inference::synthesize(o, i);
              const std::string stem = number_name(i);
              const std::string image_name = stem + "." + opt->format;
              const std::string mask_name = stem + "_mask.png";
              inference::save_image(s.image, dir / image_name);
              inference::save_image(s.mask, dir / mask_name);
              write_text(dir / (stem + ".json"), s.to_json() + "\n");
              scrap += s.label() == inference::RepairClass::scrap;
              manifest << image_name << ',' << mask_name << ',' << stem << ".json,"
                       << to_string(s.label()) << ',' << to_string(s.truth.kind) << ','
                       << format_number(s.truth.length_m) << ',' << format_number(s.truth.width_m)
                       << ',' << format_number(s.truth.area_m2) << ','
                       << format_number(*s.image.pixel_size_m) << ','
                       << csv(std::string(to_string(s.modality))) << '\n';
              index << "    {\"image\": \"" << image_name << "\", \"mask\": \"" << mask_name
                    << "\", \"truth\": \"" << stem << ".json\", \"label\": \""
                    << to_string(s.label()) << "\", \"kind\": \"" << to_string(s.truth.kind)
                    << "\"}" << (k + 1 < opt->count ? "," : "") << "\n";

              // Progress about every two seconds on long runs.
              const auto now = std::chrono::steady_clock::now();
              if (now - last > std::chrono::seconds(2)) {
                last = now;
                std::fprintf(stderr, "psw synth: %llu/%llu samples\n",
                             static_cast<unsigned long long>(k + 1),
                             static_cast<unsigned long long>(opt->count));
              }
            }
            index << "  ]\n}\n";
            write_text(dir / "manifest.csv", manifest.str());
            write_text(dir / "index.json", index.str());
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf(
                "%llu samples (%llu Scrap, %llu Repairable) written to %s in %.1f s\n",
                static_cast<unsigned long long>(opt->count), static_cast<unsigned long long>(scrap),
                static_cast<unsigned long long>(opt->count - scrap), dir.string().c_str(), seconds);
            return 0;
          }};
}

}  // namespace psw::cli
