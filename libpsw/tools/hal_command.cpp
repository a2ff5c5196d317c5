#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <psw/electrospray/ink.hpp>
#include <psw/hal/emitter_load.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/hil_runner.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/hal/twin_server.hpp>
#include <psw/hal/uri.hpp>

#include "commands.hpp"

namespace psw::cli {

namespace {

constexpr int kExitDeviceError = 1;

// Prints a failed result as one line; the exit code for it.
int report(const hal::Error& e) {
  std::fprintf(stderr, "psw hal: %s error: %s\n", hal::to_string(e.kind), e.message.c_str());
  return kExitDeviceError;
}

double number_arg(const std::vector<std::string>& args, std::size_t i, const char* name) {
  if (i >= args.size()) throw std::invalid_argument(std::string("missing ") + name);
  char* end = nullptr;
  const double v = std::strtod(args[i].c_str(), &end);
  if (args[i].empty() || end != args[i].c_str() + args[i].size())
    throw std::invalid_argument(std::string(name) + " = '" + args[i] + "' is not a number");
  return v;
}

// `hil PERIOD_S CYCLES`: `poll` once per cycle at the fixed period on the connection's clock;
// prints the lateness figures (hil_runner.hpp).
int run_hil(hal::Connection& c, const std::vector<std::string>& args,
            const std::function<int()>& poll) {
  if (args.size() != 3) throw std::invalid_argument("hil needs PERIOD_S CYCLES");
  hal::HilOptions o;
  o.period_s = number_arg(args, 1, "period_s");
  o.cycles = static_cast<std::int64_t>(number_arg(args, 2, "cycles"));
  int failed = 0;
  const hal::HilReport r = hal::run_fixed_rate(c.clock(), o, [&](std::int64_t, double) {
    if (!failed) failed = poll();
  });
  std::printf("%s\n", r.summary().c_str());
  return failed;
}

int run_positioner(hal::Connection& c, const std::vector<std::string>& args) {
  hal::Positioner& p = *c.positioner();
  if (auto s = p.initialize(); !s) return report(s.error());
  const std::string& action = args.at(0);

  if (action == "identify") {
    std::printf("%s\n", p.identity().c_str());
    return 0;
  }
  if (action == "status") {
    for (const auto& axis : p.axes()) {
      auto pos = p.position(axis);
      auto servo = p.servo(axis);
      auto ont = p.on_target(axis);
      if (!pos) return report(pos.error());
      if (!servo) return report(servo.error());
      if (!ont) return report(ont.error());
      const auto lim = p.limits(axis).value();
      std::printf("axis=%s position_um=%.6f servo=%d on_target=%d travel_um=[%g, %g]\n",
                  axis.c_str(), pos.value() * 1e6, servo.value() ? 1 : 0, ont.value() ? 1 : 0,
                  lim.min_m * 1e6, lim.max_m * 1e6);
    }
    return 0;
  }
  if (action == "servo" && args.size() == 3 && (args[2] == "on" || args[2] == "off")) {
    if (auto s = p.set_servo(args[1], args[2] == "on"); !s) return report(s.error());
    return 0;
  }
  if (action == "move" && args.size() == 3) {
    const double target_um = number_arg(args, 2, "target_um");
    if (auto s = p.move_to(args[1], target_um * 1e-6); !s) return report(s.error());
    // Wait for on-target, polling on the connection's clock, at most 10 s.
    for (int i = 0; i < 10000; ++i) {
      auto ont = p.on_target(args[1]);
      if (!ont) return report(ont.error());
      if (ont.value()) break;
      c.clock().sleep_for(1e-3);
    }
    auto pos = p.position(args[1]);
    if (!pos) return report(pos.error());
    std::printf("axis=%s position_um=%.6f\n", args[1].c_str(), pos.value() * 1e6);
    return 0;
  }
  if (action == "stop") {
    if (auto s = p.stop(); !s) return report(s.error());
    return 0;
  }
  if (action == "hil")
    return run_hil(c, args, [&] {
      auto pos = p.position(p.axes().front());
      return pos ? 0 : report(pos.error());
    });
  throw std::invalid_argument("gcs action '" + action +
                              "' not understood (identify | status | servo AXIS on|off | "
                              "move AXIS TARGET_UM | stop | hil PERIOD_S CYCLES)");
}

int run_hv(hal::Connection& c, const std::vector<std::string>& args) {
  hal::SafeHvSupply& hv = *c.hv();
  const std::string& action = args.at(0);
  auto print_status = [&]() {
    auto s = hv.status();
    if (!s) return report(s.error());
    auto v = hv.measured_voltage();
    auto i = hv.measured_current();
    if (!v) return report(v.error());
    if (!i) return report(i.error());
    const hal::HvStatus& st = s.value();
    std::printf(
        "voltage_V=%g current_A=%g on=%d ramping=%d constant_current=%d trip=%d arc=%d "
        "emergency_off=%d inhibit=%d safety_loop_closed=%d\n",
        v.value(), i.value(), st.on, st.ramping, st.constant_current, st.current_trip, st.arc,
        st.emergency_off, st.external_inhibit, st.safety_loop_closed);
    return hv.latched() ? report({hal::ErrorKind::safety, 0, hv.latch_reason()}) : 0;
  };

  if (action == "identify") {
    auto id = hv.identify();
    if (!id) return report(id.error());
    std::printf("%s\n", id.value().c_str());
    return 0;
  }
  if (action == "status") return print_status();
  if (action == "ramp" && (args.size() == 2 || args.size() == 3)) {
    const double target_V = number_arg(args, 1, "voltage_V");
    const double rate = args.size() == 3 ? number_arg(args, 2, "ramp_V_per_s") : 100.0;
    if (auto s = hv.status(); !s) return report(s.error());
    if (auto s = hv.set_ramp_rate(rate); !s) return report(s.error());
    if (auto s = hv.set_voltage(target_V); !s) return report(s.error());
    if (auto s = hv.set_output(true); !s) return report(s.error());
    // Wait until the ramp ends or a fault latches, polling every 10 ms, at most 10 minutes.
    for (int k = 0; k < 60000; ++k) {
      auto s = hv.status();
      if (!s) return report(s.error());
      if (hv.latched()) break;
      if (!s.value().ramping) break;
      c.clock().sleep_for(1e-2);
    }
    return print_status();
  }
  if (action == "off") {
    if (auto s = hv.set_output(false); !s) return report(s.error());
    return 0;
  }
  if (action == "emergency-off") {
    if (auto s = hv.emergency_off(); !s) return report(s.error());
    return 0;
  }
  if (action == "hil")
    return run_hil(c, args, [&] {
      auto v = hv.measured_voltage();
      return v ? 0 : report(v.error());
    });
  throw std::invalid_argument("iseg action '" + action +
                              "' not understood (identify | status | ramp VOLTS [V_PER_S] | "
                              "off | emergency-off | hil PERIOD_S CYCLES)");
}

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

// "127.0.0.1:0" with the port bound → "127.0.0.1:43117".
std::string where(const std::string& address, int port) {
  return address.substr(0, address.rfind(':')) + ":" + std::to_string(port);
}

}  // namespace

Command add_hal_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "hal", "One-off commands to a positioner or HV supply named by a device URI (docs/hal.md)");
  auto uri = std::make_shared<std::string>();
  auto args = std::make_shared<std::vector<std::string>>();
  cmd->add_option("uri", *uri, "sim://gcs, sim://iseg, tcp://127.0.0.1:50000?protocol=gcs, …")
      ->required();
  cmd->add_option("action", *args,
                  "gcs: identify | status | servo AXIS on|off | move AXIS TARGET_UM | stop; "
                  "iseg: identify | status | ramp VOLTS [V_PER_S] | off | emergency-off; "
                  "both: hil PERIOD_S CYCLES (poll at a fixed period, report lateness)")
      ->required();

  return {cmd, [uri, args] {
            auto c = hal::connect(*uri);
            if (!c) return report(c.error());
            return c.value()->positioner() ? run_positioner(*c.value(), *args)
                                           : run_hv(*c.value(), *args);
          }};
}

Command add_twin_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("twin", "The digital twin's instruments");
  auto* serve = cmd->add_subcommand(
      "serve",
      "Serve the simulated GCS positioner and iseg HV supply over TCP (their real "
      "protocols) and a JSON-lines control port for fault injection (docs/hal.md), until "
      "interrupted or --duration has passed");
  cmd->require_subcommand(1);
  auto o = std::make_shared<hal::TwinServerOptions>();
  auto duration = std::make_shared<double>(0.0);
  serve
      ->add_option("--gcs", o->gcs_address,
                   "HOST:PORT for the GCS controller (port 0: any free port; '': none)")
      ->capture_default_str();
  serve->add_option("--hv", o->hv_address, "HOST:PORT for the iseg HV supply ('': none)")
      ->capture_default_str();
  serve
      ->add_option("--control", o->control_address,
                   "HOST:PORT for the JSON-lines control port ('': none)")
      ->capture_default_str();
  serve->add_option("--rate", o->rate, "Simulated seconds per wall-clock second, (0, 1000]")
      ->capture_default_str();
  serve->add_flag("--fast", o->as_fast_as_possible,
                  "Step the physics as fast as possible instead of against the wall clock");
  serve->add_option("--step", o->step_s, "Physics step in simulated seconds, (0, 0.1]")
      ->capture_default_str();
  serve
      ->add_option("--arc-rate", o->hv.arc_rate_per_s,
                   "HV arcs per second while spraying (seeded Poisson process)")
      ->capture_default_str();
  serve->add_option("--seed", o->hv.seed, "Seed of the HV arc process")->capture_default_str();
  auto ink = std::make_shared<std::string>();
  auto flow = std::make_shared<double>(1e-12);
  serve->add_option("--ink", *ink,
                    "Built-in ink of the emitter load: the HV current follows the cone-jet model "
                    "(zero below onset); default: a constant 50 nA above 1500 V");
  serve->add_option("--flow", *flow, "Ink flow rate for --ink, m3/s")->capture_default_str();
  serve->add_option("--duration", *duration, "Seconds to serve; 0: until SIGINT/SIGTERM")
      ->check(CLI::Range(0.0, 1e7));

  return {cmd, [o, duration, ink, flow] {
            if (!ink->empty()) {
              hal::ConeJetLoad load;
              load.ink = electrospray::builtin_ink(*ink);
              load.flow_m3_per_s = *flow;
              o->hv = hal::cone_jet_hv_options(load, o->hv);
            }
            hal::TwinServer twin(*o);
            if (twin.gcs_port())
              std::printf("gcs listening on tcp://%s\n",
                          where(o->gcs_address, twin.gcs_port()).c_str());
            if (twin.hv_port())
              std::printf("hv listening on tcp://%s\n",
                          where(o->hv_address, twin.hv_port()).c_str());
            if (twin.control_port())
              std::printf("control listening on tcp://%s\n",
                          where(o->control_address, twin.control_port()).c_str());
            std::fflush(stdout);

            // Serve until a signal or the duration ends.
            std::signal(SIGINT, on_signal);
            std::signal(SIGTERM, on_signal);
            hal::SteadyClock wall;
            const double start = wall.now_s();
            while (!g_stop && (*duration <= 0.0 || wall.now_s() - start < *duration))
              wall.sleep_for(0.05);
            twin.stop();
            std::printf("twin_time_s=%.6f physics_steps=%lld\n", twin.time_s(), twin.steps());
            return 0;
          }};
}

}  // namespace psw::cli
