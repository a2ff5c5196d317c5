#include <psw/stage/hysteresis.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using Catch::Matchers::Contains;
using namespace psw::stage;

namespace {

// Piezo Bouc–Wen figures listed in REFERENCES.md: β = 0.0084/V, γ = 0.0083/V; α = 0.2 lies in
// the listed A range once divided by d (A/d with d ≈ 1.08 µm/V gives 0.1–0.38).
constexpr BoucWenParams kBw{0.2, 0.0084, 0.0083};
constexpr double kD = 1e-6;  // m/V

// Loop width of p = d·u − h at u = 0 after several cycles of a triangle of amplitude U,
// stepped in n increments per quarter so that u = 0 is hit exactly.
double loop_width(double U, int n = 200) {
  BoucWen bw(kBw, kD);
  double p_up = 0.0, p_down = 0.0;
  for (int cycle = 0; cycle < 6; ++cycle) {
    for (int i = 1; i <= n; ++i) bw.update(U * i / n);  // 0 → U
    for (int i = 1; i <= 2 * n; ++i) {                  // U → −U
      const double p = bw.update(U - U * i / n);
      if (i == n) p_down = p;
    }
    for (int i = 1; i <= n; ++i) p_up = bw.update(-U + U * i / n);  // −U → 0
  }
  return p_down - p_up;
}

}  // namespace

TEST_CASE("Bouc-Wen rejects parameters outside its bounded class", "[stage][hysteresis]") {
  // Ikhouane, Mañosa & Rodellar (2007): bounded only for β + γ > 0 and β − γ ≥ 0.
  REQUIRE_THROWS_WITH(BoucWen({0.2, 0.0083, 0.0084}, kD),
                      Contains("beta_per_V = 0.0083, gamma_per_V = 0.0084 make the model "
                               "unstable; it is bounded only when beta + gamma > 0 and "
                               "beta - gamma >= 0"));
  REQUIRE_THROWS_WITH(BoucWen({0.2, -0.01, 0.0}, kD), Contains("beta_per_V = -0.01"));
  REQUIRE_THROWS_WITH(BoucWen({1.5, 0.0084, 0.0083}, kD),
                      Contains("bouc_wen.alpha = 1.5 is outside (0, 1]"));
  REQUIRE_NOTHROW(BoucWen({0.2, 0.0084, 0.0084}, kD));  // β = γ is the edge of the class
}

TEST_CASE("the exact Bouc-Wen update matches a fine time integration", "[stage][hysteresis]") {
  // ḣ = αd·u̇ − β|u̇|h − γu̇|h| for u = 60 V·sin(2πt), RK4 with 20000 steps per period
  // (error ~1e-15 of the stroke); the branch-exact update only sees the sampled inputs.
  BoucWen bw(kBw, kD);
  const auto u = [](double t) { return 60.0 * std::sin(2 * M_PI * t); };
  const auto udot = [](double t) { return 120.0 * M_PI * std::cos(2 * M_PI * t); };
  const auto hdot = [&](double t, double h) {
    const double v = udot(t);
    return kBw.alpha * kD * v - kBw.beta_per_V * std::abs(v) * h -
           kBw.gamma_per_V * v * std::abs(h);
  };
  double h = 0.0, t = 0.0;
  const int steps = 20000;
  const double dt = 2.0 / steps;
  for (int i = 1; i <= steps; ++i) {
    const double k1 = hdot(t, h), k2 = hdot(t + dt / 2, h + dt / 2 * k1),
                 k3 = hdot(t + dt / 2, h + dt / 2 * k2), k4 = hdot(t + dt, h + dt * k3);
    h += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    t = i * dt;
  }
  // Drive the exact model through the same sinusoid, finely enough to catch the turns.
  for (int i = 1; i <= steps; ++i) bw.update(u(i * dt));
  CHECK(bw.hysteretic_m() == Approx(h).margin(1e-6 * kD * 60.0));
}

TEST_CASE("the Bouc-Wen loop widens with amplitude as the model predicts", "[stage][hysteresis]") {
  // Width at u = 0 (derived in hysteresis.hpp): αdβU² for small U, 2αd/(β+γ) for large U.
  const double a = kBw.alpha * kD;
  SECTION("small amplitude: quadratic") {
    // Next order is O(βU) = 0.4 % at U = 0.5 V; 1 % margin.
    const double U = 0.5;
    CHECK(loop_width(U) == Approx(a * kBw.beta_per_V * U * U).epsilon(0.01));
  }
  SECTION("large amplitude: saturated") {
    // (β + γ)·U = 50 at U = 3000 V: saturation is complete to e⁻⁵⁰.
    CHECK(loop_width(3000.0, 3000) ==
          Approx(2 * a / (kBw.beta_per_V + kBw.gamma_per_V)).epsilon(1e-9));
  }
  SECTION("monotone in between") {
    double previous = 0.0;
    for (double U : {1.0, 5.0, 20.0, 50.0, 100.0, 200.0}) {
      const double w = loop_width(U);
      CHECK(w > previous);
      previous = w;
    }
  }
}

TEST_CASE("play operators obey their identities", "[stage][hysteresis]") {
  // From rest, rising input: F_r[u] = max(0, u − r); F₀ is the identity; |u − F_r[u]| ≤ r.
  // Margins: u − (u − r) rounds to r within a few ulps of u (1e-12 here).
  double z0 = 0.0, z3 = 0.0, u_prev = 0.0;
  for (int i = 0; i <= 100; ++i) {
    const double u = 10.0 * std::sin(0.13 * i) + 0.05 * i;
    const double prev3 = z3;
    z0 = play(u, 0.0, z0);
    z3 = play(u, 3.0, z3);
    CHECK(z0 == u);
    CHECK(std::abs(u - z3) <= 3.0 + 1e-12);
    // The output moves only when the input pushes it, never against the input.
    CHECK((z3 - prev3) * (u - u_prev) >= 0.0);
    u_prev = u;
  }
  double z = 0.0;
  for (double u : {1.0, 2.0, 5.0, 9.0}) {
    z = play(u, 3.0, z);
    CHECK(z == std::max(0.0, u - 3.0));
  }
}

TEST_CASE("the Prandtl-Ishlinskii inverse cancels the forward model to within quantisation",
          "[stage][hysteresis]") {
  const PrandtlIshlinskii forward({{0, 10, 20, 30, 40, 50}, {0.7, 0.1, 0.08, 0.05, 0.04, 0.03}});
  const double lsb = 140.0 / 65536.0;  // a 16-bit DAC over −20…120 V
  PrandtlIshlinskii exact = forward, rounded = forward, inverse = forward.inverse();
  double worst_exact = 0.0, worst_rounded = 0.0;
  for (int i = 0; i <= 4000; ++i) {
    // A decaying, offset oscillation: many nested reversals.
    const double desired = 40.0 + (60.0 - 0.012 * i) * std::sin(0.021 * i);
    const double u = inverse.update(desired);
    worst_exact = std::max(worst_exact, std::abs(exact.update(u) - desired));
    worst_rounded =
        std::max(worst_rounded, std::abs(rounded.update(lsb * std::round(u / lsb)) - desired));
  }
  // Composition is exact at the samples (both maps are rate independent): rounding only.
  CHECK(worst_exact <= 1e-11);
  // Play operators are non-expansive, so rounding u by ≤ lsb/2 moves the output by at most
  // Σ|wᵢ|·lsb/2.
  CHECK(worst_rounded <= forward.max_slope() * lsb / 2 * (1 + 1e-9));
  CHECK(worst_rounded > 0.0);
}

TEST_CASE("Prandtl-Ishlinskii input errors name the field", "[stage][hysteresis]") {
  REQUIRE_THROWS_WITH(PrandtlIshlinskii({{0, 10}, {1.0}}),
                      Contains("2 thresholds_V but 1 weights"));
  REQUIRE_THROWS_WITH(PrandtlIshlinskii({{0, 10, 5}, {1, 0.1, 0.1}}),
                      Contains("prandtl_ishlinskii.thresholds_V[2] = 5 is outside (10, 10000]"));
  REQUIRE_THROWS_WITH(PrandtlIshlinskii({{0, 10}, {0.5, -0.75}}),
                      Contains("sum of weights up to[1] = -0.25 is outside (0, inf)"));
}
