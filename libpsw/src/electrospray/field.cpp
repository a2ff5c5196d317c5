#include <stdexcept>
#include <string>

#include <psw/core/error.hpp>
#include <psw/electrospray/field.hpp>

namespace psw::electrospray {

std::string_view to_string(EmitterShape shape) {
  switch (shape) {
    case EmitterShape::uniform:
      return "uniform";
    case EmitterShape::point:
      return "point";
    case EmitterShape::hyperboloid:
      return "hyperboloid";
  }
  return "unknown";
}

EmitterShape parse_emitter_shape(std::string_view text) {
  for (EmitterShape s : {EmitterShape::uniform, EmitterShape::point, EmitterShape::hyperboloid}) {
    if (to_string(s) == text) return s;
  }
  throw std::invalid_argument("unknown emitter shape '" + std::string(text) +
                              "'; known shapes: uniform, point, hyperboloid");
}

EmitterField::EmitterField(EmitterShape shape, const EmitterGeometry& geometry, double voltage_V)
    : shape_(shape), geometry_(geometry), voltage_(voltage_V) {
  geometry_.validate();
  require_in_range("voltage_V", voltage_V, Range::finite());
  const double h = geometry_.gap_m, rt = geometry_.radius_m;

  // Point: charge and image such that φ(tip) = V.
  charge_ = {0.0, 0.0, h + rt};
  image_ = {0.0, 0.0, -(h + rt)};
  coulomb_ = voltage_ / (1.0 / rt - 1.0 / (2.0 * h + rt));

  // Hyperboloid: focal distance, η₀ and the potential scale.
  focus_ = std::sqrt(h * (h + rt));
  eta0_ = h / focus_;
  hyperboloid_scale_ = voltage_ / std::atanh(eta0_);
}

double EmitterField::tip_field_V_per_m() const {
  const double h = geometry_.gap_m, rt = geometry_.radius_m;
  switch (shape_) {
    case EmitterShape::uniform:
      return std::abs(voltage_) / h;
    case EmitterShape::point:
      return field({0.0, 0.0, h}).norm();
    case EmitterShape::hyperboloid:
      return std::abs(hyperboloid_scale_) * (h + rt) / (focus_ * rt);
  }
  return 0.0;
}

bool EmitterField::inside_emitter(const Eigen::Vector3d& x) const {
  switch (shape_) {
    case EmitterShape::uniform:
      return x.z() >= geometry_.gap_m;
    case EmitterShape::point:
      return (x - charge_).norm() < geometry_.radius_m;
    case EmitterShape::hyperboloid:
      return x.z() > 0.0 && eta(x) >= eta0_;
  }
  return false;
}

}  // namespace psw::electrospray
