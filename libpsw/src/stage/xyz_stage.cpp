#include <psw/stage/xyz_stage.hpp>

#include <psw/core/error.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace psw::stage {

void XyzParams::validate() const {
  require_in_range("stage.axes (count)", static_cast<double>(axes.size()), Range::closed(1, 3));
  for (const auto& a : axes) {
    a.validate();
    if (a.servo.rate_Hz != axes.front().servo.rate_Hz) {
      std::string message = "stage.axes.";
      message.append(a.name).append(".servo.rate_Hz = ").append(format_number(a.servo.rate_Hz));
      message.append(" differs from axis ").append(axes.front().name).append("'s ");
      message.append(format_number(axes.front().servo.rate_Hz)).append("; axes tick together");
      throw std::invalid_argument(message);
    }
  }
  if (coupling.size() == 0) return;
  const auto n = static_cast<Eigen::Index>(axes.size());
  std::string shape = "stage.cross_coupling must be ";
  shape.append(std::to_string(n)).append(" x ").append(std::to_string(n));
  require(coupling.rows() == n && coupling.cols() == n, shape);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      std::string key = "stage.cross_coupling[";
      key += std::to_string(i);
      key += "][";
      key += std::to_string(j);
      key += "]";
      require_in_range(key, coupling(i, j),
                       i == j ? Range::closed(0.0, 0.0) : Range::closed(-0.1, 0.1));
    }
  }
}

std::size_t XyzParams::axis_index(const std::string& axis_name) const {
  std::string names;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    if (axes[i].name == axis_name) return i;
    if (i > 0) names += ", ";
    names += axes[i].name;
  }
  throw std::invalid_argument("axis '" + axis_name + "' is not one of this stage's axes (" + names +
                              ")");
}

XyzStage::XyzStage(const XyzParams& params, std::uint64_t seed) : params_(params) {
  params_.validate();
  const RngStream root(seed);
  for (std::size_t i = 0; i < params_.axes.size(); ++i) {
    axes_.emplace_back(params_.axes[i], root.substream(i));
  }
}

void XyzStage::set_servo(bool on) {
  for (auto& a : axes_) a.set_servo(on);
}

MoveStatus XyzStage::move_to(const std::vector<double>& targets_m) {
  require(targets_m.size() == axes_.size(),
          "XyzStage::move_to: " + std::to_string(targets_m.size()) + " targets for " +
              std::to_string(axes_.size()) + " axes");
  for (std::size_t i = 0; i < axes_.size(); ++i) {
    const double t = targets_m[i];
    if (!(t >= 0.0 && t <= params_.axes[i].travel_m)) return MoveStatus::out_of_limits;
  }
  for (std::size_t i = 0; i < axes_.size(); ++i) axes_[i].move_to(targets_m[i]);
  return MoveStatus::accepted;
}

bool XyzStage::on_target() const {
  for (const auto& a : axes_) {
    if (!a.on_target()) return false;
  }
  return true;
}

void XyzStage::apply_coupling() {
  if (params_.coupling.size() == 0) return;
  const auto n = static_cast<Eigen::Index>(axes_.size());
  Eigen::VectorXd p(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const Axis& a = axes_[static_cast<std::size_t>(j)];
    p(j) = a.plant_output_m() + a.params().drift.rate_m_per_s() * a.time_s();
  }
  const Eigen::VectorXd coupled = params_.coupling * p;
  for (Eigen::Index i = 0; i < n; ++i)
    axes_[static_cast<std::size_t>(i)].set_external_m(coupled(i));
}

void XyzStage::tick() {
  // y = (I + K)·p: each axis sees K·p added to its own motion, then all tick.
  apply_coupling();
  for (auto& a : axes_) a.tick();
  apply_coupling();
}

void XyzStage::step(double dt_s) {
  require_in_range("XyzStage::step dt_s", dt_s, Range::non_negative());
  const double period = axes_.front().period_s();
  carry_s_ += dt_s;
  while (carry_s_ + 1e-9 * period >= period) {
    tick();
    carry_s_ -= period;
  }
}

}  // namespace psw::stage
