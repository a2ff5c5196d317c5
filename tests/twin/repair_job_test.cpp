#include <psw/core/config.hpp>
#include <psw/twin/repair_job.hpp>

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using psw::Config;
using psw::twin::RepairJob;

TEST_CASE("the demo job parses, and its fill volume is gap × width × thickness", "[twin]") {
  const RepairJob job = psw::twin::demo_job();
  REQUIRE(job.sites.size() == 4);
  CHECK(job.sites[0].id == "J1");
  CHECK(job.sites[0].x_m == Approx(1250e-6));
  // J3: 4.8 µm × 2 µm × 2 µm = 19.2 µm³.
  CHECK(job.sites[2].fill_volume_m3() == Approx(19.2e-18).epsilon(1e-12));
  const auto summary = psw::twin::run_job(job);
  CHECK(summary.total_fill_volume_m3 == Approx(46e-18).epsilon(1e-12));
  CHECK(summary.largest_gap_m == Approx(4.8e-6));
  CHECK_FALSE(summary.simulated);
}

TEST_CASE("a site may override the line it sits in", "[twin]") {
  const auto job = RepairJob::from_config(Config::parse(R"(job:
  name: t
  line: {width_um: 2, thickness_um: 1}
  sites:
    - {id: A, x_um: 0, y_um: 0, gap_um: 1}
    - {id: B, x_um: 0, y_um: 0, gap_um: 1, width_um: 4}
)"));
  CHECK(job.sites[0].fill_volume_m3() == Approx(2e-18));
  CHECK(job.sites[1].fill_volume_m3() == Approx(4e-18));
}

TEST_CASE("bad jobs are refused with the key and the line", "[twin]") {
  SECTION("a misspelt key") {
    REQUIRE_THROWS_WITH(RepairJob::from_config(Config::parse(
                            "job:\n  name: t\n  sites:\n    - {id: A, x_um: 0, y_um: 0, "
                            "gap_um: 1, gap_nm: 3}\n",
                            "job.yaml")),
                        Contains("job.yaml:4:44: unknown key 'job.sites[0].gap_nm'"));
  }
  SECTION("a gap outside (0, 100] µm") {
    REQUIRE_THROWS_WITH(RepairJob::from_config(Config::parse(
                            "job:\n  name: t\n  sites:\n    - {id: A, x_um: 0, y_um: 0, "
                            "gap_um: -2}\n",
                            "job.yaml")),
                        Contains("job.sites[0].gap_um = -2 is outside (0, 100]"));
  }
  SECTION("duplicate site ids") {
    REQUIRE_THROWS_WITH(RepairJob::from_config(Config::parse(
                            "job:\n  name: t\n  sites:\n    - {id: A, x_um: 0, y_um: 0, gap_um: 1}"
                            "\n    - {id: A, x_um: 0, y_um: 0, gap_um: 1}\n")),
                        Contains("duplicate site id 'A'"));
  }
  SECTION("no sites") {
    REQUIRE_THROWS_WITH(RepairJob::from_config(Config::parse("job:\n  name: t\n")),
                        Contains("job 't' lists no sites"));
  }
  SECTION("an unknown top-level section") {
    REQUIRE_THROWS_WITH(RepairJob::from_config(Config::parse("job: {name: t}\njobs: {}\n")),
                        Contains("unknown key 'jobs'; accepted keys here: job"));
  }
}
