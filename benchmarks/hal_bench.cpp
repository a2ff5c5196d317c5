// HAL round trips, side by side in one run: a query answered by the simulated device in
// process (pipe) and over loopback TCP (a TcpServer on an ephemeral port), for PI GCS `POS?`
// and iseg `:MEAS:CURR?`; and the GCS twin's physics steps per second.
//
//   build/release/bin/hal_bench --benchmark_counters_tabular=true
//
// Rows:
//   GcsPos/pipe, GcsPos/tcp       driver.position("1"): "POS? 1\n" → "1=…\n", parsed
//   IsegCurr/pipe, IsegCurr/tcp   driver.measured_current(): ":MEAS:CURR? (@0)\r\n" → "…A\r\n"
//   GcsTwinPhysics                three default axes stepped by one 20 kHz servo period
// Read round-trips/s; the pipe rows bound what protocol code costs, the TCP rows add the
// loopback stack and the server thread's wake-up.
#include <memory>

#include <benchmark/benchmark.h>

#include <psw/hal/gcs_positioner.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/iseg_hv_supply.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/tcp_server.hpp>

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
  const bool tcp = state.range(0) == 1;
  SteadyClock clock;
  IsegSimulator sim;
  std::unique_ptr<TcpServer> server;
  std::unique_ptr<Transport> link;
  if (tcp) {
    server = std::make_unique<TcpServer>(sim, clock);
    link = std::move(connect_tcp("127.0.0.1", server->port(), 2.0).value());
  } else {
    link = std::make_unique<PipeTransport>(sim, clock);
  }
  IsegHvSupply driver(*link, clock, {});
  for (auto _ : state) {
    auto i = driver.measured_current();
    if (!i) state.SkipWithError(i.error().message.c_str());
    benchmark::DoNotOptimize(i);
  }
  count(state);
  state.SetLabel(tcp ? "tcp" : "pipe");
}
BENCHMARK(BM_IsegCurr)->Arg(0)->Arg(1)->UseRealTime();

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

}  // namespace

BENCHMARK_MAIN();
