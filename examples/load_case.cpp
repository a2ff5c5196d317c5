// Reading a case file the psw way: typed, range-checked reads in SI, then finish() so that a
// misspelt key is an error rather than a silently ignored setting.
//
//   example_load_case data/jobs/demo.yaml
#include <psw/core/config.hpp>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s JOB.yaml\n", argv[0]);
    return 2;
  }
  try {
    const psw::Config root = psw::Config::load_file(argv[1]);
    const psw::Config job = root.section("job");
    const psw::Config line = job.section("line");

    // Lengths are written in µm in the file and come back in metres.
    const double width_m = line.get_si("width_um", psw::Range::open_closed(0, 1000));
    const double thickness_m = line.get_si("thickness_um", psw::Range::open_closed(0, 1000));
    double fill_m3 = 0.0;
    const auto sites = job.list("sites");
    for (const psw::Config& site : sites) {
      fill_m3 += site.get_si("gap_um", psw::Range::open_closed(0, 100)) * width_m * thickness_m;
      site.accept("id");
      site.accept("x_um");
      site.accept("y_um");
      site.accept("image");
      site.finish();
    }
    line.accept("material");
    line.finish();

    std::printf("%s: %zu sites, %.3f um^3 of metal to deposit\n", root.source().c_str(),
                sites.size(), fill_m3 * 1e18);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
