#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include <psw/electrospray/deposition.hpp>

using Catch::Matchers::Contains;
using namespace psw::electrospray;

TEST_CASE("fill time is the metal needed over the metal delivered into the open",
          "[electrospray][deposition]") {
  const Ink ag = builtin_ink("ag-np-eg");
  // φQ = 0.05 × 2e-12 m³/s = 1e-13 m³/s of silver.
  CHECK(particle_volume_rate(ag, 2e-12) == Approx(1e-13).epsilon(1e-15));
  const Defect open{3e-6, 2e-6, 2e-6, 0.6};
  const DepositionResult r = deposition(ag, 2e-12, 0.5, open, 0.4e-6);
  // V = 3 × 2 × 2 µm³ = 1.2e-17 m³; p·V = 7.2e-18 m³; half of 1e-13 m³/s lands in it:
  // t = 7.2e-18 / 5e-14 = 1.44e-4 s.
  CHECK(r.defect_volume_m3 == Approx(1.2e-17).epsilon(1e-15));
  CHECK(r.metal_volume_needed_m3 == Approx(7.2e-18).epsilon(1e-15));
  CHECK(r.deposited_volume_rate_m3_per_s == Approx(5e-14).epsilon(1e-15));
  CHECK(r.fill_time_s == Approx(1.44e-4).epsilon(1e-14));
  // A 0.4 µm droplet holds φ(d/d_p)³ = 0.05 × 20³ = 400 particles of 20 nm.
  CHECK(r.particles_per_droplet == Approx(400.0).epsilon(1e-12));
  // Nothing captured: it never fills.
  CHECK(deposition(ag, 2e-12, 0.0, open, 0.4e-6).fill_time_s ==
        std::numeric_limits<double>::infinity());
}

TEST_CASE("the captured fraction weights each droplet by its metal", "[electrospray][deposition]") {
  SprayResult s;
  // Four droplets: 1 µm inside, 1 µm outside, 2 µm inside (8× the metal), 1 µm lost.
  s.x_m = {0.0, 5e-6, 1.4e-6, std::nan("")};
  s.y_m = {0.0, 0.0, -0.9e-6, std::nan("")};
  s.emitted_diameter_m = {1e-6, 1e-6, 2e-6, 1e-6};
  s.status = {FlightStatus::landed, FlightStatus::landed, FlightStatus::landed,
              FlightStatus::returned};
  // (1 + 8) / (1 + 1 + 8 + 1) of the metal lands in the 3 × 2 µm open.
  CHECK(captured_fraction(s, Defect{3e-6, 2e-6, 2e-6, 0.6}) == Approx(9.0 / 11.0).epsilon(1e-14));
}

TEST_CASE("deposition refuses inks without metal and bad opens", "[electrospray][deposition]") {
  REQUIRE_THROWS_WITH(particle_volume_rate(builtin_ink("water"), 1e-12),
                      "ink 'water' carries no nanoparticles: it deposits no metal");
  const Ink ag = builtin_ink("ag-np-eg");
  REQUIRE_THROWS_WITH(deposition(ag, 1e-12, 0.5, Defect{3e-6, 2e-6, 2e-6, 0.9}, 1e-6),
                      "defect.packing_fraction = 0.9 is outside (0, 0.74]");
  REQUIRE_THROWS_WITH(deposition(ag, 1e-12, 1.5, Defect{}, 1e-6),
                      "captured_fraction = 1.5 is outside [0, 1]");
}
