#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/inference/preprocess.hpp>

namespace psw::inference {
namespace {

using Json = nlohmann::json;

std::size_t area(int width, int height) {
  return static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
}

// One output sample of a 1-D resampling: the input indices and weights it sums.
struct Tap {
  int first = 0;
  std::vector<float> weights;
};

// The 1-D resampling from n_in to n_out samples: box (area) weights when shrinking, bilinear
// when enlarging. Every row of weights sums to one, so constants stay constant.
std::vector<Tap> resampling_taps(int n_in, int n_out) {
  std::vector<Tap> taps(static_cast<std::size_t>(n_out));
  const double scale = static_cast<double>(n_in) / n_out;
  for (int o = 0; o < n_out; ++o) {
    Tap& tap = taps[static_cast<std::size_t>(o)];
    if (scale > 1.0) {
      // Area: output sample o covers input interval [o·s, (o+1)·s).
      const double lo = o * scale;
      const double hi = std::min((o + 1) * scale, static_cast<double>(n_in));
      tap.first = static_cast<int>(std::floor(lo));
      const int last = std::min(static_cast<int>(std::ceil(hi)) - 1, n_in - 1);
      for (int i = tap.first; i <= last; ++i) {
        const double overlap = std::min(hi, i + 1.0) - std::max(lo, static_cast<double>(i));
        tap.weights.push_back(static_cast<float>(overlap / (hi - lo)));
      }
    } else {
      // Bilinear between the two input samples around the output sample's centre.
      const double x = std::clamp((o + 0.5) * scale - 0.5, 0.0, n_in - 1.0);
      tap.first = std::min(static_cast<int>(std::floor(x)), std::max(n_in - 2, 0));
      const double f = x - tap.first;
      tap.weights.push_back(static_cast<float>(1.0 - f));
      if (n_in > 1) tap.weights.push_back(static_cast<float>(f));
    }
  }
  return taps;
}

// A normalised 1-D Gaussian, radius ⌈3σ⌉ limited to n − 1 so one reflection suffices.
std::vector<double> gaussian_kernel(double sigma, int n) {
  const int radius = std::max(0, std::min(static_cast<int>(std::ceil(3.0 * sigma)), n - 1));
  std::vector<double> k(static_cast<std::size_t>(2 * radius + 1));
  double sum = 0.0;
  for (int i = -radius; i <= radius; ++i) {
    const double w = std::exp(-0.5 * (i * i) / (sigma * sigma));
    k[static_cast<std::size_t>(i + radius)] = w;
    sum += w;
  }
  for (double& w : k) w /= sum;
  return k;
}

// Blur of a line of n samples at stride `stride`, borders extended by point reflection.
void blur_line(const double* in, double* out, int n, std::size_t stride,
               const std::vector<double>& kernel) {
  const int radius = static_cast<int>(kernel.size() / 2);
  auto sample = [&](int i) {
    if (i < 0) return 2.0 * in[0] - in[static_cast<std::size_t>(-i) * stride];
    if (i >= n) {
      const int mirrored = 2 * (n - 1) - i;
      return 2.0 * in[static_cast<std::size_t>(n - 1) * stride] -
             in[static_cast<std::size_t>(mirrored) * stride];
    }
    return in[static_cast<std::size_t>(i) * stride];
  };
  for (int i = 0; i < n; ++i) {
    double acc = 0.0;
    for (int k = -radius; k <= radius; ++k) {
      acc += kernel[static_cast<std::size_t>(k + radius)] * sample(i + k);
    }
    out[static_cast<std::size_t>(i) * stride] = acc;
  }
}

void check_image(const Image& image) {
  const std::string name =
      image.source.empty() ? std::string("image") : "image '" + image.source + "'";
  if (image.width <= 0 || image.height <= 0) {
    throw std::invalid_argument(name + " is empty (" + std::to_string(image.width) + " x " +
                                std::to_string(image.height) + " pixels)");
  }
  if (image.channels != 1 && image.channels != 3) {
    throw std::invalid_argument(name + ": channels = " + std::to_string(image.channels) +
                                " is not 1 or 3");
  }
  if (image.bit_depth != 8 && image.bit_depth != 16) {
    throw std::invalid_argument(name + ": bit_depth = " + std::to_string(image.bit_depth) +
                                " is not 8 or 16");
  }
  const std::size_t expected = area(image.width, image.height) * image.channels;
  if (image.pixels.size() != expected) {
    throw std::invalid_argument(
        name + " holds " + std::to_string(image.pixels.size()) +
        " samples, expected width x height x channels = " + std::to_string(expected));
  }
  const auto top = *std::max_element(image.pixels.begin(), image.pixels.end());
  if (top > image.max_value()) {
    throw std::invalid_argument(name + " has a sample " + std::to_string(top) +
                                " above its bit depth's maximum " +
                                std::to_string(image.max_value()));
  }
  if (image.pixel_size_m && !(*image.pixel_size_m > 0.0 && std::isfinite(*image.pixel_size_m))) {
    throw std::invalid_argument(name + ": pixel_size_m = " + format_number(*image.pixel_size_m) +
                                " is not a positive length");
  }
}

// Centre crop or edge-replicating pad of `plane` to width × height.
Plane crop_or_pad(const Plane& plane, int width, int height) {
  Plane out{width, height, std::vector<float>(area(width, height))};
  const int x0 = (plane.width - width) / 2;
  const int y0 = (plane.height - height) / 2;
  for (int y = 0; y < height; ++y) {
    const int sy = std::clamp(y + y0, 0, plane.height - 1);
    for (int x = 0; x < width; ++x) {
      const int sx = std::clamp(x + x0, 0, plane.width - 1);
      out.values[area(width, y) + x] = plane.values[area(plane.width, sy) + sx];
    }
  }
  return out;
}

}  // namespace

// ---- the contract -------------------------------------------------------------------------------

void InputContract::validate() const {
  std::string problems;
  auto check = [&](std::string_view field, double value, const Range& range) {
    if (!range.contains(value)) {
      problems += (problems.empty() ? "" : "; ") + out_of_range_message(field, value, range);
    }
  };
  check("input.width", width, Range::closed(1, 8192));
  check("input.height", height, Range::closed(1, 8192));
  if (channels != 1 && channels != 3) {
    problems += (problems.empty() ? "" : "; ") + std::string("input.channels = ") +
                std::to_string(channels) + " is not 1 or 3";
  }
  if (pixel_size_m) check("input.pixel_size_m", *pixel_size_m, Range::open_closed(0, 1e-3));
  check("input.percentile_low", percentile_low, Range::closed_open(0, 100));
  check("input.percentile_high", percentile_high, Range::open_closed(percentile_low, 100));
  check("input.flat_field_sigma_px", flat_field_sigma_px, Range::open_closed(0, 1000));
  auto check_list = [&](std::string_view field, const std::vector<double>& v, const Range& r) {
    if (v.size() != 1 && v.size() != static_cast<std::size_t>(channels)) {
      problems += (problems.empty() ? "" : "; ") + std::string(field) + " has " +
                  std::to_string(v.size()) + " values; give 1 or one per channel (" +
                  std::to_string(channels) + ")";
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      check(std::string(field) + "[" + std::to_string(i) + "]", v[i], r);
    }
  };
  check_list("input.mean", mean, Range::finite());
  check_list("input.std", std, Range::positive());
  if (!problems.empty()) throw std::invalid_argument(problems);
}

std::string InputContract::to_json() const {
  Json j{{"width", width},
         {"height", height},
         {"channels", channels},
         {"percentile_low", percentile_low},
         {"percentile_high", percentile_high},
         {"flat_field", flat_field},
         {"flat_field_sigma_px", flat_field_sigma_px},
         {"mean", mean},
         {"std", std}};
  j["pixel_size_m"] = pixel_size_m ? Json(*pixel_size_m) : Json(nullptr);
  return j.dump();
}

InputContract InputContract::from_json(std::string_view json, std::string_view where) {
  const std::string prefix = std::string(where) + ": ";
  Json j;
  try {
    j = Json::parse(json);
  } catch (const Json::exception& e) {
    throw std::invalid_argument(prefix + "input contract is not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw std::invalid_argument(prefix + "input contract is not an object");
  InputContract c;
  try {
    for (const auto& [key, value] : j.items()) {
      if (key == "width") {
        c.width = value.get<int>();
      } else if (key == "height") {
        c.height = value.get<int>();
      } else if (key == "channels") {
        c.channels = value.get<int>();
      } else if (key == "pixel_size_m") {
        if (!value.is_null()) c.pixel_size_m = value.get<double>();
      } else if (key == "percentile_low") {
        c.percentile_low = value.get<double>();
      } else if (key == "percentile_high") {
        c.percentile_high = value.get<double>();
      } else if (key == "flat_field") {
        c.flat_field = value.get<bool>();
      } else if (key == "flat_field_sigma_px") {
        c.flat_field_sigma_px = value.get<double>();
      } else if (key == "mean") {
        c.mean = value.is_array() ? value.get<std::vector<double>>()
                                  : std::vector<double>{value.get<double>()};
      } else if (key == "std") {
        c.std = value.is_array() ? value.get<std::vector<double>>()
                                 : std::vector<double>{value.get<double>()};
      } else {
        throw std::invalid_argument(prefix + "unknown key input." + key +
                                    " (known: width, height, channels, pixel_size_m, "
                                    "percentile_low, percentile_high, flat_field, "
                                    "flat_field_sigma_px, mean, std)");
      }
    }
  } catch (const Json::exception& e) {
    throw std::invalid_argument(prefix + "input contract has a value of the wrong type (" +
                                e.what() + ")");
  }
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(prefix + e.what());
  }
  return c;
}

// ---- the steps ----------------------------------------------------------------------------------

std::vector<Plane> to_planes(const Image& image, int channels) {
  check_image(image);
  const std::size_t n = area(image.width, image.height);
  const double scale = 1.0 / image.max_value();
  const auto src = static_cast<std::size_t>(image.channels);
  std::vector<Plane> planes(static_cast<std::size_t>(channels),
                            Plane{image.width, image.height, std::vector<float>(n)});

  // Bit depth → [0, 1]; then channel conversion (repeat grey, or Rec. 601 luma).
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint16_t* s = &image.pixels[i * src];
    if (channels == 1) {
      const double v = src == 1 ? s[0] : 0.299 * s[0] + 0.587 * s[1] + 0.114 * s[2];
      planes[0].values[i] = static_cast<float>(v * scale);
    } else {
      for (std::size_t c = 0; c < 3; ++c) {
        planes[c].values[i] = static_cast<float>(s[src == 1 ? 0 : c] * scale);
      }
    }
  }
  return planes;
}

Plane resample(const Plane& plane, int out_width, int out_height) {
  if (plane.width == out_width && plane.height == out_height) return plane;
  const auto xt = resampling_taps(plane.width, out_width);
  const auto yt = resampling_taps(plane.height, out_height);

  // Rows first (width), then columns (height); separable, so the order does not matter.
  std::vector<float> rows(area(out_width, plane.height));
  for (int y = 0; y < plane.height; ++y) {
    const float* in = &plane.values[area(plane.width, y)];
    for (int x = 0; x < out_width; ++x) {
      const Tap& t = xt[static_cast<std::size_t>(x)];
      double acc = 0.0;
      for (std::size_t k = 0; k < t.weights.size(); ++k) acc += t.weights[k] * in[t.first + k];
      rows[area(out_width, y) + x] = static_cast<float>(acc);
    }
  }
  Plane out{out_width, out_height, std::vector<float>(area(out_width, out_height))};
  for (int y = 0; y < out_height; ++y) {
    const Tap& t = yt[static_cast<std::size_t>(y)];
    for (int x = 0; x < out_width; ++x) {
      double acc = 0.0;
      for (std::size_t k = 0; k < t.weights.size(); ++k) {
        acc += t.weights[k] * rows[area(out_width, t.first + static_cast<int>(k)) + x];
      }
      out.values[area(out_width, y) + x] = static_cast<float>(acc);
    }
  }
  return out;
}

void flat_field(Plane& plane, double sigma_px) {
  require_in_range("flat_field_sigma_px", sigma_px, Range::open_closed(0, 1000));
  const std::size_t n = plane.values.size();
  std::vector<double> in(plane.values.begin(), plane.values.end());
  std::vector<double> tmp(n);
  std::vector<double> background(n);

  // B = G_σ * I, separable, point-reflected borders.
  const auto kx = gaussian_kernel(sigma_px, plane.width);
  const auto ky = gaussian_kernel(sigma_px, plane.height);
  for (int y = 0; y < plane.height; ++y) {
    blur_line(&in[area(plane.width, y)], &tmp[area(plane.width, y)], plane.width, 1, kx);
  }
  for (int x = 0; x < plane.width; ++x) {
    blur_line(&tmp[static_cast<std::size_t>(x)], &background[static_cast<std::size_t>(x)],
              plane.height, static_cast<std::size_t>(plane.width), ky);
  }

  // I ← I · mean(B) / B, with B floored at 1e-3 of its mean (a dark corner is not a gain).
  double mean_b = 0.0;
  for (double b : background) mean_b += b;
  mean_b /= static_cast<double>(n);
  if (!(mean_b > 0.0)) return;  // an all-black image has no illumination to correct
  const double floor_b = 1e-3 * mean_b;
  for (std::size_t i = 0; i < n; ++i) {
    plane.values[i] = static_cast<float>(in[i] * mean_b / std::max(background[i], floor_b));
  }
}

double percentile(std::vector<float> values, double p) {
  if (values.empty()) throw std::invalid_argument("percentile of no values");
  require_in_range("percentile", p, Range::closed(0, 100));

  // Rank r = p/100 · (n − 1), interpolated between the order statistics around it.
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double v_lo = values[lo];
  double v_hi = v_lo;
  if (hi != lo) {
    v_hi = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  }
  return v_lo + (rank - static_cast<double>(lo)) * (v_hi - v_lo);
}

void percentile_contrast(std::vector<Plane>& planes, double low, double high) {
  std::vector<float> all;
  for (const Plane& p : planes) all.insert(all.end(), p.values.begin(), p.values.end());
  const double p_lo = percentile(all, low);
  const double p_hi = percentile(std::move(all), high);
  const double span = p_hi - p_lo;
  for (Plane& p : planes) {
    for (float& v : p.values) {
      v = span < 1e-12 ? 0.0f : static_cast<float>(std::clamp((v - p_lo) / span, 0.0, 1.0));
    }
  }
}

void preprocess_into(const Image& image, const InputContract& contract, float* out) {
  std::vector<Plane> planes = to_planes(image, contract.channels);

  // Resample: to the model's pixel size and field of view when both sizes are known.
  const bool physical = contract.pixel_size_m && image.pixel_size_m;
  if (contract.pixel_size_m && !image.pixel_size_m) {
    log::warn_once("psw.inference.no_pixel_size",
                   "image '" + image.source +
                       "' states no pixel size; resizing the whole image "
                       "to the model input instead of resampling to the model's " +
                       format_number(*contract.pixel_size_m * 1e6) + " um pixels");
  }
  for (Plane& p : planes) {
    if (physical) {
      const double scale = *image.pixel_size_m / *contract.pixel_size_m;
      const int w = std::max(1, static_cast<int>(std::lround(p.width * scale)));
      const int h = std::max(1, static_cast<int>(std::lround(p.height * scale)));
      p = crop_or_pad(resample(p, w, h), contract.width, contract.height);
    } else {
      p = resample(p, contract.width, contract.height);
    }
  }

  // Flat-field, contrast, normalisation.
  if (contract.flat_field) {
    for (Plane& p : planes) flat_field(p, contract.flat_field_sigma_px);
  }
  percentile_contrast(planes, contract.percentile_low, contract.percentile_high);
  const std::size_t n = area(contract.width, contract.height);
  for (std::size_t c = 0; c < planes.size(); ++c) {
    const double m = contract.mean[contract.mean.size() == 1 ? 0 : c];
    const double s = contract.std[contract.std.size() == 1 ? 0 : c];
    for (std::size_t i = 0; i < n; ++i) {
      out[c * n + i] = static_cast<float>((planes[c].values[i] - m) / s);
    }
  }
}

std::vector<float> preprocess(const Image& image, const InputContract& contract) {
  contract.validate();
  std::vector<float> out(area(contract.width, contract.height) * contract.channels);
  preprocess_into(image, contract, out.data());
  return out;
}

}  // namespace psw::inference
