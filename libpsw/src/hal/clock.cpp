#include <chrono>
#include <thread>

#include <psw/hal/clock.hpp>

namespace psw::hal {

double SteadyClock::now_s() const {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void SteadyClock::sleep_for(double dt_s) {
  if (dt_s > 0.0) std::this_thread::sleep_for(std::chrono::duration<double>(dt_s));
}

}  // namespace psw::hal
