// HAL round trips, side by side in one run: a query answered by the simulated device in
// process (pipe) and over loopback TCP (a TcpServer on an ephemeral port), for PI GCS `POS?`
// and iseg `:MEAS:CURR?`; and the GCS twin's physics steps per second.
//
//   build/release/bin/hal_bench --benchmark_counters_tabular=true
//
// Rows:
//   GcsPos/pipe, GcsPos/tcp       driver.position("1"): "POS? 1\n" → "1=…\n", parsed
//   IsegCurr/pipe, IsegCurr/tcp   driver.measured_current(): ":MEAS:CURR? (@0)\r\n" → "…A\r\n"
//   IsegCurr/pty                  the same over a pseudo-terminal in the serial profile (the
//                                 command echoed first), termios raw mode
//   GcsTwinPhysics                three default axes stepped by one 20 kHz servo period
//   TwinServerFast                the whole emulator (`psw twin serve --fast`: GCS and HV
//                                 models, 1 ms steps under their locks) for 0.2 s of wall time
// Read round-trips/s; the pipe rows bound what protocol code costs, the TCP rows add the
// loopback stack and the server thread's wake-up.
#include <chrono>
#include <memory>
#include <thread>

#include <benchmark/benchmark.h>

#include <psw/hal/gcs_positioner.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/iseg_hv_supply.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/serial.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/hal/twin_server.hpp>

namespace {

using namespace psw::hal;

void count(benchmark::State& state) {
  state.counters["round-trips/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_GcsPos(benchmark::State& state) {
  const bool tcp = state.range(0) == 1;
  SteadyClock clock;
  GcsSimulator sim;
  std::unique_ptr<TcpServer> server;
  std::unique_ptr<Transport> link;
  if (tcp) {
    server = std::make_unique<TcpServer>(sim, clock);
    link = std::move(connect_tcp("127.0.0.1", server->port(), 2.0).value());
  } else {
    link = std::make_unique<PipeTransport>(sim, clock);
  }
  GcsPositioner driver(*link, clock);
  if (!driver.initialize()) state.SkipWithError("initialize failed");
  for (auto _ : state) {
    auto p = driver.position("1");
    if (!p) state.SkipWithError(p.error().message.c_str());
    benchmark::DoNotOptimize(p);
  }
  count(state);
  state.SetLabel(tcp ? "tcp" : "pipe");
}
BENCHMARK(BM_GcsPos)->Arg(0)->Arg(1)->UseRealTime();

void BM_IsegCurr(benchmark::State& state) {
  const bool tcp = state.range(0) == 1, pty = state.range(0) == 2;
  SteadyClock clock;
  IsegSimulatorOptions sim_options;
  sim_options.echo = pty;
  IsegSimulator sim(sim_options);
  std::unique_ptr<TcpServer> server;
  std::unique_ptr<PtyServer> pty_server;
  std::unique_ptr<Transport> link;
  if (tcp) {
    server = std::make_unique<TcpServer>(sim, clock);
    link = std::move(connect_tcp("127.0.0.1", server->port(), 2.0).value());
  } else if (pty) {
    pty_server = std::make_unique<PtyServer>(sim, clock);
    link = std::move(open_serial({pty_server->slave_path(), 115200, 8, Parity::none, 1}).value());
  } else {
    link = std::make_unique<PipeTransport>(sim, clock);
  }
  IsegOptions options;
  options.echo = pty;
  IsegHvSupply driver(*link, clock, options);
  for (auto _ : state) {
    auto i = driver.measured_current();
    if (!i) state.SkipWithError(i.error().message.c_str());
    benchmark::DoNotOptimize(i);
  }
  count(state);
  state.SetLabel(tcp ? "tcp" : pty ? "pty" : "pipe");
}
BENCHMARK(BM_IsegCurr)->Arg(0)->Arg(1)->Arg(2)->UseRealTime();

void BM_GcsTwinPhysics(benchmark::State& state) {
  // One servo period (50 µs) per iteration, driven through on_bytes with an empty batch.
  GcsSimulator sim;
  double t = 0.0;
  sim.on_bytes("SVO 1 1\nMOV 1 50\n", t);
  for (auto _ : state) {
    t += 50e-6;
    benchmark::DoNotOptimize(sim.on_bytes("", t));
  }
  state.counters["physics-steps/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GcsTwinPhysics);

void BM_TwinServerFast(benchmark::State& state) {
  // The emulator's own stepper, as fast as it goes; counted over the wall time it ran.
  for (auto _ : state) {
    TwinServerOptions o;
    o.gcs_address = "127.0.0.1:0";
    o.hv_address = "127.0.0.1:0";
    o.control_address = "";
    o.as_fast_as_possible = true;
    TwinServer twin(o);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    twin.stop();
    state.counters["physics-steps/s"] = static_cast<double>(twin.steps()) / 0.2;
    state.counters["x-real-time"] = twin.time_s() / 0.2;
  }
}
BENCHMARK(BM_TwinServerFast)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
