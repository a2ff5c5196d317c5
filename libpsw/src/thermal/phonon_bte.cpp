#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include <psw/core/banded.hpp>
#include <psw/core/error.hpp>
#include <psw/core/log.hpp>
#include <psw/core/tridiagonal.hpp>
#include <psw/thermal/phonon_bte.hpp>

#include "bte_stepper.hpp"

namespace psw::thermal {

GaussLegendre gauss_legendre(std::size_t n) {
  require_in_range("gauss_legendre n", static_cast<double>(n), Range::closed(1, 1024));
  GaussLegendre q;
  q.nodes.assign(n, 0.0);
  q.weights.assign(n, 0.0);
  const double nd = static_cast<double>(n);

  // Roots of Pₙ come in ± pairs: find the m = ⌈n/2⌉ non-negative ones by Newton's method.
  const std::size_t m = (n + 1) / 2;
  for (std::size_t i = 0; i < m; ++i) {
    // Tricomi's estimate of the i-th largest root, accurate enough for Newton to converge to it.
    double x = std::cos(std::numbers::pi * (static_cast<double>(i) + 0.75) / (nd + 0.5));
    double dp = 1.0;
    for (int it = 0; it < 100; ++it) {
      // Bonnet's recurrence: (k+1)P_{k+1} = (2k+1)x P_k − k P_{k−1}.
      double p0 = 1.0, p1 = x;
      for (std::size_t k = 1; k < n; ++k) {
        const double kd = static_cast<double>(k);
        const double p2 = ((2.0 * kd + 1.0) * x * p1 - kd * p0) / (kd + 1.0);
        p0 = p1;
        p1 = p2;
      }
      // Pₙ'(x) = n (x Pₙ − Pₙ₋₁)/(x² − 1).
      dp = nd * (x * p1 - p0) / (x * x - 1.0);
      const double step = p1 / dp;
      x -= step;
      if (std::abs(step) < 1e-16) break;
    }
    // Refresh Pₙ' at the converged root; w = 2/((1 − x²) Pₙ'(x)²).
    double p0 = 1.0, p1 = x;
    for (std::size_t k = 1; k < n; ++k) {
      const double kd = static_cast<double>(k);
      const double p2 = ((2.0 * kd + 1.0) * x * p1 - kd * p0) / (kd + 1.0);
      p0 = p1;
      p1 = p2;
    }
    dp = n == 1 ? 1.0 : nd * (x * p1 - p0) / (x * x - 1.0);
    const double w = 2.0 / ((1.0 - x * x) * dp * dp);
    q.nodes[n - 1 - i] = x;
    q.nodes[i] = -x;
    q.weights[n - 1 - i] = w;
    q.weights[i] = w;
  }
  if (n % 2 == 1) q.nodes[n / 2] = 0.0;
  return q;
}

const char* to_string(BteStatus status) {
  switch (status) {
    case BteStatus::converged:
      return "converged";
    case BteStatus::max_iterations:
      return "max_iterations";
    case BteStatus::diverged:
      return "diverged";
  }
  return "unknown";
}

void SlabBteOptions::validate() const {
  require(acceleration != BteAcceleration::krylov,
          "bte.acceleration: krylov is for bte_2d; the slab's DSA is consistent with its sweep "
          "and converges in tens of sweeps on its own (use dsa or none)");
  require_in_range("bte.slab.thickness_m", thickness_m, Range::open_closed(0, 1.0));
  require_in_range("bte.slab.cells", static_cast<double>(cells), Range::closed(1, 1e6));
  require_in_range("bte.phonons.heat_capacity_J_per_m3K", phonons.heat_capacity_J_per_m3K,
                   Range::open_closed(0, 1e8));
  require_in_range("bte.phonons.group_velocity_m_per_s", phonons.group_velocity_m_per_s,
                   Range::open_closed(0, 1e5));
  require_in_range("bte.phonons.mean_free_path_m", phonons.mean_free_path_m,
                   Range::open_closed(0, 1.0));
  require_in_range("bte.walls.hot_K", hot_K, Range::open_closed(0, 1e5));
  require_in_range("bte.walls.cold_K", cold_K, Range::open_closed(0, 1e5));
  require(hot_K != cold_K, "bte.walls: hot_K = cold_K = " + format_number(hot_K) +
                               "; the wall temperatures must differ");
  for (const auto& [key, value] : {std::pair{"bte.walls.hot_specular", hot_specular},
                                   std::pair{"bte.walls.hot_diffuse", hot_diffuse},
                                   std::pair{"bte.walls.cold_specular", cold_specular},
                                   std::pair{"bte.walls.cold_diffuse", cold_diffuse}}) {
    require_in_range(key, value, Range::closed_open(0, 1));
  }
  require(hot_specular + hot_diffuse < 1.0 && cold_specular + cold_diffuse < 1.0,
          "bte.walls: specular + diffuse must stay below 1 on each wall (each wall must emit)");
  require_in_range("bte.ordinates", static_cast<double>(ordinates), Range::closed(2, 1024));
  require(ordinates % 2 == 0, "bte.ordinates = " + std::to_string(ordinates) +
                                  " must be even (Gauss–Legendre sets symmetric about μ = 0)");
  require_in_range("bte.tolerance", tolerance, Range::closed(1e-15, 1e-2));
  require_in_range("bte.max_iterations", static_cast<double>(max_iterations),
                   Range::closed(1, 1e7));
}

namespace {

// One transport sweep of μ φ' + φ = S (x in mean free paths) with diamond differencing.
// Returns the new cell temperatures ½Σwφᵢ in T_new, the cell-centre fluxes Σwμφᵢ in J and the
// wall-face temperatures ½Σwφ at x = 0 and x = L.
struct Sweep {
  std::vector<double> T_new, J;
  double T_left = 0.0, T_right = 0.0;
  // Per positive ordinate a (index a − N/2): the intensity entering at each wall, set before
  // the sweep, and the intensity leaving through each wall, recorded by it.
  std::vector<double> in_left, in_right, out_left, out_right;
};

// A wall's incoming intensity: emission ε·T_wall, specular p·φ_out(−μ), diffuse d·2∫μφ_out dμ.
struct Wall {
  double T = 0.0, specular = 0.0, diffuse = 0.0;
  void incoming(const GaussLegendre& q, const std::vector<double>& out,
                std::vector<double>& in) const {
    const std::size_t half = q.nodes.size() / 2;
    // The isotropic intensity carrying the outgoing current ∫₀¹ μ φ_out dμ, normalised by the
    // discrete Σwμ (not its exact ½) so that the reflected current equals d·(arriving current)
    // exactly: the half-range sum of a Gauss–Legendre set is not exact for |μ|.
    double current = 0.0, norm = 0.0;
    for (std::size_t a = 0; a < half; ++a) {
      current += q.weights[half + a] * q.nodes[half + a] * out[a];
      norm += q.weights[half + a] * q.nodes[half + a];
    }
    const double emit = 1.0 - specular - diffuse;
    for (std::size_t a = 0; a < half; ++a) {
      in[a] = emit * T + specular * out[a] + diffuse * current / norm;
    }
  }
};

void sweep(const GaussLegendre& q, double dtau, const std::vector<double>& S, Sweep& out) {
  const std::size_t n = S.size();
  std::fill(out.T_new.begin(), out.T_new.end(), 0.0);
  std::fill(out.J.begin(), out.J.end(), 0.0);
  out.T_left = out.T_right = 0.0;
  const std::size_t half = q.nodes.size() / 2;
  for (std::size_t a = half; a < q.nodes.size(); ++a) {
    const double mu = q.nodes[a], w = q.weights[a];
    // Diamond difference: φ_out = ((μ/Δτ − ½)φ_in + S)/(μ/Δτ + ½), φᵢ = (φ_in + φ_out)/2.
    const double r = mu / dtau, lo = r - 0.5, hi = 1.0 / (r + 0.5);

    // μ > 0: from the hot wall towards the cold one.
    double in = out.in_left[a - half];
    out.T_left += 0.5 * w * in;
    for (std::size_t i = 0; i < n; ++i) {
      const double o = (lo * in + S[i]) * hi;
      const double c = 0.5 * (in + o);
      out.T_new[i] += 0.5 * w * c;
      out.J[i] += w * mu * c;
      in = o;
    }
    out.T_right += 0.5 * w * in;
    out.out_right[a - half] = in;

    // −μ: from the cold wall back.
    in = out.in_right[a - half];
    out.T_right += 0.5 * w * in;
    for (std::size_t i = n; i-- > 0;) {
      const double o = (lo * in + S[i]) * hi;
      const double c = 0.5 * (in + o);
      out.T_new[i] += 0.5 * w * c;
      out.J[i] -= w * mu * c;
      in = o;
    }
    out.T_left += 0.5 * w * in;
    out.out_left[a - half] = in;
  }
}

// DSA correction, discretised consistently with the diamond-difference sweep (Alcouffe 1977):
// the zeroth and first angular moments of the swept equations, closed with the P1 form
// φ(μ) = f + 3μj, give on each cell (x in mean free paths, h = Δτ, edges e = i, i + 1)
//
//   (j_{i+1} − j_i) + σₐ·h·(f_i + f_{i+1})/2 = R_i·h        (balance; R the change of T)
//   (f_{i+1} − f_i)/3 + σ·h·(j_i + j_{i+1})/2 = 0           (first moment)
//
// with Marshak conditions at the walls (the error's incoming partial current f/4 ± j/2 equals
// (1 − ε) times the outgoing one): j₀ = −β₀f₀, j_n = β_n·f_n, β = ε/(2(2 − ε)); a mirror
// (ε = 0) passes no current. Unknowns f and j at the edges, solved as one banded system
// (interleaved, two sub- and two super-diagonals); the cell correction is the edge mean, as
// diamond differencing takes it. Unlike a cell-centred diffusion operator this one stays
// effective in cells many mean free paths thick.
struct Dsa {
  // σ: total interaction per mean free path (1 in steady state, 1 + Λ/(vΔt) in a time step);
  // absorb: the part not re-emitted isotropically (0 steady, Λ/(vΔt) in a step).
  // eps_left, eps_right: wall emissivities (1 black, 0 a mirror).
  Dsa(std::size_t n, double dtau, double sigma = 1.0, double absorb = 0.0, double eps_left = 1.0,
      double eps_right = 1.0)
      : n_(n), x_(2 * (n + 1)), lu_(matrix(n, dtau, sigma, absorb, eps_left, eps_right)) {}

  // On entry f = R·Δτ per cell; on return f is the cell correction.
  void solve(std::vector<double>& f) {
    std::fill(x_.begin(), x_.end(), 0.0);
    for (std::size_t i = 0; i < n_; ++i) x_[2 + 2 * i] = f[i];
    lu_.solve(std::span<double>(x_));
    for (std::size_t i = 0; i < n_; ++i) f[i] = 0.5 * (x_[2 * i] + x_[2 * i + 2]);
  }
  // The correction on the walls (edges 0 and n) from the last solve.
  double left() const { return x_[0]; }
  double right() const { return x_[2 * n_]; }

 private:
  static BandedMatrix matrix(std::size_t n, double h, double sigma, double absorb, double eps_left,
                             double eps_right) {
    const auto beta = [](double eps) { return eps / (2.0 * (2.0 - eps)); };
    // Columns: f_e at 2e, j_e at 2e + 1. Rows: the left wall, then per cell the first-moment
    // and balance rows, then the right wall.
    BandedMatrix A(2 * (n + 1), 2, 2);
    A(0, 0) = beta(eps_left);
    A(0, 1) = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t fi = 2 * i, ji = fi + 1, fo = fi + 2, jo = fi + 3;
      const std::size_t moment = 1 + 2 * i, balance = 2 + 2 * i;
      A(moment, fi) = -1.0 / 3.0;
      A(moment, fo) = 1.0 / 3.0;
      A(moment, ji) = A(moment, jo) = 0.5 * sigma * h;
      A(balance, ji) = -1.0;
      A(balance, jo) = 1.0;
      A(balance, fi) = A(balance, fo) = 0.5 * absorb * h;
    }
    A(2 * n + 1, 2 * n) = -beta(eps_right);
    A(2 * n + 1, 2 * n + 1) = 1.0;
    return A;
  }

  std::size_t n_;
  std::vector<double> x_;
  BandedLU lu_;
};

}  // namespace

SlabBteResult solve_slab_bte(const SlabBteOptions& o) {
  o.validate();
  const std::size_t n = o.cells;
  const double L = o.thickness_m, Lambda = o.phonons.mean_free_path_m;
  const double dx = L / static_cast<double>(n), dtau = dx / Lambda;
  const double dT = o.hot_K - o.cold_K;
  const auto quad = gauss_legendre(o.ordinates);

  // Start from the mean wall temperature everywhere.
  std::vector<double> T(n, 0.5 * (o.hot_K + o.cold_K));
  const std::size_t half = o.ordinates / 2;
  Sweep s;
  s.T_new.assign(n, 0.0);
  s.J.assign(n, 0.0);
  s.in_left.assign(half, 0.0);
  s.in_right.assign(half, 0.0);
  s.out_left.assign(half, T[0]);
  s.out_right.assign(half, T[0]);
  const Wall left{o.hot_K, o.hot_specular, o.hot_diffuse};
  const Wall right{o.cold_K, o.cold_specular, o.cold_diffuse};
  Dsa dsa(n, dtau, 1.0, 0.0, 1.0 - o.hot_specular - o.hot_diffuse,
          1.0 - o.cold_specular - o.cold_diffuse);
  std::vector<double> f(n);

  // Source iteration, with the DSA correction after each sweep when asked.
  SlabBteResult r;
  double first = 0.0;
  for (std::size_t k = 1; k <= o.max_iterations; ++k) {
    // Walls reflect what left them in the previous sweep.
    left.incoming(quad, s.out_left, s.in_left);
    right.incoming(quad, s.out_right, s.in_right);
    sweep(quad, dtau, T, s);
    double change = 0.0;
    for (std::size_t i = 0; i < n; ++i) change = std::max(change, std::abs(s.T_new[i] - T[i]));
    r.iterations = k;
    r.residual = change / std::abs(dT);
    log::debug("bte.sweep k=" + std::to_string(k) + " residual=" + format_number(r.residual));
    if (k == 1) first = r.residual;
    if (!std::isfinite(r.residual) || r.residual > 1e6 * std::max(first, 1e-300)) {
      r.status = BteStatus::diverged;
      break;
    }
    if (o.acceleration == BteAcceleration::dsa) {
      for (std::size_t i = 0; i < n; ++i) f[i] = (s.T_new[i] - T[i]) * dtau;
      dsa.solve(f);
      for (std::size_t i = 0; i < n; ++i) T[i] = s.T_new[i] + f[i];
      // The correction is an isotropic change of intensity: what leaves through a reflecting
      // wall changes with it (no effect at a black wall, which reflects nothing).
      for (double& x : s.out_left) x += dsa.left();
      for (double& x : s.out_right) x += dsa.right();
    } else {
      T = s.T_new;
    }
    if (r.residual < o.tolerance) {
      r.status = BteStatus::converged;
      break;
    }
  }
  r.message = std::string(to_string(r.status)) + " after " + std::to_string(r.iterations) +
              " sweeps, residual " + format_number(r.residual);

  // Outputs from the last sweep: T = ½Σwφ, q = (C·v/2)Σwμφ.
  const double Cv = o.phonons.heat_capacity_J_per_m3K * o.phonons.group_velocity_m_per_s;
  r.x_m.resize(n);
  r.T_K = s.T_new;
  r.q_W_per_m2.resize(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    r.x_m[i] = (static_cast<double>(i) + 0.5) * dx;
    r.q_W_per_m2[i] = 0.5 * Cv * s.J[i];
    sum += r.q_W_per_m2[i];
  }
  r.flux_W_per_m2 = sum / static_cast<double>(n);
  r.fourier_flux_W_per_m2 = o.phonons.conductivity_W_per_mK() * dT / L;
  r.casimir_flux_W_per_m2 = 0.25 * Cv * dT;
  r.flux_ratio = r.flux_W_per_m2 / r.fourier_flux_W_per_m2;
  r.hot_jump_K = o.hot_K - s.T_left;
  r.cold_jump_K = s.T_right - o.cold_K;
  return r;
}

void TransientSlabBteOptions::validate() const {
  slab.validate();
  require(slab.hot_specular + slab.hot_diffuse + slab.cold_specular + slab.cold_diffuse == 0.0,
          "bte.walls: the transient solver takes black walls only (no specular or diffuse part)");
  require_in_range("bte.initial_K", initial_K, Range::open_closed(0, 1e5));
  require_in_range("bte.time_step_s", time_step_s, Range::open_closed(0, 1.0));
  require_in_range("bte.steps", static_cast<double>(steps), Range::closed(1, 1e7));
}

namespace detail {

BteStepper::BteStepper(const PhononProperties& phonons, double thickness_m, std::size_t cells,
                       std::size_t ordinates, double initial_K)
    : phonons_(phonons),
      n_(cells),
      N_(ordinates),
      dx_(thickness_m / static_cast<double>(cells)),
      dtau_(dx_ / phonons.mean_free_path_m),
      quad_(gauss_legendre(ordinates)),
      phi_old_(ordinates * cells, initial_K),
      phi_(ordinates * cells, initial_K),
      T_(cells, initial_K),
      T_new_(cells, initial_K),
      f_(cells, 0.0),
      out_left_(ordinates / 2, initial_K),
      out_right_(ordinates / 2, initial_K) {}

void BteStepper::set_isotropic(const std::vector<double>& T) {
  T_ = T;
  for (std::size_t a = 0; a < N_; ++a) {
    for (std::size_t i = 0; i < n_; ++i) phi_old_[a * n_ + i] = T[i];
  }
  std::fill(out_left_.begin(), out_left_.end(), T.front());
  std::fill(out_right_.begin(), out_right_.end(), T.back());
}

BteStepper::StepResult BteStepper::step(double dt, const std::vector<double>& Q,
                                        const BteWall& left, const BteWall& right, double tolerance,
                                        std::size_t max_iterations, double scale) {
  const double Lambda = phonons_.mean_free_path_m, v = phonons_.group_velocity_m_per_s;
  const double C = phonons_.heat_capacity_J_per_m3K;
  const double alpha = Lambda / (v * dt), sigma = 1.0 + alpha, q_scale = Lambda / (C * v);
  Dsa dsa(n_, dtau_, sigma, alpha, left.mirror ? 0.0 : 1.0, right.mirror ? 0.0 : 1.0);
  const std::size_t half = N_ / 2;
  StepResult r;
  double J0 = 0.0, JL = 0.0;
  for (std::size_t k = 1; k <= max_iterations; ++k) {
    std::fill(T_new_.begin(), T_new_.end(), 0.0);
    J0 = JL = 0.0;
    for (std::size_t a = half; a < N_; ++a) {
      const double mu = quad_.nodes[a], w = quad_.weights[a];
      const double rr = mu / dtau_, lo = rr - 0.5 * sigma, hi = 1.0 / (rr + 0.5 * sigma);
      const std::size_t up = a * n_, down = (N_ - 1 - a) * n_;  // +μ and −μ rows
      const auto source = [&](std::size_t i, std::size_t row) {
        return T_[i] + alpha * phi_old_[row + i] + (Q.empty() ? 0.0 : Q[i] * q_scale);
      };
      // −μ, from the right wall: a mirror returns what left it going +μ (last sweep).
      double in = right.mirror ? out_right_[a - half] : right.T_K;
      JL -= w * mu * in;
      for (std::size_t i = n_; i-- > 0;) {
        const double out = (lo * in + source(i, down)) * hi;
        phi_[down + i] = 0.5 * (in + out);
        T_new_[i] += 0.5 * w * phi_[down + i];
        in = out;
      }
      J0 -= w * mu * in;
      out_left_[a - half] = in;
      // +μ, from the left wall: a mirror returns what just left it going −μ.
      in = left.mirror ? out_left_[a - half] : left.T_K;
      J0 += w * mu * in;
      for (std::size_t i = 0; i < n_; ++i) {
        const double out = (lo * in + source(i, up)) * hi;
        phi_[up + i] = 0.5 * (in + out);
        T_new_[i] += 0.5 * w * phi_[up + i];
        in = out;
      }
      JL += w * mu * in;
      out_right_[a - half] = in;
    }
    ++r.sweeps;

    // Convergence on the change of T, then the DSA correction.
    r.residual = 0.0;
    for (std::size_t i = 0; i < n_; ++i)
      r.residual = std::max(r.residual, std::abs(T_new_[i] - T_[i]));
    r.residual /= scale;
    if (!std::isfinite(r.residual)) break;
    r.converged = r.residual < tolerance;
    if (r.converged) break;
    for (std::size_t i = 0; i < n_; ++i) f_[i] = (T_new_[i] - T_[i]) * dtau_;
    dsa.solve(f_);
    for (std::size_t i = 0; i < n_; ++i) T_[i] = T_new_[i] + f_[i];
    // An isotropic correction also changes what a mirror reflects next.
    if (left.mirror)
      for (double& x : out_left_) x += dsa.left();
    if (right.mirror)
      for (double& x : out_right_) x += dsa.right();
  }
  if (!r.converged) return r;
  // Accept the sweep's intensities and temperature (the balance holds for those).
  phi_old_.swap(phi_);
  T_ = T_new_;
  r.q_left_W_per_m2 = 0.5 * C * v * J0;
  r.q_right_W_per_m2 = 0.5 * C * v * JL;
  return r;
}

}  // namespace detail

TransientSlabBteResult solve_transient_slab_bte(const TransientSlabBteOptions& o) {
  o.validate();
  const SlabBteOptions& p = o.slab;
  const std::size_t n = p.cells;
  const double C = p.phonons.heat_capacity_J_per_m3K;
  const double dx = p.thickness_m / static_cast<double>(n);
  const double scale = std::max({std::abs(p.hot_K - p.cold_K), std::abs(p.hot_K - o.initial_K),
                                 std::abs(p.cold_K - o.initial_K)});
  detail::BteStepper stepper(p.phonons, p.thickness_m, n, p.ordinates, o.initial_K);
  const detail::BteWall hot{false, p.hot_K}, cold{false, p.cold_K};

  TransientSlabBteResult r;
  r.x_m.resize(n);
  for (std::size_t i = 0; i < n; ++i) r.x_m[i] = (static_cast<double>(i) + 0.5) * dx;
  const auto record = [&](double t, double q0, double qL) {
    r.time_s.push_back(t);
    const auto& T = stepper.T();
    r.T_K.insert(r.T_K.end(), T.begin(), T.end());
    r.hot_flux_W_per_m2.push_back(q0);
    r.cold_flux_W_per_m2.push_back(qL);
    double e = 0.0;
    for (double Ti : T) e += C * (Ti - o.initial_K) * dx;
    r.stored_J_per_m2.push_back(e);
    const double before = r.wall_input_J_per_m2.empty() ? 0.0 : r.wall_input_J_per_m2.back();
    r.wall_input_J_per_m2.push_back(before +
                                    (r.time_s.size() > 1 ? o.time_step_s * (q0 - qL) : 0.0));
  };
  record(0.0, 0.0, 0.0);

  for (std::size_t step = 1; step <= o.steps; ++step) {
    const auto s = stepper.step(o.time_step_s, {}, hot, cold, p.tolerance, p.max_iterations, scale);
    r.sweeps += s.sweeps;
    if (!s.converged) {
      r.status = std::isfinite(s.residual) ? BteStatus::max_iterations : BteStatus::diverged;
      r.message = std::string(to_string(r.status)) + " in step " + std::to_string(step) +
                  ", residual " + format_number(s.residual);
      return r;
    }
    record(static_cast<double>(step) * o.time_step_s, s.q_left_W_per_m2, s.q_right_W_per_m2);
  }
  r.message =
      "converged: " + std::to_string(o.steps) + " steps, " + std::to_string(r.sweeps) + " sweeps";
  return r;
}

double knudsen_flux_ratio(double knudsen) {
  require_in_range("Knudsen number", knudsen, Range::non_negative());
  return 1.0 / (1.0 + 4.0 * knudsen / 3.0);
}

double knudsen_conductivity(double k_bulk_W_per_mK, double mean_free_path_m, double length_m) {
  require_in_range("k_bulk_W_per_mK", k_bulk_W_per_mK, Range::non_negative());
  require_in_range("mean_free_path_m", mean_free_path_m, Range::non_negative());
  require_in_range("length_m", length_m, Range::positive());
  return k_bulk_W_per_mK * knudsen_flux_ratio(mean_free_path_m / length_m);
}

PhononProperties detail::parse_phonons(const Config& ph) {
  PhononProperties p;
  p.mean_free_path_m = ph.get_si("mean_free_path_nm", Range::open_closed(0, 1e9));
  p.group_velocity_m_per_s = ph.get_double("group_velocity_m_per_s", Range::open_closed(0, 1e5));
  p.heat_capacity_J_per_m3K = ph.get_double("heat_capacity_J_per_m3K", Range::open_closed(0, 1e8));
  ph.finish();
  return p;
}

SlabBteOptions parse_slab_bte(const Config& bte) {
  SlabBteOptions o;
  const Config slab = bte.section("slab");
  o.thickness_m = slab.get_si("thickness_nm", Range::open_closed(0, 1e9));
  o.cells = static_cast<std::size_t>(slab.get_int("cells", Range::closed(1, 1e6)));
  slab.finish();

  o.phonons = detail::parse_phonons(bte.section("phonons"));

  const Config walls = bte.section("walls");
  o.hot_K = walls.get_double("hot_K", Range::open_closed(0, 1e5));
  o.cold_K = walls.get_double("cold_K", Range::open_closed(0, 1e5));
  o.hot_specular = walls.get_double("hot_specular", 0.0, Range::closed_open(0, 1));
  o.hot_diffuse = walls.get_double("hot_diffuse", 0.0, Range::closed_open(0, 1));
  o.cold_specular = walls.get_double("cold_specular", 0.0, Range::closed_open(0, 1));
  o.cold_diffuse = walls.get_double("cold_diffuse", 0.0, Range::closed_open(0, 1));
  if (o.hot_K == o.cold_K) {
    throw walls.error("bte.walls: hot_K = cold_K = " + format_number(o.hot_K) +
                      "; the wall temperatures must differ");
  }
  walls.finish();

  const auto ord = bte.get_int("ordinates", 32, Range::closed(2, 1024));
  if (ord % 2 != 0) {
    throw bte.child("ordinates")
        .error("bte.ordinates = " + std::to_string(ord) +
               " must be even (Gauss–Legendre sets symmetric about μ = 0)");
  }
  o.ordinates = static_cast<std::size_t>(ord);
  o.acceleration = bte.get_choice("acceleration", "dsa", {"dsa", "none"}) == "dsa"
                       ? BteAcceleration::dsa
                       : BteAcceleration::none;
  o.tolerance = bte.get_double("tolerance", 1e-10, Range::closed(1e-15, 1e-2));
  o.max_iterations =
      static_cast<std::size_t>(bte.get_int("max_iterations", 2000, Range::closed(1, 1e7)));
  bte.accept("transient");  // read by parse_transient_slab_bte
  bte.finish();
  o.validate();
  return o;
}

std::optional<TransientSlabBteOptions> parse_transient_slab_bte(const Config& bte) {
  const auto t = bte.optional_section("transient");
  SlabBteOptions slab = parse_slab_bte(bte);
  if (!t) return std::nullopt;
  TransientSlabBteOptions o;
  o.slab = std::move(slab);
  o.initial_K = t->get_double("initial_K", Range::open_closed(0, 1e5));
  o.time_step_s =
      t->get_si_any("time_step", {"fs", "ps", "ns", "us", "s"}, Range::open_closed(0, 1));
  o.steps = static_cast<std::size_t>(t->get_int("steps", Range::closed(1, 1e7)));
  t->finish();
  o.validate();
  return o;
}

}  // namespace psw::thermal
