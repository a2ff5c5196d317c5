#include <cmath>
#include <limits>
#include <stdexcept>

#include <psw/core/error.hpp>
#include <psw/electrospray/deposition.hpp>

namespace psw::electrospray {

void Defect::validate() const {
  constexpr Range kSize = Range::open_closed(0.0, 1e-3);
  require_in_range("defect.length_m", length_m, kSize);
  require_in_range("defect.width_m", width_m, kSize);
  require_in_range("defect.height_m", height_m, kSize);
  require_in_range("defect.packing_fraction", packing_fraction, Range::open_closed(0.0, 0.74));
}

double captured_fraction(const SprayResult& spray, const Defect& defect) {
  defect.validate();
  double inside = 0.0, total = 0.0;
  for (std::size_t i = 0; i < spray.x_m.size(); ++i) {
    const double d = spray.emitted_diameter_m[i];
    const double metal = d * d * d;
    total += metal;
    if (spray.status[i] != FlightStatus::landed) continue;
    if (std::abs(spray.x_m[i]) <= 0.5 * defect.length_m &&
        std::abs(spray.y_m[i]) <= 0.5 * defect.width_m) {
      inside += metal;
    }
  }
  return total > 0.0 ? inside / total : 0.0;
}

double particle_volume_rate(const Ink& ink, double flow_m3_per_s) {
  require_in_range("flow_m3_per_s", flow_m3_per_s, Range::positive());
  if (!ink.nanoparticles) {
    throw std::invalid_argument("ink '" + ink.name +
                                "' carries no nanoparticles: it deposits no metal");
  }
  return ink.nanoparticles->volume_fraction * flow_m3_per_s;
}

DepositionResult deposition(const Ink& ink, double flow_m3_per_s, double captured,
                            const Defect& defect, double median_droplet_diameter_m) {
  defect.validate();
  require_in_range("captured_fraction", captured, Range::closed(0.0, 1.0));
  require_in_range("median_droplet_diameter_m", median_droplet_diameter_m, Range::positive());

  DepositionResult r;
  r.particle_volume_rate_m3_per_s = particle_volume_rate(ink, flow_m3_per_s);
  r.captured_fraction = captured;
  r.deposited_volume_rate_m3_per_s = captured * r.particle_volume_rate_m3_per_s;
  r.defect_volume_m3 = defect.volume_m3();
  r.metal_volume_needed_m3 = defect.packing_fraction * r.defect_volume_m3;
  r.fill_time_s = r.deposited_volume_rate_m3_per_s > 0.0
                      ? r.metal_volume_needed_m3 / r.deposited_volume_rate_m3_per_s
                      : std::numeric_limits<double>::infinity();
  const double ratio = median_droplet_diameter_m / ink.nanoparticles->diameter_m;
  r.particles_per_droplet = ink.nanoparticles->volume_fraction * ratio * ratio * ratio;
  return r;
}

}  // namespace psw::electrospray
