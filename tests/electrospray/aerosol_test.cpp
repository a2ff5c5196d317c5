#include <cmath>

#include <catch2/catch.hpp>

#include <psw/electrospray/aerosol.hpp>

using namespace psw::electrospray;

TEST_CASE("Cunningham factor and Rayleigh charge match hand-computed values",
          "[electrospray][aerosol]") {
  // Davies (1945): C = 1 + Kn[1.257 + 0.4 exp(−1.1/Kn)], Kn = 2λ/d, λ = 66 nm.
  // d = 1 µm: Kn = 0.132, C = 1 + 0.132·(1.257 + 0.4·e^(−8.333)) = 1.165937 (Hinds 1999
  // tabulates 1.168 with slightly different constants).
  CHECK(cunningham_factor(1e-6, 66e-9) == Approx(1.1659367).epsilon(1e-7));
  // d = 0.1 µm: Kn = 1.32, C = 1 + 1.32·(1.257 + 0.4·e^(−0.8333)) = 2.888708.
  CHECK(cunningham_factor(0.1e-6, 66e-9) == Approx(2.8887079).epsilon(1e-7));
  // Large droplets tend to Stokes (C → 1); small ones to the free-molecular limit
  // C → Kn·(A1 + A2) = 1.657·Kn.
  CHECK(cunningham_factor(1e-3, 66e-9) == Approx(1.0).margin(2e-4));
  CHECK(cunningham_factor(1e-12, 66e-9) / knudsen_number(1e-12, 66e-9) ==
        Approx(1.657).epsilon(1e-5));

  // Rayleigh (1882): q_R = 8π(ε₀γr³)^½; water (γ = 0.07197 N/m), d = 1 µm:
  // 8π·(8.8541878128e-12·0.07197·(5e-7)³)^½ = 7.093245e-15 C.
  CHECK(rayleigh_charge(1e-6, 0.07197) == Approx(7.0932454e-15).epsilon(1e-7));
  // Equivalent form π(8ε₀γd³)^½.
  const double d = 3e-7, g = 0.048;
  CHECK(rayleigh_charge(d, g) ==
        Approx(psw::constants::kPi *
               std::sqrt(8 * psw::constants::kVacuumPermittivity * g * d * d * d))
            .epsilon(1e-14));
}

TEST_CASE("mobility, relaxation time and diffusion follow Stokes–Einstein",
          "[electrospray][aerosol]") {
  const Gas air;
  const double d = 1e-6, rho = 1000.0;
  const double c = cunningham_factor(d, air.mean_free_path_m);
  // τ = ρd²C/(18μ) = 1000·1e-12·1.16594/(18·1.81e-5) = 3.578688e-6 s.
  CHECK(relaxation_time(d, rho, air) == Approx(3.578688e-6).epsilon(1e-6));
  // D = k_B T C/(3πμd): 1.380649e-23·293.15·1.16594/(3π·1.81e-5·1e-6) = 2.766295e-11 m²/s.
  CHECK(diffusion_coefficient(d, air) == Approx(2.766295e-11).epsilon(1e-6));
  CHECK(diffusion_coefficient(d, air) == Approx(psw::constants::kBoltzmann * air.temperature_K * c /
                                                (3 * psw::constants::kPi * air.viscosity_Pa_s * d))
                                             .epsilon(1e-14));
  // Air at 20 °C, 1 atm: ρ = pM/(RT) = 1.204318 kg/m³.
  CHECK(air.density_kg_per_m3() == Approx(1.204318).epsilon(1e-6));
}

TEST_CASE("the d² evaporation constant follows the ink's vapour data", "[electrospray][aerosol]") {
  const Ink water = builtin_ink("water");
  Gas gas;
  gas.temperature_K = 298.15;
  // β = 8 D M p/(ρ R T) = 8·2.5e-5·0.018015·3169.9/(997.05·8.314462618·298.15) = 4.620871e-9 m²/s:
  // a 1 µm water droplet dries in d²/β ≈ 0.2 ms.
  CHECK(evaporation_constant(water, gas) == Approx(4.620871e-9).epsilon(1e-6));
  // Glycol barely evaporates: 8·1.1e-5·0.062068·12/(1110·R·298.15) = 2.38199e-11 m²/s.
  CHECK(evaporation_constant(builtin_ink("ethylene-glycol"), gas) ==
        Approx(2.381989e-11).epsilon(1e-6));
}
