#include <psw/stage/state_space.hpp>

#include <psw/core/error.hpp>

#include <unsupported/Eigen/MatrixFunctions>

#include <cmath>
#include <stdexcept>

namespace psw::stage {
namespace {

using Complex = std::complex<double>;

// C·(zI − M)⁻¹·B + D for a complex z.
Complex resolvent_gain(const Eigen::MatrixXd& M, const Eigen::VectorXd& B,
                       const Eigen::RowVectorXd& C, double D, Complex z) {
  const Eigen::Index n = M.rows();
  const Eigen::MatrixXcd zI_minus_M = z * Eigen::MatrixXcd::Identity(n, n) - M.cast<Complex>();
  const Eigen::VectorXcd x = zI_minus_M.partialPivLu().solve(B.cast<Complex>());
  return (C.cast<Complex>() * x)(0) + D;
}

}  // namespace

Complex ContinuousSystem::frequency_response(double omega_rad_per_s) const {
  return resolvent_gain(A, B, C, D, Complex(0.0, omega_rad_per_s));
}

double ContinuousSystem::dc_gain() const {
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
  require(lu.isInvertible(), "state space: A is singular, the DC gain is undefined");
  return D - (C * lu.solve(B))(0);
}

Complex DiscreteSystem::frequency_response(double omega_rad_per_s) const {
  return resolvent_gain(Phi, Gamma, C, D, std::polar(1.0, omega_rad_per_s * period_s));
}

DiscreteSystem discretize_zoh(const ContinuousSystem& system, double period_s) {
  require_in_range("discretize_zoh: period_s", period_s, Range::positive());
  const Eigen::Index n = system.order();
  require(system.A.cols() == n && system.B.size() == n && system.C.size() == n,
          "discretize_zoh: A, B and C sizes disagree");

  // exp([A B; 0 0]·T) = [Φ Γ; 0 I] (Van Loan 1978).
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n + 1, n + 1);
  M.topLeftCorner(n, n) = system.A * period_s;
  M.topRightCorner(n, 1) = system.B * period_s;
  const Eigen::MatrixXd E = M.exp();

  DiscreteSystem out;
  out.Phi = E.topLeftCorner(n, n);
  out.Gamma = E.topRightCorner(n, 1);
  out.C = system.C;
  out.D = system.D;
  out.period_s = period_s;
  return out;
}

}  // namespace psw::stage
