// Normalisation of a microscope image into a classifier's input tensor.
//
// The steps, in this order (each a public function so tests and tools can run one alone):
//   1. samples → [0, 1] by the bit depth: v = s / (2^bits − 1);
//   2. channels: grey → RGB repeats the plane; RGB → grey is Rec. 601 luma
//      Y = 0.299 R + 0.587 G + 0.114 B;
//   3. resampling: when the contract and the image both state a pixel size, the image is
//      rescaled by image_px / target_px (area averaging when shrinking, bilinear when
//      enlarging), then centre-cropped or edge-padded to height × width, so the model always
//      sees the same field of view in metres; otherwise the whole image is resized to
//      height × width;
//   4. flat-field (optional): I ← I · mean(B) / B with B = G_σ * I, a Gaussian blur whose
//      borders are extended by point reflection, f(−k) = 2 f(0) − f(k), so that a linear
//      illumination gradient is blurred into itself and divided out exactly;
//   5. percentile contrast: v ← clamp((v − P_lo) / (P_hi − P_lo), 0, 1), with P the
//      percentiles of all samples of the resampled image (linear interpolation between order
//      statistics, NumPy's default);
//   6. v ← (v − mean[c]) / std[c] per channel, written as NCHW float.
//
// The training script calls the same function through the Python binding
// (psw.inference.preprocess), so training and inference cannot normalise differently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <psw/inference/image.hpp>

namespace psw::inference {

/// What a model expects as input, stored with the model (ONNX metadata `psw.model` or a
/// sidecar `<model>.json`, key "input").
struct InputContract {
  int width = 64;    ///< model input width in pixels, [1, 8192]
  int height = 64;   ///< model input height in pixels, [1, 8192]
  int channels = 1;  ///< 1 (grey) or 3 (RGB)
  /// Pixel size the model was trained at, metres, (0, 1e-3]; empty: resize whole images.
  std::optional<double> pixel_size_m;
  double percentile_low = 1.0;    ///< [0, 100), below percentile_high
  double percentile_high = 99.0;  ///< (0, 100]
  bool flat_field = false;
  double flat_field_sigma_px = 8.0;  ///< blur σ in model-input pixels, (0, 1000]
  std::vector<double> mean{0.0};     ///< one value, or one per channel
  std::vector<double> std{1.0};      ///< one value, or one per channel; each > 0

  /// @throws std::invalid_argument naming every field that is out of range.
  void validate() const;

  /// {"width": 64, "height": 64, "channels": 1, "pixel_size_m": 2.5e-7, ...}
  std::string to_json() const;
  /// Parses to_json()'s form; unknown keys are an error. `where` names the source in messages.
  /// @throws std::invalid_argument naming the bad key or value and `where`.
  static InputContract from_json(std::string_view json, std::string_view where);
};

/// One image plane of floats, row-major.
struct Plane {
  int width = 0;
  int height = 0;
  std::vector<float> values;
};

/// Steps 1–2: one plane per contract channel, in [0, 1].
std::vector<Plane> to_planes(const Image& image, int channels);

/// Area-averaging (shrink) or bilinear (enlarge) resampling to out_width × out_height.
/// A constant plane stays constant; the mean is preserved for area averaging.
Plane resample(const Plane& plane, int out_width, int out_height);

/// Step 4 on one plane; see the header comment.
void flat_field(Plane& plane, double sigma_px);

/// The p-th percentile (0–100) of `values`, NumPy's "linear" definition.
double percentile(std::vector<float> values, double p);

/// Step 5 on all planes together (one P_lo and P_hi for all channels). A flat image, where
/// P_hi − P_lo is below 1e-12, maps to 0.
void percentile_contrast(std::vector<Plane>& planes, double low, double high);

/// Steps 1–6: the model input for one image, channels × height × width floats.
/// @throws std::invalid_argument naming the image (Image::source) when it is empty,
///         inconsistent (pixel count, channels, bit depth) or has samples above its bit depth.
std::vector<float> preprocess(const Image& image, const InputContract& contract);

/// preprocess() written to `out`, which holds channels × height × width floats.
void preprocess_into(const Image& image, const InputContract& contract, float* out);

}  // namespace psw::inference
