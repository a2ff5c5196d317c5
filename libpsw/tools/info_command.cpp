// `psw info RESULTS.h5`: what a results file holds. The root attributes (versions, the input
// case), every dataset with its shape (and its value when it is a scalar), and the attributes
// of groups and datasets (statuses, reasons, codes).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <hdf5.h>

#include <psw/io/results_file.hpp>

#include "commands.hpp"

namespace psw::cli {
namespace {

using Attributes = std::vector<std::pair<std::string, std::string>>;

// Closes an HDF5 handle on scope exit.
struct Closer {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Closer() {
    if (id >= 0) close(id);
  }
};

// One attribute as text: strings as they are, numbers with %.10g, arrays as a count.
std::string attribute_text(hid_t attribute) {
  const Closer type{H5Aget_type(attribute), H5Tclose};
  const Closer space{H5Aget_space(attribute), H5Sclose};
  const hssize_t count = H5Sget_simple_extent_npoints(space.id);
  if (H5Tget_class(type.id) == H5T_STRING && count == 1) {
    if (H5Tis_variable_str(type.id) > 0) {
      char* text = nullptr;
      const Closer memory{H5Tcopy(H5T_C_S1), H5Tclose};
      H5Tset_size(memory.id, H5T_VARIABLE);
      H5Tset_cset(memory.id, H5Tget_cset(type.id));  // HDF5 converts no character sets
      if (H5Aread(attribute, memory.id, &text) < 0 || text == nullptr) return "(unreadable)";
      std::string out(text);
      H5free_memory(text);
      return out;
    }
    std::string text(H5Tget_size(type.id), '\0');
    if (H5Aread(attribute, type.id, text.data()) < 0) return "(unreadable)";
    return text.substr(0, text.find('\0'));
  }
  const H5T_class_t kind = H5Tget_class(type.id);
  if ((kind == H5T_FLOAT || kind == H5T_INTEGER) && count == 1) {
    double value = 0.0;
    if (H5Aread(attribute, H5T_NATIVE_DOUBLE, &value) < 0) return "(unreadable)";
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
  }
  return "(" + std::to_string(count) + " values)";
}

herr_t collect_attribute(hid_t location, const char* name, const H5A_info_t*, void* data) {
  const Closer attribute{H5Aopen(location, name, H5P_DEFAULT), H5Aclose};
  if (attribute.id < 0) return 0;
  static_cast<Attributes*>(data)->emplace_back(name, attribute_text(attribute.id));
  return 0;
}

Attributes attributes_of(hid_t object) {
  Attributes out;
  hsize_t index = 0;
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &out);
  return out;
}

// Attributes of every group and dataset below the root, by object path.
herr_t collect_object(hid_t root, const char* name, const H5O_info_t*, void* data) {
  if (std::string(name) == ".") return 0;
  const Closer object{H5Oopen(root, name, H5P_DEFAULT), H5Oclose};
  if (object.id < 0) return 0;
  auto* out = static_cast<std::vector<std::pair<std::string, Attributes>>*>(data);
  Attributes attributes = attributes_of(object.id);
  if (!attributes.empty()) out->emplace_back("/" + std::string(name), std::move(attributes));
  return 0;
}

// A value for one line: multi-line text (a case, a stage file) is summarised.
std::string one_line(const std::string& name, const std::string& value,
                     const std::filesystem::path& path) {
  const auto lines = static_cast<std::size_t>(std::count(value.begin(), value.end(), '\n'));
  if (lines == 0) return value;
  return "(" + std::to_string(lines) + " lines of text; `psw info " + path.string() +
         " --attribute " + name + "` prints them)";
}

struct InfoOptions {
  std::string path;
  std::string attribute;
};

int run_info(const InfoOptions& options) {
  const std::filesystem::path path = options.path;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (!std::filesystem::is_regular_file(path)) {
    throw std::invalid_argument("info: no results file '" + path.string() + "'");
  }
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw std::invalid_argument("info: '" + path.string() + "' is not an HDF5 file");
  }
  const Closer file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (file.id < 0) throw std::runtime_error("info: cannot open '" + path.string() + "'");
  const Attributes root = attributes_of(file.id);

  // --attribute NAME: that root attribute's text, exactly.
  if (!options.attribute.empty()) {
    for (const auto& [name, value] : root) {
      if (name != options.attribute) continue;
      std::fputs(value.c_str(), stdout);
      if (value.empty() || value.back() != '\n') std::fputc('\n', stdout);
      return 0;
    }
    std::string names;
    for (const auto& entry : root) names += (names.empty() ? "" : ", ") + entry.first;
    throw std::invalid_argument("info: '" + path.string() + "' has no root attribute '" +
                                options.attribute + "'; it has: " + names);
  }

  // Root attributes, datasets, then the attributes of groups and datasets.
  std::printf("%s\n", path.c_str());
  for (const auto& [name, value] : root) {
    std::printf("  %s = %s\n", name.c_str(), one_line(name, value, path).c_str());
  }
  const std::vector<std::string> datasets = io::list_datasets(path);
  std::printf("datasets (%zu):\n", datasets.size());
  for (const std::string& line : datasets) {
    const std::string dataset = line.substr(0, line.rfind(" ["));
    if (line.size() >= 3 && line.compare(line.size() - 3, 3, " []") == 0) {
      double value = 0.0;
      try {
        value = io::read_dataset(path, dataset).at(0);
      } catch (const std::exception&) {
        std::printf("  %s\n", line.c_str());
        continue;
      }
      std::printf("  %s = %.10g\n", line.c_str(), value);
    } else {
      std::printf("  %s\n", line.c_str());
    }
  }
  std::vector<std::pair<std::string, Attributes>> objects;
  H5Ovisit2(file.id, H5_INDEX_NAME, H5_ITER_INC, collect_object, &objects, H5O_INFO_BASIC);
  if (!objects.empty()) std::printf("attributes:\n");
  for (const auto& [object, attributes] : objects) {
    for (const auto& [name, value] : attributes) {
      std::printf("  %s @%s = %s\n", object.c_str(), name.c_str(), value.c_str());
    }
  }
  return 0;
}

}  // namespace

Command add_info_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Print what a psw results file (HDF5) holds");
  auto options = std::make_shared<InfoOptions>();
  cmd->add_option("file", options->path, "Results file written with -o")->required();
  cmd->add_option("--attribute", options->attribute,
                  "Print only this root attribute's text (e.g. `case`, the input case)");
  return {cmd, [options] { return run_info(*options); }};
}

}  // namespace psw::cli
