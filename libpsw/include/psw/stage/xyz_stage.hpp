// Two or three piezo axes on one platform, with mechanical cross-coupling.
//
//   y_platform = (I + K)·p,     K_ii = 0,  |K_ij| ≤ 0.1
//
// p: each axis' own plant output (creep + flexure, plus its drift); K_ij: the parasitic motion
// along i per metre of motion along j (a flexure's cross-talk, typically 0.1–1 %). Each axis'
// sensor sees the platform position along its axis, so in closed loop the servos reject the
// coupled motion as a disturbance; in open loop it stays.
//
// All axes share the servo rate, and tick together.
#pragma once

#include <psw/stage/axis.hpp>

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace psw::stage {

struct XyzParams {
  std::string name = "stage";
  std::vector<AxisParams> axes;  ///< 1 to 3 axes, in order x, y, z
  Eigen::MatrixXd coupling;      ///< K, axes × axes, zero diagonal (empty: none)

  /// @throws std::invalid_argument naming the axis or the coupling entry.
  void validate() const;
  /// Index of the axis named `name`. @throws std::invalid_argument listing the names.
  std::size_t axis_index(const std::string& name) const;
};

class XyzStage {
 public:
  /// Axis i draws its noise from RngStream(seed).substream(i).
  XyzStage(const XyzParams& params, std::uint64_t seed);

  std::size_t size() const { return axes_.size(); }
  Axis& axis(std::size_t i) { return axes_.at(i); }
  const Axis& axis(std::size_t i) const { return axes_.at(i); }

  void set_servo(bool on);
  /// Moves every axis (targets.size() == size()); out_of_limits if any refuses (none moves).
  MoveStatus move_to(const std::vector<double>& targets_m);
  bool on_target() const;

  /// One servo period for every axis, coupling applied from the present plant outputs.
  void tick();
  /// Whole periods in dt_s, remainder carried (see Axis::step).
  void step(double dt_s);
  double time_s() const { return axes_.front().time_s(); }

 private:
  void apply_coupling();

  XyzParams params_;
  std::vector<Axis> axes_;
  double carry_s_ = 0.0;
};

}  // namespace psw::stage
