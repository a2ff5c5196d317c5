// psw.inference, the classifier side: the input contract and preprocessing (which the
// training script calls, so training and inference normalise identically), ONNX model
// metadata, the engines and the Classifier. Images are NumPy arrays: uint8 or uint16,
// shaped (height, width) or (height, width, 1|3).
#include <optional>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <psw/inference/classifier.hpp>
#include <psw/inference/onnx_model.hpp>
#include <psw/inference/preprocess.hpp>

#include "bindings.hpp"
#include "numpy_util.hpp"

namespace py = pybind11;

namespace psw::python {
namespace {

using namespace psw::inference;

const char* decision_name(RepairClass c) {
  switch (c) {
    case RepairClass::repairable:
      return "Repairable";
    case RepairClass::scrap:
      return "Scrap";
    case RepairClass::uncertain:
      break;
  }
  return "Uncertain";
}

// A NumPy array (uint8 / uint16; (H, W) or (H, W, C)) as an Image.
Image image_from_array(const py::array& array, std::optional<double> pixel_size_m,
                       const std::string& source) {
  Image image;
  image.source = source;
  image.pixel_size_m = pixel_size_m;
  const py::dtype dt = array.dtype();
  if (dt.is(py::dtype::of<std::uint8_t>())) {
    image.bit_depth = 8;
  } else if (dt.is(py::dtype::of<std::uint16_t>())) {
    image.bit_depth = 16;
  } else {
    throw py::value_error(source + ": image dtype " +
                          py::str(static_cast<const py::handle&>(dt)).cast<std::string>() +
                          " is not uint8 or uint16");
  }
  if (array.ndim() != 2 && array.ndim() != 3) {
    throw py::value_error(source + ": image has " + std::to_string(array.ndim()) +
                          " dimensions; expected (height, width) or (height, width, channels)");
  }
  image.height = static_cast<int>(array.shape(0));
  image.width = static_cast<int>(array.shape(1));
  image.channels = array.ndim() == 3 ? static_cast<int>(array.shape(2)) : 1;
  if (image.channels != 1 && image.channels != 3) {
    throw py::value_error(source + ": image has " + std::to_string(image.channels) +
                          " channels; expected 1 or 3");
  }
  const auto samples = py::array_t<std::uint16_t, py::array::c_style | py::array::forcecast>(array);
  image.pixels.assign(samples.data(), samples.data() + samples.size());
  return image;
}

// One item of a batch: an array, or a dict from psw.inference.synthesize() with "image" and
// "pixel_size_m".
Image image_from_item(const py::handle& item, std::optional<double> pixel_size_m,
                      const std::string& source) {
  if (py::isinstance<py::dict>(item)) {
    const auto d = py::reinterpret_borrow<py::dict>(item);
    if (!d.contains("image")) throw py::value_error(source + ": dict has no 'image' key");
    if (!pixel_size_m && d.contains("pixel_size_m") && !d["pixel_size_m"].is_none()) {
      pixel_size_m = d["pixel_size_m"].cast<double>();
    }
    return image_from_array(py::array::ensure(d["image"]), pixel_size_m, source);
  }
  const py::array a = py::array::ensure(item);
  if (!a) throw py::value_error(source + " is not an array");
  return image_from_array(a, pixel_size_m, source);
}

std::vector<Image> images_from(const py::object& images, std::optional<double> pixel_size_m) {
  std::vector<Image> out;
  if (py::isinstance<py::array>(images) || py::isinstance<py::dict>(images)) {
    out.push_back(image_from_item(images, pixel_size_m, "image"));
    return out;
  }
  std::size_t i = 0;
  for (const py::handle item : images) {
    out.push_back(image_from_item(item, pixel_size_m, "image #" + std::to_string(i++)));
  }
  return out;
}

py::dict model_dict(const ModelSpec& spec) {
  py::dict d;
  d["path"] = spec.path;
  d["classes"] = spec.classes;
  d["input"] = spec.input;
  d["temperature"] = spec.temperature;
  d["confidence_threshold"] = spec.confidence_threshold;
  d["metadata_source"] = spec.source;
  d["card"] = py::module_::import("json").attr("loads")(spec.card_json);
  d["input_name"] = spec.onnx.inputs[0].name;
  d["input_shape"] = spec.onnx.inputs[0].shape;
  d["output_name"] = spec.onnx.outputs[0].name;
  d["opset"] = spec.onnx.opset;
  return d;
}

py::dict classification_dict(const Classification& c) {
  py::dict d;
  d["decision"] = decision_name(c.decision);
  d["label"] = c.label;
  d["class_index"] = c.class_index;
  d["confidence"] = c.confidence;
  d["probabilities"] = c.probabilities;
  d["logits"] = c.logits;
  d["backend"] = c.backend;
  return d;
}

}  // namespace

void bind_inference_classifier(py::module_& m) {
  py::class_<InputContract>(m, "InputContract",
                            "What a model expects: input size, channels, pixel size (m), "
                            "percentile contrast, flat-field, mean/std.")
      .def(py::init<>())
      .def_readwrite("width", &InputContract::width)
      .def_readwrite("height", &InputContract::height)
      .def_readwrite("channels", &InputContract::channels)
      .def_readwrite("pixel_size_m", &InputContract::pixel_size_m)
      .def_readwrite("percentile_low", &InputContract::percentile_low)
      .def_readwrite("percentile_high", &InputContract::percentile_high)
      .def_readwrite("flat_field", &InputContract::flat_field)
      .def_readwrite("flat_field_sigma_px", &InputContract::flat_field_sigma_px)
      .def_readwrite("mean", &InputContract::mean)
      .def_readwrite("std", &InputContract::std)
      .def("validate", &InputContract::validate)
      .def("to_json", &InputContract::to_json)
      .def_static("from_json", &InputContract::from_json, py::arg("json"),
                  py::arg("where") = "input contract")
      .def("__repr__", [](const InputContract& c) { return "InputContract(" + c.to_json() + ")"; });

  m.def(
      "preprocess",
      [](const py::object& image, const InputContract& contract,
         std::optional<double> pixel_size_m) {
        const Image img = image_from_item(image, pixel_size_m, "image");
        std::vector<float> out;
        {
          py::gil_scoped_release release;
          out = preprocess(img, contract);
        }
        return to_numpy(std::move(out), {contract.channels, contract.height, contract.width});
      },
      py::arg("image"), py::arg("contract"), py::arg("pixel_size_m") = py::none(),
      "The model input (channels, height, width) float32 for one uint8/uint16 image (or a "
      "synthesize() dict); pixel_size_m in metres. The same code psw classify runs.");
  m.def(
      "percentile",
      [](const py::array_t<float, py::array::c_style | py::array::forcecast>& v, double p) {
        return percentile(std::vector<float>(v.data(), v.data() + v.size()), p);
      },
      py::arg("values"), py::arg("p"), "NumPy's linear percentile, as preprocessing uses it.");
  m.def(
      "softmax",
      [](const py::array_t<float, py::array::c_style | py::array::forcecast>& logits,
         double temperature) {
        return softmax(logits.data(), static_cast<std::size_t>(logits.size()), temperature);
      },
      py::arg("logits"), py::arg("temperature") = 1.0);

  m.def(
      "read_onnx_model_info",
      [](const std::filesystem::path& path) {
        const OnnxModelInfo info = read_onnx_model_info(path);
        auto tensors = [](const std::vector<OnnxTensorInfo>& ts) {
          py::list l;
          for (const auto& t : ts) {
            l.append(py::dict(py::arg("name") = t.name, py::arg("element_type") = t.element_type,
                              py::arg("shape") = t.shape));
          }
          return l;
        };
        return py::dict(
            py::arg("ir_version") = info.ir_version, py::arg("opset") = info.opset,
            py::arg("producer") = info.producer, py::arg("inputs") = tensors(info.inputs),
            py::arg("outputs") = tensors(info.outputs), py::arg("metadata") = info.metadata,
            py::arg("node_count") = info.node_count);
      },
      py::arg("path"), "Inputs, outputs, opset and metadata_props of an ONNX file.");
  m.def(
      "load_model_spec",
      [](const std::filesystem::path& p) { return model_dict(load_model_spec(p)); },
      py::arg("model"), "The model's contract, classes, temperature, threshold and card.");
  m.def("default_model_path", &default_model_path);
  m.def(
      "onnxruntime_status",
      [] {
        const OnnxRuntimeStatus s = onnxruntime_status();
        return py::dict(py::arg("compiled_in") = s.compiled_in, py::arg("loaded") = s.loaded,
                        py::arg("library") = s.library, py::arg("version") = s.version,
                        py::arg("message") = s.message);
      },
      "Whether ONNX Runtime's library loads, from where, or why not.");

  py::class_<Classifier>(m, "Classifier",
                         "Classifies defect images with an ONNX model (default: psw's "
                         "reference model) on backend 'auto', 'onnxruntime' or 'opencv'.")
      .def(py::init([](std::optional<std::filesystem::path> model, const std::string& backend,
                       int threads, std::size_t batch_size, std::optional<double> temperature,
                       std::optional<double> confidence_threshold) {
             ClassifierOptions o;
             if (model) o.model = *model;
             o.backend = backend;
             o.threads = threads;
             o.batch_size = batch_size;
             o.temperature = temperature;
             o.confidence_threshold = confidence_threshold;
             return Classifier(std::move(o));
           }),
           py::arg("model") = py::none(), py::arg("backend") = "auto", py::arg("threads") = 1,
           py::arg("batch_size") = 8, py::arg("temperature") = py::none(),
           py::arg("confidence_threshold") = py::none())
      .def(
          "classify",
          [](Classifier& c, const py::object& images, std::optional<double> pixel_size_m) {
            const std::vector<Image> batch = images_from(images, pixel_size_m);
            std::vector<Classification> results;
            {
              py::gil_scoped_release release;
              results = c.classify(batch);
            }
            py::list out;
            for (const auto& r : results) out.append(classification_dict(r));
            return out;
          },
          py::arg("images"), py::arg("pixel_size_m") = py::none(),
          "A list of result dicts (decision, label, class_index, confidence, probabilities, "
          "logits, backend) for an image, a list of images, or synthesize() samples.")
      .def(
          "logits",
          [](Classifier& c,
             const py::array_t<float, py::array::c_style | py::array::forcecast>& x) {
            if (x.ndim() != 4) throw py::value_error("batch must be (N, C, H, W) float32");
            const auto n = static_cast<std::size_t>(x.shape(0));
            std::vector<float> in(x.data(), x.data() + x.size());
            std::vector<float> z;
            {
              py::gil_scoped_release release;
              z = c.logits(in, n);
            }
            const auto k = static_cast<py::ssize_t>(c.model().classes.size());
            return to_numpy(std::move(z), {static_cast<py::ssize_t>(n), k});
          },
          py::arg("batch"), "The engine's raw logits (N, classes) for preprocessed inputs.")
      .def_property_readonly("backend",
                             [](const Classifier& c) { return std::string(c.backend_name()); })
      .def_property_readonly("model", [](const Classifier& c) { return model_dict(c.model()); })
      .def_property_readonly("temperature", &Classifier::temperature)
      .def_property_readonly("confidence_threshold", &Classifier::confidence_threshold);
}

}  // namespace psw::python
