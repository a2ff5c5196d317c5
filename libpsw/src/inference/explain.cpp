#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <numbers>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <psw/core/error.hpp>
#include <psw/inference/explain.hpp>

namespace psw::inference {

void ExplainOptions::validate() const {
  if (pixel_size_m) {
    require_in_range("pixel_size_m", *pixel_size_m, Range::open_closed(0.0, 1e-4));
  }
  require_in_range("min_defect_pixels", min_defect_pixels, Range::closed(1, 1e6));
  rules.validate();
}

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- step 1: grey levels, flat field, contrast --------------------------------------------

cv::Mat to_grey(const Image& im) {
  cv::Mat g(im.height, im.width, CV_32F);
  const float scale = 1.0f / static_cast<float>(im.max_value());
  for (int y = 0; y < im.height; ++y) {
    for (int x = 0; x < im.width; ++x) {
      float s = 0.0f;
      for (int c = 0; c < im.channels; ++c) s += im.at(x, y, c);
      g.at<float>(y, x) = s * scale / static_cast<float>(im.channels);
    }
  }
  return g;
}

double otsu(const cv::Mat& f) {
  cv::Mat u8;
  f.convertTo(u8, CV_8U, 255.0);
  cv::Mat dummy;
  return cv::threshold(u8, dummy, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU) / 255.0;
}

float median_of(std::vector<float> v) {
  if (v.empty()) return 0.0f;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Divides out a smooth gain g(x, y) = quadratic in x and y, fitted so that each pixel is its
// class level (metal or dielectric by Otsu) times g; then stretches the 1–99 % percentiles.
cv::Mat flat_field(const cv::Mat& grey) {
  cv::Mat img = grey.clone();
  const int H = img.rows, W = img.cols;
  for (int pass = 0; pass < 2; ++pass) {
    const double t = otsu(img);
    std::vector<float> hi, lo;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        (img.at<float>(y, x) > t ? hi : lo).push_back(img.at<float>(y, x));
    const float Lh = std::max(median_of(hi), 1e-4f), Ll = std::max(median_of(lo), 1e-4f);
    // Least squares for g: rows [1 x y x² xy y²], targets I / L(class); every 2nd pixel.
    cv::Mat A(0, 6, CV_64F), b(0, 1, CV_64F);
    std::vector<double> rowsA;
    std::vector<double> rowsb;
    for (int y = 0; y < H; y += 2) {
      for (int x = 0; x < W; x += 2) {
        const double v = grey.at<float>(y, x);
        const double xn = (x + 0.5) / W - 0.5, yn = (y + 0.5) / H - 0.5;
        const double L = img.at<float>(y, x) > t ? Lh : Ll;
        rowsA.insert(rowsA.end(), {1.0, xn, yn, xn * xn, xn * yn, yn * yn});
        rowsb.push_back(v / L);
      }
    }
    A = cv::Mat(static_cast<int>(rowsb.size()), 6, CV_64F, rowsA.data());
    b = cv::Mat(static_cast<int>(rowsb.size()), 1, CV_64F, rowsb.data());
    cv::Mat coef;
    if (!cv::solve(A, b, coef, cv::DECOMP_SVD)) break;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        const double xn = (x + 0.5) / W - 0.5, yn = (y + 0.5) / H - 0.5;
        const double* c = coef.ptr<double>();
        double g = c[0] + c[1] * xn + c[2] * yn + c[3] * xn * xn + c[4] * xn * yn + c[5] * yn * yn;
        g = std::max(g, 0.05);
        img.at<float>(y, x) = static_cast<float>(grey.at<float>(y, x) / g);
      }
    }
  }
  // Percentile stretch.
  std::vector<float> all(img.begin<float>(), img.end<float>());
  std::sort(all.begin(), all.end());
  const float p1 = all[all.size() / 100], p99 = all[all.size() * 99 / 100];
  const float span = std::max(p99 - p1, 1e-6f);
  img = (img - p1) / span;
  return img;
}

// ---- step 2: orientation and the rotated frame -------------------------------------------

double line_angle_deg(const cv::Mat& img) {
  cv::Mat s, gx, gy;
  cv::GaussianBlur(img, s, cv::Size(0, 0), 1.5);
  cv::Sobel(s, gx, CV_64F, 1, 0, 3);
  cv::Sobel(s, gy, CV_64F, 0, 1, 3);
  const double jxx = gx.dot(gx), jyy = gy.dot(gy), jxy = gx.dot(gy);
  // Gradient direction θg (image coordinates, y down) points across the lines: n = (sin A,
  // cos A) for a line angle A (counter-clockwise, y up), so A = 90° − θg.
  const double theta_g = 0.5 * std::atan2(2.0 * jxy, jxx - jyy) * 180.0 / kPi;
  double A = 90.0 - theta_g;
  A = std::fmod(std::fmod(A, 180.0) + 180.0, 180.0);
  for (double snap : {0.0, 45.0, 90.0, 135.0, 180.0}) {
    if (std::abs(A - snap) <= 2.0) A = snap == 180.0 ? 0.0 : snap;
  }
  return A;
}

// The map from image pixels to a frame where lines run along +u (columns) and v (rows)
// increases along n; integer offsets so that multiples of 90° are exact pixel copies.
struct Rotation {
  double dx = 1, dy = 0, nx = 0, ny = 1;  // d and n in image coordinates
  double u0 = 0, v0 = 0;                  // offsets
  int cols = 0, rows = 0;
  cv::Mat M;  // 2×3 affine, image → frame (pixel-centre coordinates)

  void to_image(double u, double v, double& x, double& y) const {
    // Inverse of an orthonormal map: [x y] = (u − u0)·d + (v − v0)·n.
    x = (u - u0) * dx + (v - v0) * nx;
    y = (u - u0) * dy + (v - v0) * ny;
  }
};

Rotation make_rotation(double A_deg, int W, int H) {
  Rotation r;
  const double A = A_deg * kPi / 180.0;
  const double sA = A_deg == 0.0 ? 0.0 : std::sin(A);
  const double cA = A_deg == 90.0 ? 0.0 : std::cos(A);
  r.dx = cA;
  r.dy = -sA;
  r.nx = sA;
  r.ny = cA;
  double umin = kInf, umax = -kInf, vmin = kInf, vmax = -kInf;
  for (double x : {0.0, static_cast<double>(W - 1)}) {
    for (double y : {0.0, static_cast<double>(H - 1)}) {
      const double u = x * r.dx + y * r.dy, v = x * r.nx + y * r.ny;
      umin = std::min(umin, u);
      umax = std::max(umax, u);
      vmin = std::min(vmin, v);
      vmax = std::max(vmax, v);
    }
  }
  r.u0 = -std::floor(umin + 1e-9);
  r.v0 = -std::floor(vmin + 1e-9);
  r.cols = static_cast<int>(std::ceil(umax + r.u0 - 1e-9)) + 1;
  r.rows = static_cast<int>(std::ceil(vmax + r.v0 - 1e-9)) + 1;
  r.M = (cv::Mat_<double>(2, 3) << r.dx, r.dy, r.u0, r.nx, r.ny, r.v0);
  return r;
}

// ---- steps 3–5 ----------------------------------------------------------------------------

struct Run {
  int top = 0, bottom = 0;  // inclusive rows
  bool partial = false;     // cut by the valid region's border
  double centre() const { return 0.5 * (top + bottom); }
  int height() const { return bottom - top + 1; }
};

struct ViaDisc {
  double u = 0, v = 0, r = 0;  // frame pixels
};

struct Component {
  std::vector<cv::Point> px;  // (u, v)
  int umin = 0, umax = 0, vmin = 0, vmax = 0;
  int core = 0;    // pixels away from line edges
  int source = 0;  // 0 missing, 1 extra, 2 film
};

std::vector<Component> components(const cv::Mat& mask, const cv::Mat& edge_band, int source) {
  cv::Mat labels;
  const int n = cv::connectedComponents(mask, labels, 8, CV_32S);
  std::vector<Component> out(static_cast<std::size_t>(std::max(0, n - 1)));
  for (auto& c : out) {
    c.umin = c.vmin = std::numeric_limits<int>::max();
    c.umax = c.vmax = -1;
    c.source = source;
  }
  for (int v = 0; v < labels.rows; ++v) {
    for (int u = 0; u < labels.cols; ++u) {
      const int l = labels.at<int>(v, u);
      if (l <= 0) continue;
      Component& c = out[static_cast<std::size_t>(l - 1)];
      c.px.emplace_back(u, v);
      c.umin = std::min(c.umin, u);
      c.umax = std::max(c.umax, u);
      c.vmin = std::min(c.vmin, v);
      c.vmax = std::max(c.vmax, v);
      if (!edge_band.at<std::uint8_t>(v, u)) ++c.core;
    }
  }
  return out;
}

std::string um(double m) {
  char t[32];
  std::snprintf(t, sizeof t, "%.1f \u00b5m", m * 1e6);
  return t;
}

// "a 2.0 µm" or "an 8.0 µm" (eight, eleven and eighteen start with a vowel sound).
std::string a_um(double m) {
  const std::string n = um(m);
  const bool an = n[0] == '8' || n.rfind("11", 0) == 0 || n.rfind("18", 0) == 0;
  return (an ? "an " : "a ") + n;
}

std::string make_sentence(const Explanation& e, const RepairRules& rules) {
  const DefectGeometry& d = e.defect;
  if (d.kind == DefectKind::none) {
    return "No defect found on " + std::to_string(e.line_count) + " lines of " +
           um(e.line_width_m) + " width and " + um(e.line_space_m) + " space.";
  }
  std::string s =
      std::string(describe(d.kind)) + ", " + um(d.length_m) + " long, " + um(d.width_m) + " wide, ";
  switch (d.kind) {
    case DefectKind::open:
      s += "across " + a_um(d.line_width_m) + " line";
      break;
    case DefectKind::void_:
      s += "inside " + a_um(d.line_width_m) + " line";
      break;
    case DefectKind::mouse_bite:
      s += "at the edge of " + a_um(d.line_width_m) + " line";
      break;
    case DefectKind::bridge:
      s += "across the " + um(d.line_space_m) + " space between two lines";
      break;
    default:
      s += "in " + a_um(d.line_space_m) + " space, " + um(d.neighbour_distance_m) +
           " from the nearest line";
      break;
  }
  if (std::isfinite(d.via_distance_m)) {
    s += d.via_distance_m < rules.via_adjacent_m
             ? "; adjacent to a via, " + um(d.via_distance_m) + " from its edge"
             : "; " + um(d.via_distance_m) + " from a via edge";
  }
  s += ".";
  if (e.verdict.repair_class == RepairClass::scrap) {
    std::string why = e.verdict.reasons.empty() ? "" : e.verdict.reasons.front();
    for (std::size_t i = 1; i < e.verdict.reasons.size(); ++i) why += "; " + e.verdict.reasons[i];
    s += " Scrap: " + why + ".";
  } else if (is_missing_metal(d.kind)) {
    s += " Repairable by deposition.";
  } else {
    s += " Repairable: within the clearance limits.";
  }
  return s;
}

}  // namespace

Explanation explain(const Image& image, const ExplainOptions& options) {
  // Inputs: a sized image with 1 or 3 channels and a pixel size from somewhere.
  const std::string who = image.source.empty() ? std::string("image") : image.source;
  options.validate();
  require(image.width > 0 && image.height > 0, who + ": the image is empty (" +
                                                   std::to_string(image.width) + " x " +
                                                   std::to_string(image.height) + ")");
  require(image.channels == 1 || image.channels == 3,
          who + ": the image has " + std::to_string(image.channels) +
              " channels; explain needs 1 (grey) or 3 (RGB)");
  require(image.bit_depth == 8 || image.bit_depth == 16,
          who + ": bit_depth = " + std::to_string(image.bit_depth) + " must be 8 or 16");
  require(
      image.pixels.size() == static_cast<std::size_t>(image.width) * image.height * image.channels,
      who + ": the pixel count does not match width x height x channels");
  require(image.width >= 16 && image.height >= 16,
          who + ": the image is too small to explain (at least 16 x 16 pixels)");
  const std::optional<double> p_opt =
      options.pixel_size_m ? options.pixel_size_m : image.pixel_size_m;
  require(p_opt.has_value(), who +
                                 ": no pixel size: the file has no resolution metadata and "
                                 "none was given (pixel_size_m / --pixel-size-um)");
  const double p = *p_opt;
  require_in_range(who + ": pixel_size_m", p, Range::open_closed(0.0, 1e-4));

  Explanation e;
  e.pixel_size_m = p;

  // 1. Grey, flat field, contrast.
  const cv::Mat norm = flat_field(to_grey(image));

  // 2. Direction of the lines; resample so they run along the rows.
  e.layout_angle_deg = line_angle_deg(norm);
  const Rotation rot = make_rotation(e.layout_angle_deg, image.width, image.height);
  cv::Mat R, valid;
  cv::warpAffine(norm, R, rot.M, cv::Size(rot.cols, rot.rows), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::warpAffine(cv::Mat(image.height, image.width, CV_8U, cv::Scalar(255)), valid, rot.M,
                 cv::Size(rot.cols, rot.rows), cv::INTER_NEAREST, cv::BORDER_CONSTANT,
                 cv::Scalar(0));
  const bool diagonal = std::fmod(e.layout_angle_deg, 90.0) != 0.0;
  if (diagonal) cv::erode(valid, valid, cv::Mat());

  // 3a. Metal: Otsu on the lightly smoothed, valid pixels.
  cv::Mat Rs;
  cv::GaussianBlur(R, Rs, cv::Size(0, 0), 0.8);
  std::vector<float> vals;
  for (int v = 0; v < Rs.rows; ++v)
    for (int u = 0; u < Rs.cols; ++u)
      if (valid.at<std::uint8_t>(v, u)) vals.push_back(Rs.at<float>(v, u));
  const double t = otsu(cv::Mat(1, static_cast<int>(vals.size()), CV_32F, vals.data()));
  cv::Mat B = (Rs > t) & valid;

  // 3b. Lines: rows that are metal across most of their valid width, or metal at both ends
  //     of the field (a line that an open or a long bite interrupts still reaches both sides;
  //     a particle or a bridge reaches neither).
  std::vector<int> is_line(static_cast<std::size_t>(B.rows), -1);  // -1 unknown, 0/1
  for (int v = 0; v < B.rows; ++v) {
    const int nv = cv::countNonZero(valid.row(v));
    if (nv < 8) continue;
    const int nm = cv::countNonZero(B.row(v));
    int a = 0, b = B.cols - 1;
    while (!valid.at<std::uint8_t>(v, a)) ++a;
    while (!valid.at<std::uint8_t>(v, b)) --b;
    int ends = 0;
    for (int k = 0; k < 3; ++k) {
      ends += B.at<std::uint8_t>(v, a + k) != 0;
      ends += B.at<std::uint8_t>(v, b - k) != 0;
    }
    const bool both_ends = ends >= 5 && nm * 10 >= nv;
    is_line[static_cast<std::size_t>(v)] = nm * 2 > nv || both_ends ? 1 : 0;
  }
  std::vector<Run> runs;
  int first_known = -1, last_known = -1;
  for (int v = 0; v < B.rows; ++v) {
    if (is_line[static_cast<std::size_t>(v)] < 0) continue;
    if (first_known < 0) first_known = v;
    last_known = v;
  }
  for (int v = 0; v < B.rows; ++v) {
    if (is_line[static_cast<std::size_t>(v)] != 1) continue;
    if (!runs.empty() && runs.back().bottom == v - 1) {
      runs.back().bottom = v;
    } else {
      runs.push_back({v, v, false});
    }
  }
  for (Run& r : runs) r.partial = r.top <= first_known || r.bottom >= last_known;
  std::vector<double> widths, spaces;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].partial) widths.push_back(runs[i].height());
    if (i + 1 < runs.size()) spaces.push_back(runs[i + 1].top - runs[i].bottom - 1);
  }
  auto median_d = [](std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  double w_px = median_d(widths);
  if (w_px == 0.0 && !runs.empty()) {
    for (const Run& r : runs) w_px = std::max(w_px, static_cast<double>(r.height()));
  }
  const double s_px = median_d(spaces);
  e.line_width_m = w_px * p;
  e.line_space_m = s_px * p;
  // Lines whose (extrapolated) centre lies in the field count; partial runs at the border
  // are extended to the typical width away from the border.
  std::vector<double> line_centres;
  for (const Run& r : runs) {
    double c = r.centre();
    if (r.partial && r.height() < w_px) {
      c = r.top <= first_known ? r.bottom + 0.5 - w_px / 2.0 : r.top - 0.5 + w_px / 2.0;
    }
    line_centres.push_back(c);
  }
  e.line_count =
      static_cast<int>(std::count_if(line_centres.begin(), line_centres.end(), [&](double c) {
        return c >= first_known - 0.5 && c <= last_known + 0.5;
      }));

  // The ideal layout: full rows of metal.
  cv::Mat ideal(B.size(), CV_8U, cv::Scalar(0));
  for (const Run& r : runs) ideal.rowRange(r.top, r.bottom + 1).setTo(255);
  // Rows within one pixel of a line edge, where the threshold is uncertain.
  cv::Mat edge_band(B.size(), CV_8U, cv::Scalar(0));
  for (const Run& r : runs) {
    for (int v : {r.top - 1, r.top, r.bottom, r.bottom + 1}) {
      if (v >= 0 && v < B.rows) edge_band.row(v).setTo(255);
    }
  }

  // 3c. Vias: extra metal just above and just below the same line at the same place.
  cv::Mat extra = B & ~ideal;
  std::vector<Component> extra_comps = components(extra, edge_band, 1);
  std::vector<ViaDisc> vias;
  std::vector<bool> is_via(extra_comps.size(), false);
  auto touches_row = [](const Component& c, int row) { return c.vmin <= row && c.vmax >= row; };
  // A bump cut by the left or right border of the field: its centre is then placed from the
  // visible end, half a chord (at the line edge) inside it.
  auto cut_side = [&](const Component& c) {
    int side = 0;
    for (const cv::Point& q : c.px) {
      if (q.x == 0 || !valid.at<std::uint8_t>(q.y, q.x - 1)) side |= 1;
      if (q.x == valid.cols - 1 || !valid.at<std::uint8_t>(q.y, q.x + 1)) side |= 2;
    }
    return side;
  };
  auto add_via = [&](std::size_t ri, std::initializer_list<const Component*> bumps, double h) {
    const Run& r = runs[ri];
    const double half_w = (r.partial ? w_px : r.height()) / 2.0;
    ViaDisc d;
    d.r = half_w + h + 0.5;
    d.v = line_centres[ri];
    int umin = std::numeric_limits<int>::max(), umax = -1, side = 0;
    for (const Component* c : bumps) {
      umin = std::min(umin, c->umin);
      umax = std::max(umax, c->umax);
      side |= cut_side(*c);
    }
    const double hc = std::sqrt(std::max(0.0, d.r * d.r - half_w * half_w));
    d.u = side == 1 ? umax + 0.5 - hc : side == 2 ? umin - 0.5 + hc : 0.5 * (umin + umax);
    vias.push_back(d);
  };
  for (std::size_t ri = 0; ri < runs.size(); ++ri) {
    const Run& r = runs[ri];
    const bool cut_top = r.partial && r.top <= first_known;
    const bool cut_bottom = r.partial && r.bottom >= last_known;
    for (std::size_t i = 0; i < extra_comps.size(); ++i) {
      const Component& a = extra_comps[i];
      if (is_via[i]) continue;
      const bool is_above = touches_row(a, r.top - 1) && a.vmax <= r.top - 1;
      const bool is_below = touches_row(a, r.bottom + 1) && a.vmin >= r.bottom + 1;
      // Touching two lines means a bridge, not a via.
      if (ri > 0 && a.vmin <= runs[ri - 1].bottom + 1) continue;
      if (ri + 1 < runs.size() && a.vmax >= runs[ri + 1].top - 1) continue;

      // A line cut by the border shows its vias on one side only.
      const double h_one = is_below ? a.vmax - r.bottom : r.top - a.vmin;
      if (((cut_top && is_below) || (cut_bottom && is_above)) && h_one >= 2.0 &&
          a.umax - a.umin >= 3) {
        is_via[i] = true;
        add_via(ri, {&a}, h_one);
        continue;
      }
      if (!is_above) continue;
      for (std::size_t j = 0; j < extra_comps.size(); ++j) {
        const Component& b = extra_comps[j];
        if (j == i || is_via[j] || !touches_row(b, r.bottom + 1) || b.vmin < r.bottom + 1) {
          continue;  // below
        }
        if (ri + 1 < runs.size() && b.vmax >= runs[ri + 1].top - 1) continue;
        const int lo = std::max(a.umin, b.umin), hi = std::min(a.umax, b.umax);
        const int span = std::max(a.umax, b.umax) - std::min(a.umin, b.umin) + 1;
        const double ha = r.top - a.vmin, hb = b.vmax - r.bottom;
        if (hi - lo + 1 < 0.6 * span || std::abs(ha - hb) > 0.35 * std::max(ha, hb) + 1.5 ||
            std::min(ha, hb) < 1.0) {
          continue;
        }
        is_via[i] = is_via[j] = true;
        add_via(ri, {&a, &b}, 0.5 * (ha + hb));
        break;
      }
    }
  }
  e.via_count = static_cast<int>(vias.size());
  for (const ViaDisc& d : vias) {
    cv::circle(ideal,
               cv::Point(static_cast<int>(std::lround(d.u)), static_cast<int>(std::lround(d.v))),
               static_cast<int>(std::lround(d.r)), cv::Scalar(255), cv::FILLED);
  }
  cv::Mat via_mask(B.size(), CV_8U, cv::Scalar(0));
  for (const ViaDisc& d : vias) {
    cv::circle(via_mask,
               cv::Point(static_cast<int>(std::lround(d.u)), static_cast<int>(std::lround(d.v))),
               static_cast<int>(std::lround(d.r)) + 1, cv::Scalar(255), cv::FILLED);
  }

  // 4. Deviations from the ideal: missing metal, extra metal, faint film.
  cv::Mat line_rows(B.size(), CV_8U, cv::Scalar(0));
  for (const Run& r : runs) line_rows.rowRange(r.top, r.bottom + 1).setTo(255);
  cv::Mat missing = line_rows & ~B & valid & ~via_mask;
  extra = B & ~ideal & ~via_mask;
  // Film: clearly above the dielectric level, below metal, away from line edges.
  std::vector<float> diel, metal;
  for (int v = 0; v < R.rows; ++v)
    for (int u = 0; u < R.cols; ++u) {
      if (!valid.at<std::uint8_t>(v, u) || edge_band.at<std::uint8_t>(v, u)) continue;
      (line_rows.at<std::uint8_t>(v, u) ? metal : diel).push_back(Rs.at<float>(v, u));
    }
  const float Ld = median_of(diel), Lm = median_of(metal);
  cv::Mat Rf;
  cv::GaussianBlur(R, Rf, cv::Size(0, 0), 1.2);
  cv::Mat near_lines;
  cv::dilate(ideal | B, near_lines, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
  cv::Mat film = (Rf > Ld + 0.17f * (Lm - Ld)) & ~B & ~near_lines & valid;
  cv::erode(valid, near_lines, cv::Mat());  // reuse: keep film off the field's border
  film &= near_lines;

  std::vector<Component> cands;
  for (auto& c : components(missing, edge_band, 0)) cands.push_back(std::move(c));
  for (auto& c : components(extra, edge_band, 1)) cands.push_back(std::move(c));
  for (auto& c : components(film, edge_band, 2)) {
    // Thin slivers along a line edge are the blur's halo, not residue.
    if (c.vmax - c.vmin <= 1 && c.umax - c.umin > 4 * (c.vmax - c.vmin + 1)) continue;
    cands.push_back(std::move(c));
  }
  // The largest deviation wins; one cut by the field's border (often a via or pad whose line
  // is mostly outside the image) counts for a quarter of its size.
  cv::Mat inner;
  cv::erode(valid, inner, cv::Mat(), cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  auto score = [&](const Component& c) {
    bool border = false;
    for (const cv::Point& q : c.px) border = border || !inner.at<std::uint8_t>(q.y, q.x);
    return static_cast<double>(c.px.size()) * (border ? 0.25 : 1.0);
  };
  // Extra metal cut by the border beside a line that is itself cut by the border is the
  // visible part of a via or pad on that line, not a defect.
  auto beside_partial_line = [&](const Component& c) {
    for (const Run& r : runs) {
      if (r.partial && (c.vmin == r.bottom + 1 || c.vmax == r.top - 1)) return true;
    }
    return false;
  };
  const Component* best = nullptr;
  double best_score = 0.0;
  for (const Component& c : cands) {
    if (c.core < options.min_defect_pixels) continue;
    if (c.source == 1 && score(c) < static_cast<double>(c.px.size()) && beside_partial_line(c)) {
      continue;
    }
    const double sc = score(c);
    if (!best || sc > best_score) {
      best = &c;
      best_score = sc;
    }
  }

  DefectGeometry& D = e.defect;
  D.line_width_m = e.line_width_m;
  D.line_space_m = e.line_space_m;
  if (best) {
    const Component& c = *best;

    // Which line: the run the component overlaps (missing) or the nearer one (extra, film).
    int line = -1;
    double best_gap = kInf;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const double mid = 0.5 * (c.vmin + c.vmax);
      const double gap = c.source == 0 ? std::abs(mid - runs[i].centre())
                                       : std::min(std::abs(c.vmin - runs[i].bottom),
                                                  std::abs(c.vmax - runs[i].top));
      if (gap < best_gap) {
        best_gap = gap;
        line = static_cast<int>(i);
      }
    }
    const Run* L = line >= 0 ? &runs[static_cast<std::size_t>(line)] : nullptr;
    // The lines above and below the component that it does not touch.
    const Run* above = nullptr;
    const Run* below = nullptr;
    for (const Run& r : runs) {
      if (r.bottom < c.vmin - 1) above = &r;
      if (!below && r.top > c.vmax + 1) below = &r;
    }

    // Kind.
    if (c.source == 0 && L) {
      // Columns where the gap spans the full line width: an open.
      int full = 0;
      for (int u = c.umin; u <= c.umax; ++u) {
        int miss = 0;
        for (int v = L->top; v <= L->bottom; ++v) miss += missing.at<std::uint8_t>(v, u) != 0;
        full += miss >= 0.9 * L->height();
      }
      const bool at_edge = c.vmin <= L->top + 1 || c.vmax >= L->bottom - 1;
      D.kind = full >= 1 ? DefectKind::open : at_edge ? DefectKind::mouse_bite : DefectKind::void_;
    } else if (c.source == 1) {
      bool touches_above = false, touches_below = false;
      for (const Run& r : runs) {
        touches_above = touches_above || (c.vmin <= r.bottom + 1 && c.vmin >= r.top);
        touches_below = touches_below || (c.vmax >= r.top - 1 && c.vmax <= r.bottom);
      }
      D.kind = touches_above && touches_below ? DefectKind::bridge : DefectKind::particle;
    } else {
      D.kind = DefectKind::residue;
    }

    // Size and shape: extents in the line frame, moments for orientation and blobs.
    const double n = static_cast<double>(c.px.size());
    double mu = 0, mv = 0;
    for (const cv::Point& q : c.px) {
      mu += q.x;
      mv += q.y;
    }
    mu /= n;
    mv /= n;
    double suu = 0, svv = 0, suv = 0;
    for (const cv::Point& q : c.px) {
      suu += (q.x - mu) * (q.x - mu);
      svv += (q.y - mv) * (q.y - mv);
      suv += (q.x - mu) * (q.y - mv);
    }
    suu /= n;
    svv /= n;
    suv /= n;
    const double tr = suu + svv, det = suu * svv - suv * suv;
    const double lam1 = tr / 2.0 + std::sqrt(std::max(0.0, tr * tr / 4.0 - det));
    const double psi = 0.5 * std::atan2(2.0 * suv, suu - svv);
    D.area_m2 = n * p * p;
    const double along = (c.umax - c.umin + 1) * p, across = (c.vmax - c.vmin + 1) * p;
    if (is_missing_metal(D.kind)) {
      D.length_m = along;
    } else if (D.kind == DefectKind::bridge) {
      D.length_m = across;
    } else {
      D.length_m = std::max(4.0 * std::sqrt(lam1), 1.0) * p;
    }
    D.width_m = D.area_m2 / D.length_m;
    const double ox = std::cos(psi) * rot.dx + std::sin(psi) * rot.nx;
    const double oy = std::cos(psi) * rot.dy + std::sin(psi) * rot.ny;
    double o = std::atan2(-oy, ox);
    if (o < 0) o += kPi;
    if (o >= kPi) o -= kPi;
    D.orientation_rad = o;
    double cx = 0, cy = 0;
    rot.to_image(mu, mv, cx, cy);
    D.centre_x_m = (cx + 0.5) * p;
    D.centre_y_m = (cy + 0.5) * p;
    D.crossing = D.kind == DefectKind::open || D.kind == DefectKind::bridge;
    if (L && !L->partial) D.line_width_m = L->height() * p;

    // Line index among the counted lines.
    if (line >= 0) {
      int index = 0;
      for (int i = 0; i < line; ++i) {
        const double cc = line_centres[static_cast<std::size_t>(i)];
        index += cc >= first_known - 0.5 && cc <= last_known + 0.5;
      }
      D.line_index = index;
    }

    // Distances: to the nearest via edge, and to the nearest line not touched.
    for (const ViaDisc& d : vias) {
      double best_d = kInf;
      for (const cv::Point& q : c.px) best_d = std::min(best_d, std::hypot(q.x - d.u, q.y - d.v));
      D.via_distance_m = std::min(D.via_distance_m, std::max(0.0, best_d - d.r - 0.5) * p);
    }
    if (D.kind == DefectKind::bridge) {
      D.neighbour_distance_m = 0.0;
    } else {
      double gap = kInf;
      if (below) gap = std::min(gap, static_cast<double>(below->top - c.vmax - 1));
      if (above) gap = std::min(gap, static_cast<double>(c.vmin - above->bottom - 1));
      D.neighbour_distance_m = std::isfinite(gap) ? std::max(0.0, gap) * p : kInf;
    }
  }

  e.verdict = apply_rules(D, options.rules);
  e.sentence = make_sentence(e, options.rules);
  return e;
}

std::string Explanation::to_json() const {
  using nlohmann::json;
  auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  const DefectGeometry& d = defect;
  json j;
  j["sentence"] = sentence;
  j["verdict"] = {{"class", std::string(to_string(verdict.repair_class))},
                  {"reasons", verdict.reasons},
                  {"margin_m", num(verdict.margin_m)}};
  j["defect"] = {{"kind", std::string(to_string(d.kind))},
                 {"description", std::string(describe(d.kind))},
                 {"length_m", d.length_m},
                 {"width_m", d.width_m},
                 {"area_m2", d.area_m2},
                 {"length_um", d.length_m * 1e6},
                 {"width_um", d.width_m * 1e6},
                 {"orientation_deg", d.orientation_rad * 180.0 / kPi},
                 {"centre_x_m", d.centre_x_m},
                 {"centre_y_m", d.centre_y_m},
                 {"line_index", d.line_index},
                 {"crossing", d.crossing},
                 {"line_width_m", d.line_width_m},
                 {"line_space_m", d.line_space_m},
                 {"via_distance_m", num(d.via_distance_m)},
                 {"neighbour_distance_m", num(d.neighbour_distance_m)}};
  j["layout"] = {{"angle_deg", layout_angle_deg},
                 {"line_width_m", line_width_m},
                 {"line_space_m", line_space_m},
                 {"line_count", line_count},
                 {"via_count", via_count}};
  j["pixel_size_m"] = pixel_size_m;
  return j.dump(2);
}

std::string explain_with_class(const Explanation& e, RepairClass model) {
  const RepairClass rules = e.verdict.repair_class;
  std::string s = e.sentence + " The model says " + std::string(to_string(model));
  if (model == RepairClass::uncertain) {
    return s + "; the measurements say " + std::string(to_string(rules)) + ".";
  }
  if (model == rules) return s + ", in agreement with the measurements.";
  if (model == RepairClass::repairable) {
    std::string why = e.verdict.reasons.empty() ? "the measurements break a repair rule"
                                                : e.verdict.reasons.front();
    return s + ", but " + why + ".";
  }
  return s + ", but the measurements are within every repair limit" +
         (e.defect.kind == DefectKind::none ? " (no defect was found)" : "") + ".";
}

}  // namespace psw::inference
