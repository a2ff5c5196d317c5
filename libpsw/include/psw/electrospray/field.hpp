// The electrostatic field between an emitter at potential V and a grounded plane z = 0, in
// closed form. The emitter's axis is the z axis and its tip sits at (0, 0, h).
//
//   uniform      parallel plates:  φ = V·z/h,  E = −(V/h)·ẑ.  (For analytic tests.)
//   point        a sphere of radius r_t centred at z = h + r_t, as a point charge Q_e with its
//                image −Q_e at z = −(h + r_t); Q_e = 4πε₀V / (1/r_t − 1/(2h + r_t)), so that
//                φ = V exactly at the tip (0, 0, h).
//   hyperboloid  the emitter is the hyperboloid of revolution η = η₀ of the prolate spheroidal
//                coordinates with foci (0, 0, ±a), a = (h·(h + r_t))^½, η₀ = h/a; its apex is
//                at z = h with radius of curvature r_t. With r₁,₂ = |x ∓ a·ẑ|,
//                  η = (r₂ − r₁)/(2a),  φ = V·artanh(η)/artanh(η₀),
//                  E = −V/(artanh(η₀)·(1 − η²)) · ∇η,  ∇η = ((x + aẑ)/r₂ − (x − aẑ)/r₁)/(2a).
//                The plane is η = 0, so φ = 0 there. On the axis E_z(z) = −V·a/(artanh(η₀)·
//                (a² − z²)), and at the tip |E| = V·(h + r_t)/(artanh(η₀)·a·r_t) →
//                2V/(r_t·ln(4h/r_t)) for r_t ≪ h (the field Smith 1986 uses).
//
// Assumptions: electrostatics without the liquid cone, the spray's space charge (see
// SpaceCharge in flight.hpp) or the substrate's pattern; the emitter is an equipotential.
//
// References: C. F. Eyring, S. S. Mackeown & R. A. Millikan, Phys. Rev. 31 (1928) 900
// (hyperboloidal point-to-plane field); P. Moon & D. E. Spencer, Field Theory Handbook,
// Springer (1961) (prolate spheroidal coordinates).
#pragma once

#include <cmath>
#include <string_view>

#include <Eigen/Core>

#include <psw/core/constants.hpp>
#include <psw/electrospray/cone_jet.hpp>

namespace psw::electrospray {

enum class EmitterShape { uniform, point, hyperboloid };

/// "uniform", "point", "hyperboloid".
std::string_view to_string(EmitterShape shape);
/// @throws std::invalid_argument naming the text and the accepted names.
EmitterShape parse_emitter_shape(std::string_view text);

/// The field of an emitter over a grounded plane. Cheap to copy; field() is the hot path of
/// the droplet flight and is inline.
class EmitterField {
 public:
  /// @throws std::invalid_argument for a bad geometry or a non-finite voltage.
  EmitterField(EmitterShape shape, const EmitterGeometry& geometry, double voltage_V);

  EmitterShape shape() const { return shape_; }
  const EmitterGeometry& geometry() const { return geometry_; }
  double voltage_V() const { return voltage_; }

  /// Electric potential at x, V.
  double potential(const Eigen::Vector3d& x) const {
    switch (shape_) {
      case EmitterShape::uniform:
        return voltage_ * x.z() / geometry_.gap_m;
      case EmitterShape::point: {
        const double r1 = (x - charge_).norm(), r2 = (x - image_).norm();
        return coulomb_ * (1.0 / r1 - 1.0 / r2);
      }
      case EmitterShape::hyperboloid:
        return hyperboloid_scale_ * std::atanh(eta(x));
    }
    return 0.0;
  }

  /// Electric field at x, V/m.
  Eigen::Vector3d field(const Eigen::Vector3d& x) const {
    switch (shape_) {
      case EmitterShape::uniform:
        return {0.0, 0.0, -voltage_ / geometry_.gap_m};
      case EmitterShape::point: {
        const Eigen::Vector3d d1 = x - charge_, d2 = x - image_;
        const double n1 = d1.norm(), n2 = d2.norm();
        return coulomb_ * (d1 / (n1 * n1 * n1) - d2 / (n2 * n2 * n2));
      }
      case EmitterShape::hyperboloid: {
        const Eigen::Vector3d d1(x.x(), x.y(), x.z() - focus_);
        const Eigen::Vector3d d2(x.x(), x.y(), x.z() + focus_);
        const double r1 = d1.norm(), r2 = d2.norm();
        const double eta = (r2 - r1) / (2.0 * focus_);
        const Eigen::Vector3d grad = (d2 / r2 - d1 / r1) / (2.0 * focus_);
        return (-hyperboloid_scale_ / (1.0 - eta * eta)) * grad;
      }
    }
    return Eigen::Vector3d::Zero();
  }

  /// |E| at the tip (0, 0, h): exact for this model, V/m.
  double tip_field_V_per_m() const;

  /// True when x lies inside the emitter (or above the uniform model's upper plate).
  bool inside_emitter(const Eigen::Vector3d& x) const;

 private:
  // Prolate spheroidal η of x for the hyperboloid model.
  double eta(const Eigen::Vector3d& x) const {
    const double r1 = Eigen::Vector3d(x.x(), x.y(), x.z() - focus_).norm();
    const double r2 = Eigen::Vector3d(x.x(), x.y(), x.z() + focus_).norm();
    return (r2 - r1) / (2.0 * focus_);
  }

  EmitterShape shape_;
  EmitterGeometry geometry_;
  double voltage_;
  // point: the charge, its image and Q_e/(4πε₀).
  Eigen::Vector3d charge_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d image_ = Eigen::Vector3d::Zero();
  double coulomb_ = 0.0;
  // hyperboloid: focal distance a, η₀ and V/artanh(η₀).
  double focus_ = 0.0;
  double eta0_ = 0.0;
  double hyperboloid_scale_ = 0.0;
};

}  // namespace psw::electrospray
