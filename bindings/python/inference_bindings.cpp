// psw.inference: image files, the synthetic defect generator, repairability rules and
// explanations. Images cross as NumPy arrays: uint8 or uint16, (H, W) grey or (H, W, 3) RGB.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <psw/core/error.hpp>
#include <psw/inference/explain.hpp>
#include <psw/inference/image.hpp>
#include <psw/inference/repair_rules.hpp>
#include <psw/inference/synth.hpp>

#include "bindings.hpp"
#include "numpy_util.hpp"

namespace py = pybind11;

namespace psw::python {
namespace {

using namespace psw::inference;

py::array image_to_numpy(const Image& im) {
  std::vector<py::ssize_t> shape{im.height, im.width};
  if (im.channels == 3) shape.push_back(3);
  if (im.bit_depth == 16) {
    std::vector<std::uint16_t> v(im.pixels);
    return to_numpy(std::move(v), shape);
  }
  std::vector<std::uint8_t> v(im.pixels.begin(), im.pixels.end());
  return to_numpy(std::move(v), shape);
}

// An Image from a uint8/uint16 array of shape (H, W), (H, W, 1) or (H, W, 3).
Image image_from_numpy(const py::array& a, std::optional<double> pixel_size_m,
                       const std::string& source) {
  Image im;
  im.source = source;
  im.pixel_size_m = pixel_size_m;
  const bool u8 = py::isinstance<py::array_t<std::uint8_t>>(a);
  const bool u16 = py::isinstance<py::array_t<std::uint16_t>>(a);
  require(u8 || u16, source + ": image dtype " + std::string(py::str(a.dtype())) +
                         " is not supported; use uint8 or uint16");
  require(a.ndim() == 2 || a.ndim() == 3, source +
                                              ": image must have shape (H, W) or (H, W, 3), not " +
                                              std::to_string(a.ndim()) + " dimensions");
  im.height = static_cast<int>(a.shape(0));
  im.width = static_cast<int>(a.shape(1));
  im.channels = a.ndim() == 3 ? static_cast<int>(a.shape(2)) : 1;
  require(im.channels == 1 || im.channels == 3, source + ": image has " +
                                                    std::to_string(im.channels) +
                                                    " channels; it must have 1 (grey) or 3 (RGB)");
  im.bit_depth = u8 ? 8 : 16;
  im.pixels.resize(static_cast<std::size_t>(im.width) * im.height * im.channels);
  if (u8) {
    auto c = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(a);
    std::copy(c.data(), c.data() + c.size(), im.pixels.begin());
  } else {
    auto c = py::array_t<std::uint16_t, py::array::c_style | py::array::forcecast>::ensure(a);
    std::copy(c.data(), c.data() + c.size(), im.pixels.begin());
  }
  return im;
}

RepairRules rules_from_kwargs(py::dict& kw, const std::string& prefix) {
  RepairRules r;
  auto take = [&](const char* key, auto& field) {
    const std::string k = prefix + key;
    if (kw.contains(k)) {
      field = kw[py::str(k)].cast<std::remove_reference_t<decltype(field)>>();
      PyDict_DelItemString(kw.ptr(), k.c_str());
    }
  };
  take("max_open_length_m", r.max_open_length_m);
  take("min_via_clearance_m", r.min_via_clearance_m);
  take("min_line_clearance_m", r.min_line_clearance_m);
  take("bridges_repairable", r.bridges_repairable);
  take("via_adjacent_m", r.via_adjacent_m);
  return r;
}

void reject_leftovers(const py::dict& kw, const std::string& what) {
  if (kw.empty()) return;
  std::string names;
  for (auto item : kw) names += (names.empty() ? "" : ", ") + std::string(py::str(item.first));
  throw std::invalid_argument(what + ": unknown option(s) " + names);
}

SynthOptions synth_options(std::uint64_t seed, const py::kwargs& kwargs) {
  SynthOptions o;
  o.seed = seed;
  auto kw = py::reinterpret_steal<py::dict>(PyDict_Copy(kwargs.ptr()));  // ours to edit
  auto take = [&](const char* key, auto& field) {
    if (kw.contains(key)) {
      field = kw[key].cast<std::remove_reference_t<decltype(field)>>();
      PyDict_DelItemString(kw.ptr(), key);
    }
  };
  take("width_px", o.width_px);
  take("height_px", o.height_px);
  if (kw.contains("size_px")) {
    o.width_px = o.height_px = kw["size_px"].cast<int>();
    PyDict_DelItemString(kw.ptr(), "size_px");
  }
  if (kw.contains("pixel_size_m")) {
    o.pixel_size_min_m = o.pixel_size_max_m = kw["pixel_size_m"].cast<double>();
    PyDict_DelItemString(kw.ptr(), "pixel_size_m");
  }
  take("pixel_size_min_m", o.pixel_size_min_m);
  take("pixel_size_max_m", o.pixel_size_max_m);
  take("line_width_min_m", o.line_width_min_m);
  take("line_width_max_m", o.line_width_max_m);
  take("line_space_min_m", o.line_space_min_m);
  take("line_space_max_m", o.line_space_max_m);
  take("diagonal_fraction", o.diagonal_fraction);
  if (kw.contains("modality")) {
    o.modality = modality_from_string(kw["modality"].cast<std::string>());
    PyDict_DelItemString(kw.ptr(), "modality");
  }
  take("bit_depth", o.bit_depth);
  take("colour", o.colour);
  take("noise", o.noise);
  take("blur", o.blur);
  take("illumination", o.illumination);
  take("near_via_probability", o.near_via_probability);
  take("via_probability", o.via_probability);
  if (kw.contains("kind_weights")) {
    const auto weights = kw["kind_weights"].cast<py::dict>();
    o.kind_weights.fill(0.0);
    for (auto item : weights) {
      const DefectKind k = defect_kind_from_string(py::str(item.first).cast<std::string>());
      bool found = false;
      for (std::size_t i = 0; i < kSynthKinds.size(); ++i) {
        if (kSynthKinds[i] == k) {
          o.kind_weights[i] = item.second.cast<double>();
          found = true;
        }
      }
      require(found, "kind_weights: '" + std::string(to_string(k)) +
                         "' is not a kind the generator draws");
    }
    PyDict_DelItemString(kw.ptr(), "kind_weights");
  }
  o.rules = rules_from_kwargs(kw, "");
  reject_leftovers(kw, "synthesize");
  o.validate();
  return o;
}

}  // namespace

void bind_inference(py::module_& m) {
  m.def(
      "load_image",
      [](const std::string& path) {
        const Image im = load_image(path);
        return py::make_tuple(image_to_numpy(im), im.pixel_size_m);
      },
      py::arg("path"),
      "Reads a PNG or TIFF file: (array, pixel_size_m or None). uint8 or uint16, (H, W) or "
      "(H, W, 3). ValueError naming the file for missing, empty, corrupt or unsupported files.");
  m.def(
      "save_image",
      [](const std::string& path, const py::array& image, std::optional<double> pixel_size_m) {
        save_image(image_from_numpy(image, pixel_size_m, path), path);
      },
      py::arg("path"), py::arg("image"), py::arg("pixel_size_m") = py::none(),
      "Writes a uint8/uint16 array as PNG or TIFF (by extension), with the pixel size (m) as "
      "resolution metadata when given.");
  m.def(
      "_synthesize",
      [](std::uint64_t count, std::uint64_t seed, std::uint64_t start, const py::kwargs& kw) {
        const SynthOptions o = synth_options(seed, kw);
        py::list out;
        for (std::uint64_t i = start; i < start + count; ++i) {
          SynthSample s;
          {
            py::gil_scoped_release release;
            s = synthesize(o, i);
          }
          out.append(py::make_tuple(image_to_numpy(s.image), image_to_numpy(s.mask),
                                    s.image.pixel_size_m, s.to_json()));
        }
        return out;
      },
      py::arg("count"), py::arg("seed"), py::arg("start") = 0);
  m.def(
      "_explain",
      [](const py::array& image, std::optional<double> pixel_size_m, int min_defect_pixels,
         std::optional<std::string> model_class, const py::kwargs& kwargs) {
        auto kw = py::reinterpret_steal<py::dict>(PyDict_Copy(kwargs.ptr()));
        ExplainOptions o;
        o.rules = rules_from_kwargs(kw, "");
        reject_leftovers(kw, "explain");
        o.pixel_size_m = pixel_size_m;
        o.min_defect_pixels = min_defect_pixels;
        const Image im = image_from_numpy(image, std::nullopt, "image");
        Explanation e;
        {
          py::gil_scoped_release release;
          e = explain(im, o);
        }
        std::string with_class;
        if (model_class) {
          RepairClass c = RepairClass::uncertain;
          if (*model_class == "Repairable")
            c = RepairClass::repairable;
          else if (*model_class == "Scrap")
            c = RepairClass::scrap;
          else
            require(
                *model_class == "Uncertain",
                "model_class = '" + *model_class + "' is not one of Repairable, Scrap, Uncertain");
          with_class = explain_with_class(e, c);
        }
        return py::make_tuple(e.to_json(), with_class);
      },
      py::arg("image"), py::arg("pixel_size_m"), py::arg("min_defect_pixels") = 6,
      py::arg("model_class") = py::none());
  m.def(
      "_apply_rules",
      [](const std::string& kind, double length_m, double via_distance_m,
         double neighbour_distance_m, const py::kwargs& kwargs) {
        auto kw = py::reinterpret_steal<py::dict>(PyDict_Copy(kwargs.ptr()));
        const RepairRules r = rules_from_kwargs(kw, "");
        reject_leftovers(kw, "apply_rules");
        r.validate();
        DefectGeometry d;
        d.kind = defect_kind_from_string(kind);
        d.length_m = length_m;
        d.via_distance_m = via_distance_m;
        d.neighbour_distance_m = neighbour_distance_m;
        const RuleVerdict v = apply_rules(d, r);
        return py::make_tuple(std::string(to_string(v.repair_class)), v.reasons, v.margin_m);
      },
      py::arg("kind"), py::arg("length_m"), py::arg("via_distance_m"),
      py::arg("neighbour_distance_m"));
}

}  // namespace psw::python
