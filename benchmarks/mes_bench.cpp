// SECS-II items, side by side: encode and decode of a realistic S6F11 event report and of a
// 1 MB binary item, against memcpy of the same bytes (the machine's limit for moving them);
// JSON ⇄ item translation against nlohmann::json parsing and dumping the same text alone (the
// floor any JSON-based translation pays); SML print and parse. Read the ratios between rows.
//
//   build/release/bin/mes_bench --benchmark_counters_tabular=true
//
// HSMS S1F1/S1F2 round trips over loopback: psw host against psw equipment, and beside it
// two secs4js endpoints doing the same exchange (tests/mes/interop/secs4js_peer.mjs bench),
// run when SECS4JS_MODULES names a node_modules folder holding secs4js (pytest's interop
// tests install one under <build>/_npm); skipped with a message otherwise.
//
// TODO(#8): the JSON ⇄ SECS-II and item figures have no secs4js counterpart yet.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <psw/mes/hsms_link.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>

namespace {

using psw::mes::Item;

// S6F11 (event report send): DATAID, CEID, then 4 reports of 8 variables each, a mix of text,
// counts and floating-point readings, as a weld cell would report per joint.
Item s6f11() {
  Item::List reports;
  for (std::uint32_t r = 0; r < 4; ++r) {
    Item::List vars;
    for (std::uint32_t v = 0; v < 8; ++v) {
      switch (v % 4) {
        case 0:
          vars.push_back(Item::ascii("JOINT-" + std::to_string(100 * r + v)));
          break;
        case 1:
          vars.push_back(Item::u4({1000 * r + v}));
          break;
        case 2:
          vars.push_back(Item::f8({1.25e-6 * (v + 1), 3.5e2}));
          break;
        default:
          vars.push_back(Item::boolean({true}));
          break;
      }
    }
    reports.push_back(Item::list({Item::u4({2000 + r}), Item::list(std::move(vars))}));
  }
  return Item::list({Item::u4({1}), Item::u4({1001}), Item::list(std::move(reports))});
}

void set_rate(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
  state.counters["items/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_EncodeS6F11(benchmark::State& state) {
  const Item item = s6f11();
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    out.clear();
    psw::mes::encode(item, out);
    benchmark::DoNotOptimize(out.data());
  }
  set_rate(state, out.size());
}

void BM_DecodeS6F11(benchmark::State& state) {
  const auto bytes = psw::mes::encode(s6f11());
  for (auto _ : state) {
    Item item = psw::mes::decode(bytes);
    benchmark::DoNotOptimize(&item);
  }
  set_rate(state, bytes.size());
}

constexpr std::size_t kMegabyte = 1 << 20;

void BM_Encode1MBBinary(benchmark::State& state) {
  const Item item = Item::binary(std::vector<std::uint8_t>(kMegabyte, 0x5A));
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    out.clear();
    psw::mes::encode(item, out);
    benchmark::DoNotOptimize(out.data());
  }
  set_rate(state, out.size());
}

void BM_Decode1MBBinary(benchmark::State& state) {
  const auto bytes = psw::mes::encode(Item::binary(std::vector<std::uint8_t>(kMegabyte, 0x5A)));
  for (auto _ : state) {
    Item item = psw::mes::decode(bytes);
    benchmark::DoNotOptimize(&item);
  }
  set_rate(state, bytes.size());
}

void BM_Decode1MBofF8(benchmark::State& state) {
  // Byte-swapping numeric arrays: 131072 binary64 values.
  const auto bytes = psw::mes::encode(Item::f8(std::vector<double>(kMegabyte / 8, 1.5)));
  for (auto _ : state) {
    Item item = psw::mes::decode(bytes);
    benchmark::DoNotOptimize(&item);
  }
  set_rate(state, bytes.size());
}

void BM_Memcpy1MB(benchmark::State& state) {
  // Baseline: copying the same megabyte into fresh memory.
  const std::vector<std::uint8_t> src(kMegabyte + 4, 0x5A);
  for (auto _ : state) {
    std::vector<std::uint8_t> dst(src.size());
    std::memcpy(dst.data(), src.data(), src.size());
    benchmark::DoNotOptimize(dst.data());
  }
  set_rate(state, src.size());
}

void BM_JsonToItemS6F11(benchmark::State& state) {
  const std::string json = psw::mes::to_json(s6f11());
  for (auto _ : state) {
    Item item = psw::mes::item_from_json(json);
    benchmark::DoNotOptimize(&item);
  }
  set_rate(state, json.size());
}

void BM_ItemToJsonS6F11(benchmark::State& state) {
  const Item item = s6f11();
  std::size_t size = 0;
  for (auto _ : state) {
    std::string json = psw::mes::to_json(item);
    size = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  set_rate(state, size);
}

void BM_NlohmannParseDumpS6F11(benchmark::State& state) {
  // Baseline: parse and dump the same JSON text with no SECS-II types involved.
  const std::string json = psw::mes::to_json(s6f11());
  for (auto _ : state) {
    std::string again = nlohmann::json::parse(json).dump();
    benchmark::DoNotOptimize(again.data());
  }
  set_rate(state, json.size());
}

void BM_SmlRoundTripS6F11(benchmark::State& state) {
  const Item item = s6f11();
  for (auto _ : state) {
    Item back = psw::mes::parse_sml_item(psw::mes::to_sml(item));
    benchmark::DoNotOptimize(&back);
  }
  set_rate(state, psw::mes::to_sml(item).size());
}

psw::mes::Message s1f1() {
  psw::mes::Message m;
  m.stream = 1;
  m.function = 1;
  m.reply_expected = true;
  return m;
}

void BM_HsmsRoundTripS1F1(benchmark::State& state) {
  namespace hsms = psw::mes::hsms;
  hsms::Listener listener;
  std::thread equipment([&] {
    auto link = listener.accept(10.0);
    if (!link) return;
    link->set_handler([](hsms::Link& l, const hsms::Event& e) {
      if (e.kind != hsms::Event::Kind::primary_received) return;
      psw::mes::Message s1f2;
      s1f2.stream = 1;
      s1f2.function = 2;
      s1f2.body = Item::list({Item::ascii("PSW"), Item::ascii("0.1.0")});
      l.reply(s1f2, e.system_bytes);
    });
    while (link->open()) link->poll(0.5);
  });
  auto host = hsms::Link::connect("127.0.0.1", listener.port(), 10.0);
  if (!host || !host->select(10.0)) {
    state.SkipWithError("could not connect and select over loopback");
  } else {
    for (auto _ : state) {
      auto reply = host->request(s1f1(), 10.0);
      benchmark::DoNotOptimize(&reply);
    }
    host->separate();
  }
  equipment.join();
  state.counters["round_trips/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Secs4jsRoundTripS1F1(benchmark::State& state) {
  // Two secs4js endpoints in one Node process; the figure is the script's own measurement.
  const char* modules = std::getenv("SECS4JS_MODULES");
  if (!modules) {
    state.SkipWithError("SECS4JS_MODULES not set: no secs4js to compare with");
    return;
  }
  const std::uint16_t port = [] {
    psw::mes::hsms::Listener probe;
    return probe.port();
  }();
  const std::string command = "node \"" PSW_SOURCE_DIR
                              "/tests/mes/interop/secs4js_peer.mjs\" bench " +
                              std::to_string(port) + " 2000";
  double rate = 0;
  for (auto _ : state) {
    FILE* pipe = ::popen(command.c_str(), "r");
    char line[512];
    while (pipe && std::fgets(line, sizeof line, pipe)) {
      static constexpr char kKey[] = "\"round_trips_per_s\":";
      if (const char* p = std::strstr(line, kKey)) rate = std::atof(p + sizeof kKey - 1);
    }
    if (pipe) ::pclose(pipe);
  }
  if (rate <= 0) state.SkipWithError("the secs4js bench run printed no rate");
  state.counters["round_trips/s"] = rate;
}

}  // namespace

BENCHMARK(BM_EncodeS6F11);
BENCHMARK(BM_DecodeS6F11);
BENCHMARK(BM_Encode1MBBinary);
BENCHMARK(BM_Decode1MBBinary);
BENCHMARK(BM_Decode1MBofF8);
BENCHMARK(BM_Memcpy1MB);
BENCHMARK(BM_JsonToItemS6F11);
BENCHMARK(BM_ItemToJsonS6F11);
BENCHMARK(BM_NlohmannParseDumpS6F11);
BENCHMARK(BM_SmlRoundTripS6F11);
BENCHMARK(BM_HsmsRoundTripS1F1)->UseRealTime();
BENCHMARK(BM_Secs4jsRoundTripS1F1)->Iterations(1)->UseRealTime();

BENCHMARK_MAIN();
