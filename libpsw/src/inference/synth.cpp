#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <tuple>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <psw/core/error.hpp>
#include <psw/core/rng.hpp>
#include <psw/inference/synth.hpp>

namespace psw::inference {

std::string_view to_string(Modality m) {
  switch (m) {
    case Modality::optical:
      return "optical";
    case Modality::sem:
      return "sem";
    case Modality::mixed:
      return "mixed";
  }
  return "unknown";
}

Modality modality_from_string(std::string_view name) {
  if (name == "optical") return Modality::optical;
  if (name == "sem") return Modality::sem;
  if (name == "mixed") return Modality::mixed;
  throw std::invalid_argument("modality = '" + std::string(name) +
                              "' is not one of optical, sem, mixed");
}

void SynthOptions::validate() const {
  std::string problems;
  auto check = [&](std::string_view field, double value, const Range& range) {
    if (!range.contains(value)) {
      problems += (problems.empty() ? "" : "; ") + out_of_range_message(field, value, range);
    }
  };
  check("width_px", width_px, Range::closed(16, 4096));
  check("height_px", height_px, Range::closed(16, 4096));
  check("pixel_size_min_m", pixel_size_min_m, Range::closed(1e-9, 1e-5));
  check("pixel_size_max_m", pixel_size_max_m, Range::closed(pixel_size_min_m, 1e-5));
  check("line_width_min_m", line_width_min_m, Range::closed(0.2e-6, 100e-6));
  check("line_width_max_m", line_width_max_m, Range::closed(line_width_min_m, 100e-6));
  check("line_space_min_m", line_space_min_m, Range::closed(0.2e-6, 100e-6));
  check("line_space_max_m", line_space_max_m, Range::closed(line_space_min_m, 100e-6));
  check("diagonal_fraction", diagonal_fraction, Range::closed(0, 1));
  check("bit_depth", bit_depth, Range::closed(8, 16));
  if (bit_depth != 8 && bit_depth != 16) {
    problems += (problems.empty() ? "" : "; ") + std::string("bit_depth = ") +
                std::to_string(bit_depth) + " must be 8 or 16";
  }
  check("noise", noise, Range::closed(0, 5));
  check("blur", blur, Range::closed(0, 5));
  check("illumination", illumination, Range::closed(0, 5));
  check("near_via_probability", near_via_probability, Range::closed(0, 1));
  check("via_probability", via_probability, Range::closed(0, 1));
  double total = 0.0;
  for (std::size_t i = 0; i < kind_weights.size(); ++i) {
    check("kind_weights." + std::string(to_string(kSynthKinds[i])), kind_weights[i],
          Range::closed(0, 1e6));
    total += kind_weights[i];
  }
  if (!(total > 0.0)) {
    problems += (problems.empty() ? "" : "; ") + std::string("kind_weights are all zero");
  }
  require(problems.empty(), "synth options: " + problems);
  rules.validate();
}

namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kSuper = 4;  // subsamples per pixel edge

struct Vec {
  double x = 0.0, y = 0.0;
};

// Line frame: u along the lines, v across them; (u, v) = 0 at the image centre.
struct Frame {
  Vec c, d, n;
  Vec to_uv(Vec p) const {
    const double qx = p.x - c.x, qy = p.y - c.y;
    return {qx * d.x + qy * d.y, qx * n.x + qy * n.y};
  }
  Vec to_xy(double u, double v) const { return {c.x + u * d.x + v * n.x, c.y + u * d.y + v * n.y}; }
};

// A defect region in the line frame: a rectangle, or an ellipse whose radius is modulated by
// ε·sin(kθ + phase) (an irregular blob; ε = 0 is the plain ellipse).
struct Shape {
  bool rect = false;
  double u0 = 0, v0 = 0;
  double a = 0, b = 0;  // half-extents (rect: along u, v) or semi-axes
  double phi = 0;       // blob rotation in the uv frame
  double eps = 0, phase = 0;
  int lobes = 3;

  bool contains(double u, double v) const {
    const double du = u - u0, dv = v - v0;
    if (rect) return std::abs(du) <= a && std::abs(dv) <= b;
    const double cs = std::cos(phi), sn = std::sin(phi);
    const double x = (du * cs + dv * sn) / a, y = (-du * sn + dv * cs) / b;
    const double rho = std::hypot(x, y);
    if (rho <= 1.0 - eps) return true;
    return rho <= 1.0 + eps * std::sin(lobes * std::atan2(y, x) + phase);
  }
  // Points along the boundary.
  std::vector<Vec> boundary(int n = 720) const {
    std::vector<Vec> pts;
    if (rect) {
      for (int i = 0; i <= n / 4; ++i) {
        const double t = -1.0 + 2.0 * i / (n / 4);
        pts.push_back({u0 + t * a, v0 - b});
        pts.push_back({u0 + t * a, v0 + b});
        pts.push_back({u0 - a, v0 + t * b});
        pts.push_back({u0 + a, v0 + t * b});
      }
      return pts;
    }
    const double cs = std::cos(phi), sn = std::sin(phi);
    for (int i = 0; i < n; ++i) {
      const double th = 2.0 * kPi * i / n;
      const double r = 1.0 + eps * std::sin(lobes * th + phase);
      const double x = a * r * std::cos(th), y = b * r * std::sin(th);
      pts.push_back({u0 + x * cs - y * sn, v0 + x * sn + y * cs});
    }
    return pts;
  }
  double blob_area() const { return kPi * a * b * (1.0 + eps * eps / 2.0); }
};

struct Layout {
  Frame frame;
  double angle_deg = 0, w = 0, s = 0, pitch = 0, v_off = 0;
  std::vector<Via> vias;
  std::vector<Vec> via_uv;

  double centre(long k) const { return v_off + static_cast<double>(k) * pitch; }
  bool on_line(double v) const {
    const double t = v - v_off;
    const double k = std::round(t / pitch);
    return std::abs(t - k * pitch) <= w / 2.0;
  }
  bool on_via(double u, double v) const {
    for (std::size_t i = 0; i < vias.size(); ++i) {
      const double du = u - via_uv[i].x, dv = v - via_uv[i].y;
      if (du * du + dv * dv <= vias[i].radius_m * vias[i].radius_m) return true;
    }
    return false;
  }
  bool metal(double u, double v) const { return on_line(v) || on_via(u, v); }
};

double log_uniform(RngStream& rng, double lo, double hi) {
  return lo == hi ? lo : std::exp(rng.uniform(std::log(lo), std::log(hi)));
}

// Orientation (radians in [0, π), counter-clockwise, y up) of a direction ψ in the uv frame.
double orientation_of(const Frame& f, double psi) {
  const double dx = std::cos(psi) * f.d.x + std::sin(psi) * f.n.x;
  const double dy = std::cos(psi) * f.d.y + std::sin(psi) * f.n.y;
  double o = std::atan2(-dy, dx);
  if (o < 0) o += kPi;
  if (o >= kPi) o -= kPi;
  return o;
}

struct Defect {
  DefectKind kind = DefectKind::none;
  Shape shape;
  long line = 0;  // the line it is on (or the line below it, for space defects)
  bool in_space = false;
  double contrast = 1;  // residue: fraction of the metal-dielectric step
  // Region test: missing metal only inside its line's band; extra material only in space.
  bool changes(const Layout& L, double u, double v) const {
    if (!shape.contains(u, v)) return false;
    if (in_space) return !L.metal(u, v);
    return std::abs(v - L.centre(line)) <= L.w / 2.0 && !L.on_via(u, v);
  }
};

// The defect's region boundary, clipped to where it changes the picture (line band or space).
std::vector<Vec> region_boundary(const Defect& d, const Layout& L) {
  std::vector<Vec> pts;
  const double vc = L.centre(d.line);
  for (const Vec& p : d.shape.boundary()) {
    const bool inside_band = std::abs(p.y - vc) <= L.w / 2.0;
    if (d.in_space ? !L.on_line(p.y) : inside_band) pts.push_back(p);
  }
  if (!d.in_space) {  // the band edges where they cut the shape (mouse bites)
    for (double edge : {vc - L.w / 2.0, vc + L.w / 2.0}) {
      for (int i = 0; i <= 400; ++i) {
        const double u = d.shape.u0 - 2 * d.shape.a + 4 * d.shape.a * i / 400.0;
        if (d.shape.contains(u, edge)) pts.push_back({u, edge});
      }
    }
  }
  return pts;
}

double via_distance(const std::vector<Vec>& boundary, const Vec& c_uv, double r) {
  double best = std::numeric_limits<double>::infinity();
  for (const Vec& p : boundary) best = std::min(best, std::hypot(p.x - c_uv.x, p.y - c_uv.y));
  return std::max(0.0, best - r);
}

}  // namespace

SynthSample synthesize(const SynthOptions& o, std::uint64_t index) {
  o.validate();
  RngStream rng = RngStream(o.seed).substream(index);
  SynthSample out;
  out.seed = o.seed;
  out.index = index;
  out.modality = o.modality;
  if (o.modality == Modality::mixed) {
    out.modality = rng.uniform() < 0.5 ? Modality::optical : Modality::sem;
  }

  // Layout: line width and space, then a pixel size that shows about 2.5 pitches.
  Layout L;
  L.w = log_uniform(rng, o.line_width_min_m, o.line_width_max_m);
  L.s = log_uniform(rng, o.line_space_min_m, o.line_space_max_m);
  L.pitch = L.w + L.s;
  const int min_px = std::min(o.width_px, o.height_px);
  double p = std::max(2.5 * L.pitch, 12e-6) / min_px * rng.uniform(0.9, 1.1);
  p = std::clamp(p, o.pixel_size_min_m, o.pixel_size_max_m);
  const double field = min_px * p;
  const double W = o.width_px * p, H = o.height_px * p;

  // Orientation: the across direction n points down for horizontal lines and right otherwise.
  if (rng.uniform() < o.diagonal_fraction) {
    L.angle_deg = rng.uniform() < 0.5 ? 45.0 : 135.0;
  } else {
    L.angle_deg = rng.uniform() < 0.5 ? 0.0 : 90.0;
  }
  const double A = L.angle_deg * kPi / 180.0;
  const double sA = L.angle_deg == 0.0 ? 0.0 : std::sin(A);
  const double cA = L.angle_deg == 90.0 ? 0.0 : std::cos(A);
  L.frame.c = {W / 2.0, H / 2.0};
  L.frame.d = {cA, -sA};
  L.frame.n = {sA, cA};
  L.v_off = rng.uniform(0.0, L.pitch);

  // The defect, placed near the image centre.
  double total = 0.0;
  for (double wgt : o.kind_weights) total += wgt;
  double pick = rng.uniform(0.0, total);
  std::size_t ki = 0;
  while (ki + 1 < kSynthKinds.size() && pick >= o.kind_weights[ki]) pick -= o.kind_weights[ki++];
  Defect D;
  D.kind = kSynthKinds[ki];
  const double limit = o.rules.max_open_length_m;
  const double px_min = 1.5 * p;                        // smallest feature drawn
  const double margin = std::max(0.1e-6, 1.5 * p);      // kept metal around voids
  const long k_near = std::lround(-L.v_off / L.pitch);  // line nearest the centre
  // Space defects sit in the space nearest the centre, between lines `k_space` and the next.
  const long k_space = std::lround((-L.v_off - L.pitch / 2.0) / L.pitch);
  D.line = (D.kind == DefectKind::bridge || D.kind == DefectKind::particle ||
            D.kind == DefectKind::residue)
               ? k_space
               : k_near;
  const double vc = L.centre(D.line);
  const double u_span = field / 2.0;
  Shape& S = D.shape;

  // Defect geometry in the line frame (u along, v across), by kind.
  switch (D.kind) {
    case DefectKind::open: {
      const double g = std::min(limit * rng.uniform(0.06, 1.8), 0.8 * field);
      S.rect = true;
      S.a = std::max(g, px_min) / 2.0;
      S.b = L.w / 2.0 + 1e-9;
      S.u0 = rng.uniform(-1, 1) * std::max(0.0, u_span - S.a - 0.5e-6) * 0.5;
      S.v0 = vc;
      break;
    }
    case DefectKind::void_: {
      S.b = std::clamp(L.w * rng.uniform(0.1, 0.3), px_min / 1.5, L.w / 2.0 - margin);
      S.a = std::max(limit * rng.uniform(0.03, 0.8), S.b);
      S.a = std::min(S.a, 0.4 * field);
      S.u0 = rng.uniform(-1, 1) * std::max(0.0, u_span - S.a - 0.5e-6) * 0.5;
      S.v0 = vc + rng.uniform(-1, 1) * std::max(0.0, L.w / 2.0 - margin - S.b);
      break;
    }
    case DefectKind::mouse_bite: {
      S.a = std::min(std::max(limit * rng.uniform(0.03, 0.8), px_min), 0.4 * field);
      S.b = std::max(L.w * rng.uniform(0.15, 0.6), px_min);
      S.u0 = rng.uniform(-1, 1) * std::max(0.0, u_span - S.a - 0.5e-6) * 0.5;
      S.v0 = vc + (rng.uniform() < 0.5 ? -1.0 : 1.0) * L.w / 2.0;
      break;
    }
    case DefectKind::bridge: {
      D.in_space = true;
      const double bw = std::max(rng.uniform(0.3e-6, 3e-6), 2.0 * p);
      S.rect = true;
      S.a = bw / 2.0;
      S.b = L.pitch / 2.0;
      S.u0 = rng.uniform(-1, 1) * std::max(0.0, u_span - S.a - 0.5e-6) * 0.5;
      S.v0 = vc + L.pitch / 2.0;  // from this line's centre to the next one's
      break;
    }
    case DefectKind::particle:
    case DefectKind::residue: {
      D.in_space = true;
      const bool residue = D.kind == DefectKind::residue;
      S.a = residue ? rng.uniform(0.5e-6, 2.0e-6) : rng.uniform(std::max(px_min, 0.15e-6), 1.2e-6);
      S.b = S.a * (residue ? rng.uniform(0.25, 0.6) : rng.uniform(0.5, 1.0));
      S.a = std::max(S.a, px_min);
      S.b = std::max(S.b, px_min);
      S.phi = residue ? rng.uniform(-0.35, 0.35) : rng.uniform(0.0, kPi);
      S.eps = residue ? rng.uniform(0.05, 0.2) : rng.uniform(0.0, 0.15);
      S.lobes = 3 + static_cast<int>(rng.below(3));
      S.phase = rng.uniform(0.0, 2.0 * kPi);
      D.contrast = residue ? rng.uniform(0.3, 0.45) : rng.uniform(0.85, 1.05);

      // Fit the shape across the space with a clearance floor on both sides.
      const double min_gap = std::max(0.05e-6, 2.0 * p);  // closer looks like a short
      auto v_extent = [&] {
        double lo = 1e9, hi = -1e9;
        for (const Vec& q : S.boundary(360)) {
          lo = std::min(lo, q.y - S.v0);
          hi = std::max(hi, q.y - S.v0);
        }
        return std::pair{lo, hi};
      };
      auto [lo, hi] = v_extent();
      const double room = L.s - 2.0 * min_gap;
      if (hi - lo > room) {
        const double f = 0.98 * room / (hi - lo);
        S.a *= f;
        S.b *= f;
        std::tie(lo, hi) = v_extent();
      }
      const double free_space = std::max(0.0, L.s - (hi - lo) - 2.0 * min_gap);
      // The smaller clearance uniform over what the space allows, on a random side.
      const double c_min = min_gap + rng.uniform(0.0, free_space / 2.0);
      const double c1 = rng.uniform() < 0.5 ? c_min : L.s - (hi - lo) - c_min;
      S.v0 = vc + L.w / 2.0 + c1 - lo;
      S.u0 = rng.uniform(-1, 1) * std::max(0.0, u_span - S.a - 0.5e-6) * 0.5;
      break;
    }
    case DefectKind::none:
      break;
  }

  // Vias: perhaps one just beside a missing-metal defect, perhaps others elsewhere. None may
  // touch the defect or change the clearance of extra material.
  const double r_max = L.w / 2.0 + 0.4 * L.s;
  auto via_radius = [&] { return std::min(L.w / 2.0 * rng.uniform(1.2, 1.8), r_max); };
  std::vector<Vec> boundary = region_boundary(D, L);
  auto add_via = [&](double u, double v, double r) {
    L.via_uv.push_back({u, v});
    const Vec xy = L.frame.to_xy(u, v);
    L.vias.push_back({xy.x, xy.y, r});
  };
  if (is_missing_metal(D.kind) && rng.uniform() < o.near_via_probability) {
    const double r = via_radius();
    const double clear = rng.uniform(0.05e-6, 2e-6);
    const double side = rng.uniform() < 0.5 ? -1.0 : 1.0;
    const double u_edge = S.rect ? S.a : S.a;
    add_via(S.u0 + side * (u_edge + clear + r), vc, r);
  }
  if (rng.uniform() < o.via_probability) {
    const int count = 1 + static_cast<int>(rng.below(2));
    for (int i = 0; i < count; ++i) {
      const double r = via_radius();
      const long k = k_near + static_cast<long>(rng.below(3)) - 1;
      const double u = rng.uniform(-0.45, 0.45) * field;
      const Vec c{u, L.centre(k)};
      const double keep = D.in_space ? 0.3e-6 + 2.0 * L.s : 0.3e-6;
      bool ok = via_distance(boundary, c, r) > keep;
      for (std::size_t j = 0; j < L.via_uv.size(); ++j) {
        ok = ok &&
             std::hypot(c.x - L.via_uv[j].x, c.y - L.via_uv[j].y) > r + L.vias[j].radius_m + 0.3e-6;
      }
      if (ok) add_via(c.x, c.y, r);
    }
  }

  // Ground truth from the analytic shapes.
  DefectGeometry& T = out.truth;
  T.kind = D.kind;
  T.line_width_m = L.w;
  T.line_space_m = L.s;
  double psi = 0.0;  // long-axis direction in the uv frame
  Vec centre_uv{S.u0, S.v0};
  switch (D.kind) {
    case DefectKind::open:
      T.length_m = 2.0 * S.a;
      T.area_m2 = 2.0 * S.a * L.w;
      T.crossing = true;
      psi = 2.0 * S.a >= L.w ? 0.0 : kPi / 2.0;
      break;
    case DefectKind::void_:
      T.length_m = 2.0 * S.a;
      T.area_m2 = kPi * S.a * S.b;
      psi = 0.0;
      break;
    case DefectKind::mouse_bite: {
      T.length_m = 2.0 * S.a;
      T.area_m2 = kPi * S.a * S.b / 2.0;
      const double inward = S.v0 < vc ? 1.0 : -1.0;
      centre_uv.y = S.v0 + inward * 4.0 * S.b / (3.0 * kPi);
      psi = S.a >= S.b ? 0.0 : kPi / 2.0;
      break;
    }
    case DefectKind::bridge:
      T.length_m = L.s;
      T.area_m2 = L.s * 2.0 * S.a;
      T.crossing = true;
      centre_uv.y = vc + L.pitch / 2.0;
      psi = L.s >= 2.0 * S.a ? kPi / 2.0 : 0.0;
      break;
    case DefectKind::particle:
    case DefectKind::residue:
      T.length_m = 2.0 * std::max(S.a, S.b);
      T.area_m2 = S.blob_area();
      psi = S.a >= S.b ? S.phi : S.phi + kPi / 2.0;
      break;
    case DefectKind::none:
      break;
  }
  T.width_m = T.area_m2 / T.length_m;
  T.orientation_rad = orientation_of(L.frame, psi);
  const Vec cxy = L.frame.to_xy(centre_uv.x, centre_uv.y);
  T.centre_x_m = cxy.x;
  T.centre_y_m = cxy.y;
  for (std::size_t i = 0; i < L.vias.size(); ++i) {
    T.via_distance_m =
        std::min(T.via_distance_m, via_distance(boundary, L.via_uv[i], L.vias[i].radius_m));
  }
  // Clearance to the lines it does not touch.
  if (D.kind == DefectKind::bridge) {
    T.neighbour_distance_m = 0.0;
  } else {
    const long below = D.in_space ? D.line + 1 : D.line + 1;
    const long above = D.in_space ? D.line : D.line - 1;
    double best = std::numeric_limits<double>::infinity();
    for (const Vec& q : boundary) {
      best =
          std::min({best, L.centre(below) - L.w / 2.0 - q.y, q.y - (L.centre(above) + L.w / 2.0)});
    }
    T.neighbour_distance_m = std::max(0.0, best);
  }

  // Visible lines: those whose centre lies within the image's extent across the lines.
  double vmin = 1e9, vmax = -1e9;
  for (Vec corner : {Vec{0, 0}, Vec{W, 0}, Vec{0, H}, Vec{W, H}}) {
    const Vec uv = L.frame.to_uv(corner);
    vmin = std::min(vmin, uv.y);
    vmax = std::max(vmax, uv.y);
  }
  const long k_first = static_cast<long>(std::ceil((vmin - L.v_off) / L.pitch));
  for (long k = k_first; L.centre(k) <= vmax; ++k) out.layout.line_offsets_m.push_back(L.centre(k));
  long defect_line = D.line;
  if (D.in_space && D.kind != DefectKind::bridge) {
    // The nearer of the two lines around the space.
    const double gap_mid = vc + L.pitch / 2.0;
    if (S.v0 > gap_mid) defect_line = D.line + 1;
  }
  T.line_index = static_cast<int>(defect_line - k_first);
  out.layout.angle_deg = L.angle_deg;
  out.layout.line_width_m = L.w;
  out.layout.line_space_m = L.s;
  out.layout.vias = L.vias;
  out.verdict = apply_rules(T, o.rules);

  // Render coverage by supersampling: metal fraction, residue fraction, defect mask.
  const int Wp = o.width_px, Hp = o.height_px;
  cv::Mat metal(Hp, Wp, CV_32F, cv::Scalar(0)), film(Hp, Wp, CV_32F, cv::Scalar(0));
  out.mask.width = Wp;
  out.mask.height = Hp;
  out.mask.pixels.assign(static_cast<std::size_t>(Wp) * Hp, 0);
  const bool extra = D.in_space;
  for (int y = 0; y < Hp; ++y) {
    for (int x = 0; x < Wp; ++x) {
      int m = 0, f = 0;
      for (int sy = 0; sy < kSuper; ++sy) {
        for (int sx = 0; sx < kSuper; ++sx) {
          const Vec uv =
              L.frame.to_uv({(x + (sx + 0.5) / kSuper) * p, (y + (sy + 0.5) / kSuper) * p});
          const bool base = L.metal(uv.x, uv.y);
          const bool changed = D.changes(L, uv.x, uv.y);
          if (D.kind == DefectKind::residue) {
            m += base;
            f += changed;
          } else if (extra) {
            m += base || changed;
          } else {
            m += base && !changed;
          }
        }
      }
      metal.at<float>(y, x) = static_cast<float>(m) / (kSuper * kSuper);
      film.at<float>(y, x) = static_cast<float>(f) / (kSuper * kSuper);
      const Vec c = L.frame.to_uv({(x + 0.5) * p, (y + 0.5) * p});
      if (D.changes(L, c.x, c.y)) out.mask.pixels[static_cast<std::size_t>(y) * Wp + x] = 255;
    }
  }

  // Intensities: dielectric and metal levels, the residue film between them.
  const bool sem = out.modality == Modality::sem;
  const double I_d = sem ? rng.uniform(0.1, 0.25) : rng.uniform(0.15, 0.3);
  const double I_m = sem ? rng.uniform(0.45, 0.6) : rng.uniform(0.62, 0.85);
  cv::Mat img = I_d + (I_m - I_d) * metal + (D.contrast * (I_m - I_d)) * film;
  if (D.kind == DefectKind::particle) {
    // A particle's own brightness, relative to the metal.
    const double delta = (D.contrast - 1.0) * (I_m - I_d);
    cv::Mat pmask(Hp, Wp, CV_32F, cv::Scalar(0));
    for (int y = 0; y < Hp; ++y)
      for (int x = 0; x < Wp; ++x)
        pmask.at<float>(y, x) = out.mask.pixels[static_cast<std::size_t>(y) * Wp + x] ? 1.f : 0.f;
    img += delta * pmask;
  }

  // Optics: blur (the point-spread function), then SEM edge brightening from the gradient.
  const double sigma = o.blur * rng.uniform(0.4, 1.2);
  if (sigma > 0.05) cv::GaussianBlur(img, img, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
  if (sem) {
    cv::Mat gx, gy, mag;
    cv::Sobel(img, gx, CV_32F, 1, 0, 3, 0.125);
    cv::Sobel(img, gy, CV_32F, 0, 1, 3, 0.125);
    cv::magnitude(gx, gy, mag);
    img += rng.uniform(0.8, 1.6) * mag;
  }

  // Illumination: a linear gradient across the field (and a mild vignette for optics).
  const double g = o.illumination * rng.uniform(0.0, 0.3);
  const double gdir = rng.uniform(0.0, 2.0 * kPi);
  const double vig = sem ? 0.0 : o.illumination * rng.uniform(0.0, 0.15);
  for (int y = 0; y < Hp; ++y) {
    for (int x = 0; x < Wp; ++x) {
      const double xn = (x + 0.5) / Wp - 0.5, yn = (y + 0.5) / Hp - 0.5;
      const double gain =
          1.0 + g * (xn * std::cos(gdir) + yn * std::sin(gdir)) - vig * (xn * xn + yn * yn) * 2.0;
      img.at<float>(y, x) = static_cast<float>(img.at<float>(y, x) * gain);
    }
  }

  // Noise: Gaussian for optics; signal-dependent (shot) noise and scan-line offsets for SEM.
  const double sd = o.noise * rng.uniform(0.01, 0.04);
  for (int y = 0; y < Hp; ++y) {
    const double line_offset = sem ? o.noise * 0.01 * rng.normal() : 0.0;
    for (int x = 0; x < Wp; ++x) {
      float& v = img.at<float>(y, x);
      const double scale = sem ? 1.6 * std::sqrt(std::max(0.0f, v)) : 1.0;
      v = static_cast<float>(v + line_offset + sd * scale * rng.normal());
    }
  }

  // Quantise to the bit depth; colour images tint metal copper-orange.
  Image& im = out.image;
  im.width = Wp;
  im.height = Hp;
  im.bit_depth = o.bit_depth;
  im.channels = o.colour ? 3 : 1;
  im.pixel_size_m = p;
  im.source = "synthetic seed " + std::to_string(o.seed) + " #" + std::to_string(index);
  out.mask.pixel_size_m = p;
  out.mask.source = im.source + " mask";
  const double maxv = im.max_value();
  im.pixels.resize(static_cast<std::size_t>(Wp) * Hp * im.channels);
  for (int y = 0; y < Hp; ++y) {
    for (int x = 0; x < Wp; ++x) {
      const double v = img.at<float>(y, x);
      const std::size_t i = (static_cast<std::size_t>(y) * Wp + x) * im.channels;
      if (im.channels == 1) {
        im.pixels[i] = static_cast<std::uint16_t>(std::lround(std::clamp(v, 0.0, 1.0) * maxv));
      } else {
        const double t = std::clamp((v - I_d) / (I_m - I_d), 0.0, 1.2);  // metal fraction
        const double tint[3] = {1.0 + 0.15 * t, 1.0 - 0.1 * t, 1.0 - 0.35 * t};
        for (int c = 0; c < 3; ++c) {
          im.pixels[i + c] =
              static_cast<std::uint16_t>(std::lround(std::clamp(v * tint[c], 0.0, 1.0) * maxv));
        }
      }
    }
  }
  return out;
}

std::string SynthSample::to_json() const {
  using nlohmann::json;
  auto finite_or_null = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  json j;
  j["seed"] = seed;
  j["index"] = index;
  j["label"] = std::string(to_string(label()));
  j["reasons"] = verdict.reasons;
  j["margin_m"] = finite_or_null(verdict.margin_m);
  j["modality"] = std::string(to_string(modality));
  j["width_px"] = image.width;
  j["height_px"] = image.height;
  j["pixel_size_m"] = image.pixel_size_m.value_or(0.0);
  std::size_t mask_px = 0;
  for (auto v : mask.pixels) mask_px += v != 0;
  j["mask_area_px"] = mask_px;
  const DefectGeometry& t = truth;
  j["defect"] = {
      {"kind", std::string(to_string(t.kind))},
      {"length_m", t.length_m},
      {"width_m", t.width_m},
      {"area_m2", t.area_m2},
      {"orientation_deg", t.orientation_rad * 180.0 / kPi},
      {"centre_x_m", t.centre_x_m},
      {"centre_y_m", t.centre_y_m},
      {"line_index", t.line_index},
      {"crossing", t.crossing},
      {"line_width_m", t.line_width_m},
      {"line_space_m", t.line_space_m},
      {"via_distance_m", finite_or_null(t.via_distance_m)},
      {"neighbour_distance_m", finite_or_null(t.neighbour_distance_m)},
  };
  json vias = json::array();
  for (const Via& v : layout.vias) {
    vias.push_back(
        {{"centre_x_m", v.centre_x_m}, {"centre_y_m", v.centre_y_m}, {"radius_m", v.radius_m}});
  }
  j["layout"] = {{"angle_deg", layout.angle_deg},
                 {"line_width_m", layout.line_width_m},
                 {"line_space_m", layout.line_space_m},
                 {"line_offsets_m", layout.line_offsets_m},
                 {"vias", vias}};
  return j.dump(2);
}

}  // namespace psw::inference
