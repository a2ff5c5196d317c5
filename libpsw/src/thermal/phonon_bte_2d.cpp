#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include <Eigen/Dense>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include <psw/core/error.hpp>
#include <psw/thermal/phonon_bte_2d.hpp>

#include "bte_stepper.hpp"

namespace psw::thermal {

void Bte2dOptions::validate() const {
  require_in_range("bte_2d.box.width_m", width_m, Range::open_closed(0, 1.0));
  require_in_range("bte_2d.box.height_m", height_m, Range::open_closed(0, 1.0));
  require_in_range("bte_2d.box.cells_x", static_cast<double>(cells_x), Range::closed(1, 4000));
  require_in_range("bte_2d.box.cells_y", static_cast<double>(cells_y), Range::closed(1, 4000));
  require_in_range("bte_2d.phonons.heat_capacity_J_per_m3K", phonons.heat_capacity_J_per_m3K,
                   Range::open_closed(0, 1e8));
  require_in_range("bte_2d.phonons.group_velocity_m_per_s", phonons.group_velocity_m_per_s,
                   Range::open_closed(0, 1e5));
  require_in_range("bte_2d.phonons.mean_free_path_m", phonons.mean_free_path_m,
                   Range::open_closed(0, 1.0));
  for (const auto& [name, wall] : {std::pair{"left", &left}, std::pair{"right", &right},
                                   std::pair{"bottom", &bottom}, std::pair{"top", &top}}) {
    if (!wall->mirror) {
      require_in_range(std::string("bte_2d.walls.") + name + ".T_K", wall->T_K,
                       Range::open_closed(0, 1e5));
    }
  }
  for (std::size_t k = 0; k < heat.size(); ++k) {
    const HeatBox2d& h = heat[k];
    const std::string key = "bte_2d.heat[" + std::to_string(k) + "]";
    require(h.x0_m < h.x1_m && h.y0_m < h.y1_m,
            key + ": the box must have x0 < x1 and y0 < y1 (got x " + format_number(h.x0_m) +
                " to " + format_number(h.x1_m) + " m, y " + format_number(h.y0_m) + " to " +
                format_number(h.y1_m) + " m)");
    require_in_range(key + ".power_W_per_m3", h.power_W_per_m3, Range::closed(-1e25, 1e25));
  }
  for (std::size_t k = 0; k < sinks.size(); ++k) {
    const SinkBox2d& b = sinks[k];
    const std::string key = "bte_2d.sinks[" + std::to_string(k) + "]";
    require(b.x0_m < b.x1_m && b.y0_m < b.y1_m,
            key + ": the box must have x0 < x1 and y0 < y1 (got x " + format_number(b.x0_m) +
                " to " + format_number(b.x1_m) + " m, y " + format_number(b.y0_m) + " to " +
                format_number(b.y1_m) + " m)");
    require_in_range(key + ".T_K", b.T_K, Range::open_closed(0, 1e5));
  }
  require_in_range("bte_2d.polar", static_cast<double>(polar), Range::closed(1, 64));
  require_in_range("bte_2d.azimuths", static_cast<double>(azimuths), Range::closed(4, 256));
  require(azimuths % 4 == 0, "bte_2d.azimuths = " + std::to_string(azimuths) +
                                 " must be a multiple of 4 (each quadrant alike, so that every "
                                 "direction has its mirror images)");
  require_in_range("bte_2d.initial_K", initial_K, Range::open_closed(0, 1e5));
  require_in_range("bte_2d.tolerance", tolerance, Range::closed(1e-15, 1e-2));
  require_in_range("bte_2d.max_iterations", static_cast<double>(max_iterations),
                   Range::closed(1, 1e7));
  require(
      steps > 0 || !sinks.empty() || !(left.mirror && right.mirror && bottom.mirror && top.mirror),
      "bte_2d.walls: all four walls are mirrors, so a steady problem has no solution; make "
      "one wall black ({T_K: ...}) or step in time (transient)");
  if (steps > 0) {
    require_in_range("bte_2d.transient.time_step_s", time_step_s, Range::open_closed(0, 1.0));
    require_in_range("bte_2d.transient.steps", static_cast<double>(steps), Range::closed(1, 1e6));
  }
}

namespace {

// A direction of the product set: its in-plane cosines, its weight (the set sums to 1, so
// T = Σ w·φ) and the indices of its mirror images across an x wall (Ωx → −Ωx) and a y wall.
struct Direction {
  double ox = 0.0, oy = 0.0, w = 0.0;
  std::size_t mirror_x = 0, mirror_y = 0;
};

// Gauss–Legendre in μ = cos θ on [0, 1] (the two hemispheres have the same in-plane cosines, so
// each polar point stands for both, weight doubled), times azimuths φₖ = (k + ½)·2π/N. With N a
// multiple of 4, φ → π − φ (index N/2 − 1 − k) and φ → −φ (index N − 1 − k) are in the set.
std::vector<Direction> product_set(std::size_t polar, std::size_t azimuths) {
  const GaussLegendre gl = gauss_legendre(polar);
  std::vector<Direction> dirs;
  dirs.reserve(polar * azimuths);
  const double dphi = 2.0 * std::numbers::pi / static_cast<double>(azimuths);
  for (std::size_t p = 0; p < polar; ++p) {
    const double mu = 0.5 * (gl.nodes[p] + 1.0);
    const double w_mu = 0.5 * gl.weights[p];  // Σ over [0, 1] = 1
    const double s = std::sqrt(std::max(0.0, 1.0 - mu * mu));
    for (std::size_t k = 0; k < azimuths; ++k) {
      const double phi = (static_cast<double>(k) + 0.5) * dphi;
      Direction d;
      d.ox = s * std::cos(phi);
      d.oy = s * std::sin(phi);
      d.w = w_mu / static_cast<double>(azimuths);
      const std::size_t base = p * azimuths;
      d.mirror_x = base + (azimuths / 2 + azimuths - 1 - k) % azimuths;
      d.mirror_y = base + (azimuths - 1 - k);
      dirs.push_back(d);
    }
  }
  return dirs;
}

// Source iteration on the cell temperatures for one steady problem or one backward-Euler step:
//
//   Ω·∇φ + σ·φ = T/Λ + Q/(C·v) + φ_old/(v·Δt),     σ = 1/Λ + 1/(v·Δt)
//
// (no time terms for the steady problem), diamond differencing on each cell,
//
//   φ_c·(2|Ωx|/Δx + 2|Ωy|/Δy + σ) = s + (2|Ωx|/Δx)·φ_in,x + (2|Ωy|/Δy)·φ_in,y,
//   φ_out = 2φ_c − φ_in,
//
// swept from the upwind corner of each direction's quadrant. Mirror walls return the mirror
// direction's latest outgoing face intensity.
class Solver2d {
 public:
  explicit Solver2d(const Bte2dOptions& o)
      : o_(o),
        nx_(o.cells_x),
        ny_(o.cells_y),
        dx_(o.width_m / static_cast<double>(o.cells_x)),
        dy_(o.height_m / static_cast<double>(o.cells_y)),
        dirs_(product_set(o.polar, o.azimuths)),
        T_(nx_ * ny_, o.initial_K),
        source_(nx_ * ny_, 0.0) {
    const std::size_t nd = dirs_.size();
    out_left_.assign(nd * ny_, o.initial_K);
    out_right_.assign(nd * ny_, o.initial_K);
    out_bottom_.assign(nd * nx_, o.initial_K);
    out_top_.assign(nd * nx_, o.initial_K);
    face_left_.assign(nd * ny_, o.initial_K);
    face_right_.assign(nd * ny_, o.initial_K);
    face_bottom_.assign(nd * nx_, o.initial_K);
    face_top_.assign(nd * nx_, o.initial_K);
    psi_.assign(nd * nx_ * ny_, o.initial_K);
    // With mirrors on opposite walls one reflection lags a sweep (below); the DSA, which takes
    // the mirrors as exact, then needs extra sweeps per iteration until the reflections settle
    // (without them every case tried diverged after 400-650 sweeps).
    krylov_ = o.acceleration == BteAcceleration::krylov;
    use_dsa_ = o.acceleration == BteAcceleration::dsa;
    opposite_mirrors_ = (o.left.mirror && o.right.mirror) || (o.bottom.mirror && o.top.mirror);
    // Measured (a centred hot spot, all walls black, S4 x 12): DSA converges in 10-36 sweeps
    // with cells up to one mean free path thick, in 227 at 1.14 and diverges from 1.25 on.
    // (As a preconditioner inside GMRES it needs no such guard: see solve_krylov.)
    if (use_dsa_ && std::max(dx_, dy_) > o.phonons.mean_free_path_m * (1.0 + 1e-9)) {
      use_dsa_ = false;
      note_ = "; DSA off: cells thicker than a mean free path";
    }
    // Sweep order: a direction that leaves through a mirror goes before the direction it turns
    // into, so the reflection uses this sweep's intensity. With one mirror in y (x), the
    // quadrants heading for it go first; with mirrors on both sides one of them lags a sweep.
    const bool north_first = o.top.mirror && !o.bottom.mirror;
    const bool east_first = o.right.mirror && !o.left.mirror;
    for (const bool north : {north_first, !north_first}) {
      for (const bool east : {east_first, !east_first}) {
        for (std::size_t d = 0; d < nd; ++d) {
          if ((dirs_[d].oy > 0.0) == north && (dirs_[d].ox > 0.0) == east) order_.push_back(d);
        }
      }
    }
    // Sinks: cells whose centre lies inside a sink box are held at its temperature.
    fixed_.assign(nx_ * ny_, std::numeric_limits<double>::quiet_NaN());
    for (const SinkBox2d& b : o.sinks) {
      for (std::size_t j = 0; j < ny_; ++j) {
        const double y = (static_cast<double>(j) + 0.5) * dy_;
        if (y < b.y0_m || y > b.y1_m) continue;
        for (std::size_t i = 0; i < nx_; ++i) {
          const double x = (static_cast<double>(i) + 0.5) * dx_;
          if (x >= b.x0_m && x <= b.x1_m) {
            fixed_[j * nx_ + i] = b.T_K;
            T_[j * nx_ + i] = b.T_K;
            any_fixed_ = true;
          }
        }
      }
    }
    // Heat boxes: each cell gets Q times the fraction of its area inside the box, so a box's
    // total power does not depend on how it lines up with the grid.
    for (const HeatBox2d& h : o.heat) {
      for (std::size_t j = 0; j < ny_; ++j) {
        const double y0 = static_cast<double>(j) * dy_;
        const double fy = std::max(0.0, std::min(y0 + dy_, h.y1_m) - std::max(y0, h.y0_m)) / dy_;
        if (fy <= 0.0) continue;
        for (std::size_t i = 0; i < nx_; ++i) {
          const double x0 = static_cast<double>(i) * dx_;
          const double fx = std::max(0.0, std::min(x0 + dx_, h.x1_m) - std::max(x0, h.x0_m)) / dx_;
          source_[j * nx_ + i] += h.power_W_per_m3 * fx * fy;
        }
      }
    }
    // Heat put into a sink's cells goes straight to the sink: not a source of phonons.
    for (std::size_t c = 0; c < source_.size(); ++c) {
      if (is_fixed(c)) source_[c] = 0.0;
    }
  }

  bool is_fixed(std::size_t c) const { return !std::isnan(fixed_[c]); }
  bool any_fixed() const { return any_fixed_; }
  /// Net heat per unit depth into the sinks in the last sweep, W/m.
  double sink_in() const { return sink_in_; }

  struct Outcome {
    bool converged = false;
    double residual = 0.0;
    std::size_t sweeps = 0;
  };

  // Solves one steady problem (dt = 0) or one backward-Euler step of dt from the intensities
  // held in psi_. The tolerance is relative to temperature_span().
  Outcome solve(double dt) {
    const double C = o_.phonons.heat_capacity_J_per_m3K;
    const double v = o_.phonons.group_velocity_m_per_s;
    const double lambda = o_.phonons.mean_free_path_m;
    const double alpha = dt > 0.0 ? 1.0 / (v * dt) : 0.0;
    const double sigma = 1.0 / lambda + alpha;
    if (alpha > 0.0) psi_old_ = psi_;
    if ((use_dsa_ || krylov_) && (!dsa_ready_ || dsa_alpha_ != alpha)) factor_dsa(sigma, alpha);
    if (krylov_) return solve_krylov(sigma, alpha);
    Eigen::VectorXd residual(static_cast<Eigen::Index>(T_.size()));
    // The state to go back to if DSA diverges (thick cells): T and what left through the walls.
    std::vector<double> T_start;
    std::array<std::vector<double>, 4> out_start;
    if (use_dsa_) {
      T_start = T_;
      out_start = {out_left_, out_right_, out_bottom_, out_top_};
    }
    double best = std::numeric_limits<double>::infinity();
    std::size_t extra_sweeps = 0;  // reflection passes (facing mirrors with DSA)

    Outcome out;
    std::vector<double> T_new(T_.size());
    std::vector<double> s_iso(T_.size());
    for (std::size_t it = 1; it <= o_.max_iterations; ++it) {
      for (std::size_t c = 0; c < T_.size(); ++c) {
        s_iso[c] = T_[c] / lambda + source_[c] / (C * v);
      }
      sweep(sigma, alpha, s_iso, T_new);
      if (use_dsa_ && opposite_mirrors_) {
        // One of two facing mirrors reflects last sweep's intensity. Sweep again with the same
        // scattering source until the reflections stop moving (well below this iteration's
        // change of T), so that the DSA, which takes the mirrors as exact, sees a consistent
        // iterate.
        double dT = 0.0;
        for (std::size_t c = 0; c < T_.size(); ++c) dT = std::max(dT, std::abs(T_new[c] - T_[c]));
        for (int pass = 0; pass < kMaxReflectionPasses; ++pass) {
          const std::array<std::vector<double>, 4> before{out_left_, out_right_, out_bottom_,
                                                          out_top_};
          sweep(sigma, alpha, s_iso, T_new);
          ++extra_sweeps;
          double moved = 0.0;
          const std::array<const std::vector<double>*, 4> now{&out_left_, &out_right_, &out_bottom_,
                                                              &out_top_};
          for (std::size_t w = 0; w < 4; ++w) {
            for (std::size_t k = 0; k < before[w].size(); ++k) {
              moved = std::max(moved, std::abs((*now[w])[k] - before[w][k]));
            }
          }
          if (!(moved > 1e-2 * dT)) break;
        }
      }
      if (use_dsa_) {
        // The diffusion estimate of the error left by the sweep, driven by the scattering
        // source's change: −∇·(D∇f) + α·f = (T^(k+½) − T^k)/Λ.
        for (std::size_t c = 0; c < T_.size(); ++c) {
          residual[static_cast<Eigen::Index>(c)] = is_fixed(c) ? 0.0 : (T_new[c] - T_[c]) / lambda;
        }
        const Eigen::VectorXd f = dsa_solver_.solve(residual);
        for (std::size_t c = 0; c < T_.size(); ++c) T_new[c] += f[static_cast<Eigen::Index>(c)];
      }
      double change = 0.0;
      bool finite = true;
      for (std::size_t c = 0; c < T_.size(); ++c) {
        if (!std::isfinite(T_new[c])) finite = false;
        change = std::max(change, std::abs(T_new[c] - T_[c]));
      }
      const double span = temperature_span(T_new.data());
      T_.swap(T_new);
      out.sweeps = it + extra_sweeps;
      out.residual = change / span;
      if (use_dsa_ && (!finite || (it > 5 && out.residual > 10.0 * best))) {
        // Inconsistent DSA amplifies errors in cells thicker than about a mean free path:
        // restart this solve by plain source iteration, and keep DSA off for the run.
        use_dsa_ = false;
        note_ = "; DSA switched off after it diverged in sweep " + std::to_string(it) +
                " (cells thicker than about a mean free path)";
        T_ = T_start;
        out_left_ = out_start[0];
        out_right_ = out_start[1];
        out_bottom_ = out_start[2];
        out_top_ = out_start[3];
        continue;
      }
      best = std::min(best, out.residual);
      if (!finite) {
        out.residual = std::numeric_limits<double>::infinity();
        return out;
      }
      if (out.residual < o_.tolerance) {
        out.converged = true;
        return out;
      }
    }
    return out;
  }

  const std::vector<double>& T() const { return T_; }
  const std::vector<double>& source() const { return source_; }
  /// Empty, or why the run used plain source iteration though DSA was asked for.
  const std::string& note() const { return note_; }
  std::size_t nx() const { return nx_; }
  std::size_t ny() const { return ny_; }
  double dx() const { return dx_; }
  double dy() const { return dy_; }

  // Cell-centre heat flux components, C·v·Σ w·Ω·φ_c.
  void fluxes(std::vector<double>& qx, std::vector<double>& qy) const {
    const double cv = o_.phonons.heat_capacity_J_per_m3K * o_.phonons.group_velocity_m_per_s;
    const std::size_t n = nx_ * ny_;
    qx.assign(n, 0.0);
    qy.assign(n, 0.0);
    for (std::size_t d = 0; d < dirs_.size(); ++d) {
      const Direction& dir = dirs_[d];
      const double* p = &psi_[d * n];
      for (std::size_t c = 0; c < n; ++c) {
        qx[c] += cv * dir.w * dir.ox * p[c];
        qy[c] += cv * dir.w * dir.oy * p[c];
      }
    }
  }

  // Net heat per unit depth leaving through each wall (W/m): left, right, bottom, top, from the
  // face intensities of the last sweep (arriving and leaving).
  std::array<double, 4> wall_out() const {
    const double cv = o_.phonons.heat_capacity_J_per_m3K * o_.phonons.group_velocity_m_per_s;
    std::array<double, 4> q{};
    for (std::size_t d = 0; d < dirs_.size(); ++d) {
      const Direction& dir = dirs_[d];
      for (std::size_t j = 0; j < ny_; ++j) {
        q[0] -= cv * dir.w * dir.ox * face_left_[d * ny_ + j] * dy_;
        q[1] += cv * dir.w * dir.ox * face_right_[d * ny_ + j] * dy_;
      }
      for (std::size_t i = 0; i < nx_; ++i) {
        q[2] -= cv * dir.w * dir.oy * face_bottom_[d * nx_ + i] * dx_;
        q[3] += cv * dir.w * dir.oy * face_top_[d * nx_ + i] * dx_;
      }
    }
    return q;
  }

 private:
  // The DSA operator −∇·(D∇f) + α·f, D = 1/(3σ), on the cells: two-point fluxes D/Δ² between
  // neighbours; at a black wall Marshak's condition f + 2D·∂f/∂n = 0 taken through the half
  // cell, a conductance 2D/(Δ(Δ + 4D)); nothing through a mirror.
  void factor_dsa(double sigma, double alpha) {
    const double D = 1.0 / (3.0 * sigma);
    const auto n = static_cast<Eigen::Index>(nx_ * ny_);
    std::vector<Eigen::Triplet<double>> a;
    a.reserve(static_cast<std::size_t>(n) * 5);
    const double gx = D / (dx_ * dx_), gy = D / (dy_ * dy_);
    const double bx = 2.0 * D / (dx_ * (dx_ + 4.0 * D)), by = 2.0 * D / (dy_ * (dy_ + 4.0 * D));
    for (std::size_t j = 0; j < ny_; ++j) {
      for (std::size_t i = 0; i < nx_; ++i) {
        const auto c = static_cast<Eigen::Index>(j * nx_ + i);
        if (is_fixed(j * nx_ + i)) {  // held: no correction there
          a.emplace_back(c, c, 1.0);
          continue;
        }
        double diag = alpha;
        const auto link = [&](bool inside, Eigen::Index other, double g, const Wall2d& wall,
                              double b) {
          if (inside && is_fixed(static_cast<std::size_t>(other))) {
            diag += b;  // a sink's face: black, Marshak as at a black wall
          } else if (inside) {
            diag += g;
            a.emplace_back(c, other, -g);
          } else if (!wall.mirror) {
            diag += b;
          }
        };
        link(i > 0, c - 1, gx, o_.left, bx);
        link(i + 1 < nx_, c + 1, gx, o_.right, bx);
        const auto row = static_cast<Eigen::Index>(nx_);
        link(j > 0, c - row, gy, o_.bottom, by);
        link(j + 1 < ny_, c + row, gy, o_.top, by);
        a.emplace_back(c, c, diag);
      }
    }
    Eigen::SparseMatrix<double> A(n, n);
    A.setFromTriplets(a.begin(), a.end());
    dsa_solver_.compute(A);
    if (dsa_solver_.info() != Eigen::Success) {
      throw std::runtime_error("bte_2d: the DSA diffusion matrix could not be factorised");
    }
    dsa_ready_ = true;
    dsa_alpha_ = alpha;
  }

  // The intensity arriving through a wall for direction d at face index k: the wall's emission,
  // or (a mirror) what the mirror direction last left through that face.
  // `homogeneous`: black walls emit nothing (the linear part of the sweep).
  static double arriving(const Wall2d& wall, const std::vector<double>& out_of_mirror,
                         std::size_t mirror, std::size_t faces, std::size_t k, bool homogeneous) {
    if (wall.mirror) return out_of_mirror[mirror * faces + k];
    return homogeneous ? 0.0 : wall.T_K;
  }

  // One transport sweep of every direction with the isotropic source s_iso, T_new = Σ w·φ_c.
  // `homogeneous` drops everything that does not scale with s_iso and the mirrors' arriving
  // intensities (wall emission, the sinks' temperatures, the previous time step), leaving the
  // linear operator the Krylov solve needs.
  void sweep(double sigma, double alpha, const std::vector<double>& s_iso,
             std::vector<double>& T_new, bool homogeneous = false) {
    const std::size_t n = nx_ * ny_;
    std::fill(T_new.begin(), T_new.end(), 0.0);
    std::vector<double> column_in(nx_);  // y-face intensities entering the current row
    const double cv = o_.phonons.heat_capacity_J_per_m3K * o_.phonons.group_velocity_m_per_s;
    sink_in_ = 0.0;
    for (const std::size_t d : order_) {
      const Direction& dir = dirs_[d];
      const bool east = dir.ox > 0.0, north = dir.oy > 0.0;
      const double ax = 2.0 * std::abs(dir.ox) / dx_, ay = 2.0 * std::abs(dir.oy) / dy_;
      const double denom = ax + ay + sigma;
      double* psi = &psi_[d * n];
      const double* old = alpha > 0.0 && !homogeneous ? &psi_old_[d * n] : nullptr;
      for (std::size_t i = 0; i < nx_; ++i) {
        const double in = north
                              ? arriving(o_.bottom, out_bottom_, dir.mirror_y, nx_, i, homogeneous)
                              : arriving(o_.top, out_top_, dir.mirror_y, nx_, i, homogeneous);
        column_in[i] = in;
        (north ? face_bottom_ : face_top_)[d * nx_ + i] = in;
      }
      for (std::size_t jj = 0; jj < ny_; ++jj) {
        const std::size_t j = north ? jj : ny_ - 1 - jj;
        double row_in = east ? arriving(o_.left, out_left_, dir.mirror_x, ny_, j, homogeneous)
                             : arriving(o_.right, out_right_, dir.mirror_x, ny_, j, homogeneous);
        (east ? face_left_ : face_right_)[d * ny_ + j] = row_in;
        for (std::size_t ii = 0; ii < nx_; ++ii) {
          const std::size_t i = east ? ii : nx_ - 1 - ii;
          const std::size_t c = j * nx_ + i;
          if (any_fixed_ && is_fixed(c)) {
            // A black cell: absorbs what arrives through its two upwind faces, emits its own
            // temperature through the other two.
            const double Tf = homogeneous ? 0.0 : fixed_[c];
            sink_in_ += cv * dir.w *
                        (std::abs(dir.ox) * dy_ * (row_in - Tf) +
                         std::abs(dir.oy) * dx_ * (column_in[i] - Tf));
            psi[c] = Tf;
            row_in = column_in[i] = Tf;
            continue;
          }
          double s = s_iso[c];
          if (old != nullptr) s += alpha * old[c];
          const double centre = (s + ax * row_in + ay * column_in[i]) / denom;
          psi[c] = centre;
          T_new[c] += dir.w * centre;
          row_in = 2.0 * centre - row_in;
          column_in[i] = 2.0 * centre - column_in[i];
        }
        // row_in now leaves through the downstream x wall.
        (east ? face_right_ : face_left_)[d * ny_ + j] = row_in;
        (east ? out_right_ : out_left_)[d * ny_ + j] = row_in;
      }
      for (std::size_t i = 0; i < nx_; ++i) {
        (north ? face_top_ : face_bottom_)[d * nx_ + i] = column_in[i];
        (north ? out_top_ : out_bottom_)[d * nx_ + i] = column_in[i];
      }
    }
    // A sink's cells hold their temperature exactly (not a sum of weights that rounds).
    if (any_fixed_) {
      for (std::size_t c = 0; c < n; ++c) {
        if (is_fixed(c)) T_new[c] = homogeneous ? 0.0 : fixed_[c];
      }
    }
  }

  // The range of temperatures, cells' (T, one per cell) and black walls', that the convergence
  // test measures a change against (1 K when everything is at one temperature).
  double temperature_span(const double* T) const {
    const auto [lo, hi] = std::minmax_element(T, T + T_.size());
    double low = *lo, high = *hi;
    for (const Wall2d* w : {&o_.left, &o_.right, &o_.bottom, &o_.top}) {
      if (!w->mirror) {
        low = std::min(low, w->T_K);
        high = std::max(high, w->T_K);
      }
    }
    return high - low > 0.0 ? high - low : 1.0;
  }

  // The iterate of the Krylov solve: the cell temperatures, then what last left through each
  // mirror wall (the intensities a mirror returns, unknowns in their own right when a reflection
  // lags a sweep).
  std::array<std::vector<double>*, 4> outs() {
    return {&out_left_, &out_right_, &out_bottom_, &out_top_};
  }
  std::array<bool, 4> mirrors() const {
    return {o_.left.mirror, o_.right.mirror, o_.bottom.mirror, o_.top.mirror};
  }
  Eigen::Index state_size() {
    std::size_t size = T_.size();
    for (std::size_t w = 0; w < 4; ++w) {
      if (mirrors()[w]) size += outs()[w]->size();
    }
    return static_cast<Eigen::Index>(size);
  }
  void pack(Eigen::VectorXd& x) {
    x.resize(state_size());
    Eigen::Index k = 0;
    for (const double t : T_) x[k++] = t;
    for (std::size_t w = 0; w < 4; ++w) {
      if (!mirrors()[w]) continue;
      for (const double v : *outs()[w]) x[k++] = v;
    }
  }
  void unpack(const Eigen::VectorXd& x) {
    Eigen::Index k = 0;
    for (double& t : T_) t = x[k++];
    for (std::size_t w = 0; w < 4; ++w) {
      if (!mirrors()[w]) continue;
      for (double& v : *outs()[w]) v = x[k++];
    }
  }

  // y = G(x): one sweep from the state x (the whole affine map), or, homogeneous, its linear
  // part K·x. The sweep leaves T_ = x's temperatures; the caller sets the state it wants next.
  void apply_sweep(const Eigen::VectorXd& x, Eigen::VectorXd& y, double sigma, double alpha,
                   bool homogeneous, std::vector<double>& s_iso, std::vector<double>& T_new) {
    unpack(x);
    const double C = o_.phonons.heat_capacity_J_per_m3K;
    const double v = o_.phonons.group_velocity_m_per_s;
    const double lambda = o_.phonons.mean_free_path_m;
    for (std::size_t c = 0; c < T_.size(); ++c) {
      s_iso[c] = T_[c] / lambda + (homogeneous ? 0.0 : source_[c] / (C * v));
    }
    sweep(sigma, alpha, s_iso, T_new, homogeneous);
    T_.swap(T_new);  // pack reads T_ (the sweep's result) and the outgoing intensities
    pack(y);
    T_.swap(T_new);
  }

  // The DSA as a preconditioner: z = v + f on the temperatures, f solving the diffusion problem
  // driven by v/Λ (zero in sinks); the intensities leaving through a mirror get the isotropic
  // correction of the cell they leave from.
  void precondition(const Eigen::VectorXd& v, Eigen::VectorXd& z) {
    const double lambda = o_.phonons.mean_free_path_m;
    const auto n = static_cast<Eigen::Index>(T_.size());
    Eigen::VectorXd rhs(n);
    for (Eigen::Index c = 0; c < n; ++c) {
      rhs[c] = is_fixed(static_cast<std::size_t>(c)) ? 0.0 : v[c] / lambda;
    }
    const Eigen::VectorXd f = dsa_solver_.solve(rhs);
    z = v;
    z.head(n) += f;
    Eigen::Index k = n;
    const std::size_t nd = dirs_.size();
    for (std::size_t w = 0; w < 4; ++w) {
      if (!mirrors()[w]) continue;
      const bool x_wall = w < 2;
      const std::size_t faces = x_wall ? ny_ : nx_;
      for (std::size_t d = 0; d < nd; ++d) {
        // Only the directions that leave through this wall have an intensity stored there.
        const double o = x_wall ? dirs_[d].ox : dirs_[d].oy;
        if ((w % 2 == 0) != (o < 0.0)) {
          k += static_cast<Eigen::Index>(faces);
          continue;
        }
        for (std::size_t i = 0; i < faces; ++i) {
          const std::size_t cell = w == 0   ? i * nx_
                                   : w == 1 ? i * nx_ + nx_ - 1
                                   : w == 2 ? i
                                            : (ny_ - 1) * nx_ + i;
          z[k++] += f[static_cast<Eigen::Index>(cell)];
        }
      }
    }
  }

  // Restarted GMRES (right-preconditioned by the DSA) on the fixed point x = G(x) = K·x + b of
  // the sweep, i.e. (I − K)·x = b. Each inner iteration costs one homogeneous sweep, each restart
  // one full sweep that also measures the convergence as source iteration does (the largest
  // change of T, relative to the temperature span). GMRES minimises the true residual whatever
  // the preconditioner (the residual never grows; a restarted GMRES can at worst stall), so a
  // DSA that is inconsistent with diamond differencing (thick cells, lagging mirrors) slows it
  // but cannot make it diverge, unlike DSA-accelerated iteration
  // (Warsa, Wareing & Morel, Nucl. Sci. Eng. 147 (2004) 218).
  Outcome solve_krylov(double sigma, double alpha) {
    constexpr Eigen::Index kRestart = 30;
    Outcome out;
    std::vector<double> s_iso(T_.size()), T_new(T_.size());
    const auto n = static_cast<Eigen::Index>(T_.size());
    Eigen::VectorXd x, gx, r, w, z;
    pack(x);
    Eigen::MatrixXd V(x.size(), kRestart + 1);
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(kRestart + 1, kRestart);
    Eigen::VectorXd cs(kRestart), sn(kRestart), g(kRestart + 1);
    while (true) {
      apply_sweep(x, gx, sigma, alpha, false, s_iso, T_new);
      ++out.sweeps;
      r = gx - x;
      const double span = temperature_span(gx.data());
      out.residual = r.head(n).cwiseAbs().maxCoeff() / span;
      // The sweep just made is the step source iteration would take: keep it (its intensities,
      // face values and sink heat belong to it).
      unpack(gx);
      if (!std::isfinite(out.residual)) {
        out.residual = std::numeric_limits<double>::infinity();
        return out;
      }
      if (out.residual < o_.tolerance) {
        out.converged = true;
        return out;
      }
      if (out.sweeps >= o_.max_iterations) return out;
      // Correct x (not G(x)): the residual r = b − (I − K)·x belongs to x.
      const double beta = r.norm();
      const double target = 0.5 * o_.tolerance * span;
      V.col(0) = r / beta;
      g.setZero();
      g[0] = beta;
      Eigen::Index k = 0;
      // (One sweep is kept for the check that ends every cycle.)
      for (; k < kRestart && out.sweeps + 1 < o_.max_iterations; ++k) {
        precondition(V.col(k), z);
        apply_sweep(z, w, sigma, alpha, true, s_iso, T_new);
        ++out.sweeps;
        w = z - w;                               // (I − K)·z
        for (Eigen::Index i = 0; i <= k; ++i) {  // modified Gram–Schmidt
          H(i, k) = w.dot(V.col(i));
          w -= H(i, k) * V.col(i);
        }
        H(k + 1, k) = w.norm();
        if (H(k + 1, k) > 0.0) V.col(k + 1) = w / H(k + 1, k);
        for (Eigen::Index i = 0; i < k; ++i) {  // earlier rotations
          const double a = H(i, k), b = H(i + 1, k);
          H(i, k) = cs[i] * a + sn[i] * b;
          H(i + 1, k) = -sn[i] * a + cs[i] * b;
        }
        const double rho = std::hypot(H(k, k), H(k + 1, k));
        if (!(rho > 0.0)) break;  // nothing left to reduce in this cycle
        cs[k] = H(k, k) / rho;
        sn[k] = H(k + 1, k) / rho;
        H(k, k) = rho;
        H(k + 1, k) = 0.0;
        g[k + 1] = -sn[k] * g[k];
        g[k] = cs[k] * g[k];
        if (std::abs(g[k + 1]) <= target) {
          ++k;
          break;
        }
      }
      // x += M⁻¹·V·y with H·y = g (upper triangular after the rotations).
      const Eigen::VectorXd y =
          H.topLeftCorner(k, k).triangularView<Eigen::Upper>().solve(g.head(k));
      precondition(V.leftCols(k) * y, z);
      x += z;
    }
  }

  const Bte2dOptions& o_;
  std::size_t nx_, ny_;
  double dx_, dy_;
  std::vector<Direction> dirs_;
  std::vector<std::size_t> order_;  // the sweep's order of directions
  std::vector<double> fixed_;       // a sink cell's temperature, NaN for a free cell
  bool any_fixed_ = false;
  double sink_in_ = 0.0;
  bool use_dsa_ = false;
  bool krylov_ = false;
  bool opposite_mirrors_ = false;
  static constexpr int kMaxReflectionPasses = 50;
  std::string note_;
  std::vector<double> T_, source_;
  std::vector<double> psi_, psi_old_;  // cell-centre intensities, [d·n + c]
  // Per direction and face: what left through each wall (read by mirrors) and every face
  // intensity of the last sweep, arriving or leaving (for the wall heat flows).
  std::vector<double> out_left_, out_right_, out_bottom_, out_top_;
  std::vector<double> face_left_, face_right_, face_bottom_, face_top_;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> dsa_solver_;
  bool dsa_ready_ = false;
  double dsa_alpha_ = 0.0;
};

}  // namespace

Bte2dResult solve_bte_2d(const Bte2dOptions& options) {
  options.validate();
  Solver2d solver(options);
  const std::size_t nx = solver.nx(), ny = solver.ny();
  const double area = solver.dx() * solver.dy();
  const double C = options.phonons.heat_capacity_J_per_m3K;

  Bte2dResult r;
  r.x_m.resize(nx);
  r.y_m.resize(ny);
  for (std::size_t i = 0; i < nx; ++i) r.x_m[i] = (static_cast<double>(i) + 0.5) * solver.dx();
  for (std::size_t j = 0; j < ny; ++j) r.y_m[j] = (static_cast<double>(j) + 0.5) * solver.dy();
  for (double q : solver.source()) r.source_W_per_m += q * area;

  const auto fail = [&r, &solver](const Solver2d::Outcome& o, const std::string& where) {
    r.status = std::isfinite(o.residual) ? BteStatus::max_iterations : BteStatus::diverged;
    r.message = std::string(to_string(r.status)) + where + " after " + std::to_string(o.sweeps) +
                " sweeps, residual " + format_number(o.residual) + solver.note();
  };

  if (options.steps == 0) {
    const auto o = solver.solve(0.0);
    r.iterations = o.sweeps;
    if (o.converged) {
      r.message = "converged in " + std::to_string(o.sweeps) + " sweeps" + solver.note();
    } else {
      fail(o, "");
    }
  } else {
    const auto stored = [&] {
      double e = 0.0;  // in the free cells: a sink's cells hold no changing energy
      for (std::size_t c = 0; c < solver.T().size(); ++c) {
        if (!solver.is_fixed(c)) e += C * (solver.T()[c] - options.initial_K) * area;
      }
      return e;
    };
    const auto snapshot = [&](double t, double input) {
      r.time_s.push_back(t);
      r.stored_J_per_m.push_back(stored());
      r.input_J_per_m.push_back(input);
      r.T_history_K.insert(r.T_history_K.end(), solver.T().begin(), solver.T().end());
    };
    snapshot(0.0, 0.0);
    double input = 0.0;
    for (std::size_t step = 1; step <= options.steps; ++step) {
      const auto o = solver.solve(options.time_step_s);
      r.iterations += o.sweeps;
      if (!o.converged) {
        fail(o, " in step " + std::to_string(step));
        break;
      }
      const auto out = solver.wall_out();
      input += options.time_step_s *
               (r.source_W_per_m - out[0] - out[1] - out[2] - out[3] - solver.sink_in());
      snapshot(static_cast<double>(step) * options.time_step_s, input);
    }
    if (r.status == BteStatus::converged) {
      r.message = "converged: " + std::to_string(options.steps) + " steps, " +
                  std::to_string(r.iterations) + " sweeps" + solver.note();
    }
  }
  r.T_K = solver.T();
  solver.fluxes(r.qx_W_per_m2, r.qy_W_per_m2);
  r.wall_out_W_per_m = solver.wall_out();
  r.sink_in_W_per_m = solver.sink_in();
  return r;
}

namespace {

Wall2d parse_wall(const Config& walls, std::string_view name) {
  Wall2d w;
  const Config node = walls.child(name);
  if (node.is_scalar()) {
    const std::string text = node.as_string();
    if (text != "mirror") {
      throw node.error("bte_2d.walls." + std::string(name) + " = '" + text +
                       "': expected `mirror` or a map {T_K: ...} (a black wall)");
    }
    w.mirror = true;
    return w;
  }
  if (!node.is_map()) {
    throw node.error("bte_2d.walls." + std::string(name) +
                     ": expected `mirror` or a map {T_K: ...} (a black wall)");
  }
  w.T_K = node.get_double("T_K", Range::open_closed(0, 1e5));
  node.finish();
  return w;
}

std::pair<double, double> parse_interval_nm(const Config& box, std::string_view key) {
  const std::vector<double> v = box.get_doubles(key, Range::closed(-1e9, 1e9));
  if (v.size() != 2 || !(v[0] < v[1])) {
    throw box.child(key).error(std::string(key) + ": expected [start, end] in nm with start < end");
  }
  return {v[0] * 1e-9, v[1] * 1e-9};
}

}  // namespace

Bte2dOptions parse_bte_2d(const Config& section) {
  Bte2dOptions o;
  const Config box = section.section("box");
  o.width_m = box.get_si("width_nm", Range::open_closed(0, 1e9));
  o.height_m = box.get_si("height_nm", Range::open_closed(0, 1e9));
  o.cells_x = static_cast<std::size_t>(box.get_int("cells_x", Range::closed(1, 4000)));
  o.cells_y = static_cast<std::size_t>(box.get_int("cells_y", Range::closed(1, 4000)));
  box.finish();

  o.phonons = detail::parse_phonons(section.section("phonons"));

  const Config walls = section.section("walls");
  o.left = parse_wall(walls, "left");
  o.right = parse_wall(walls, "right");
  o.bottom = parse_wall(walls, "bottom");
  o.top = parse_wall(walls, "top");
  walls.finish();

  for (const Config& h : section.list("heat")) {
    HeatBox2d b;
    std::tie(b.x0_m, b.x1_m) = parse_interval_nm(h, "x_nm");
    std::tie(b.y0_m, b.y1_m) = parse_interval_nm(h, "y_nm");
    b.power_W_per_m3 = h.get_double("power_W_per_m3", Range::closed(-1e25, 1e25));
    h.finish();
    o.heat.push_back(b);
  }

  for (const Config& h : section.list("sinks")) {
    SinkBox2d b;
    std::tie(b.x0_m, b.x1_m) = parse_interval_nm(h, "x_nm");
    std::tie(b.y0_m, b.y1_m) = parse_interval_nm(h, "y_nm");
    b.T_K = h.get_double("T_K", Range::open_closed(0, 1e5));
    h.finish();
    o.sinks.push_back(b);
  }

  o.polar = static_cast<std::size_t>(section.get_int("polar", 8, Range::closed(1, 64)));
  const auto az = section.get_int("azimuths", 16, Range::closed(4, 256));
  if (az % 4 != 0) {
    throw section.child("azimuths")
        .error("bte_2d.azimuths = " + std::to_string(az) + " must be a multiple of 4");
  }
  o.azimuths = static_cast<std::size_t>(az);
  const std::string acceleration =
      section.get_choice("acceleration", "krylov", {"krylov", "dsa", "none"});
  o.acceleration = acceleration == "krylov" ? BteAcceleration::krylov
                   : acceleration == "dsa"  ? BteAcceleration::dsa
                                            : BteAcceleration::none;
  o.initial_K = section.get_double("initial_K", 300.0, Range::open_closed(0, 1e5));
  o.tolerance = section.get_double("tolerance", 1e-8, Range::closed(1e-15, 1e-2));
  o.max_iterations =
      static_cast<std::size_t>(section.get_int("max_iterations", 20000, Range::closed(1, 1e7)));
  if (const auto t = section.optional_section("transient")) {
    o.time_step_s =
        t->get_si_any("time_step", {"fs", "ps", "ns", "us", "s"}, Range::open_closed(0, 1));
    o.steps = static_cast<std::size_t>(t->get_int("steps", Range::closed(1, 1e6)));
    t->finish();
  }
  section.finish();
  o.validate();
  return o;
}

}  // namespace psw::thermal
