// SECS-II items, side by side: encode and decode of a realistic S6F11 event report and of a
// 1 MB binary item, against memcpy of the same bytes (the machine's limit for moving them);
// JSON ⇄ item translation against nlohmann::json parsing and dumping the same text alone (the
// floor any JSON-based translation pays); SML print and parse. Read the ratios between rows.
//
//   build/release/bin/mes_bench --benchmark_counters_tabular=true
//
// The same work done by secs4js on Node.js, in the same run: the Secs4js* rows run
// benchmarks/secs4js_bench.mjs once (it checks first that secs4js reads psw's S6F11 bytes into
// the same item) and report its rates as items/s, with psw/secs4js = psw's rate over secs4js's
// (psw's rate from its row earlier in this run, so run without a filter, or with one that
// keeps both rows). HSMS S1F1/S1F2 round trips over loopback: psw host against psw equipment,
// and two secs4js endpoints doing the same exchange (tests/mes/interop/secs4js_peer.mjs bench).
// secs4js is found in $SECS4JS_MODULES, else where scripts/install-deps puts it
// ($PSW_NPM_PREFIX, default ~/.cache/psw/npm); without it (or without node) those rows are
// skipped with a message saying so.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <psw/mes/hsms_link.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>

namespace {

using psw::mes::Item;

// psw's rate (operations per second, wall clock) of each compared row's last run.
std::map<std::string, double>& psw_rates() {
  static std::map<std::string, double> rates;
  return rates;
}

// Times the benchmark loop body `step` over the state's iterations; records psw's rate.
template <class Step>
void timed(benchmark::State& state, const char* key, Step step) {
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) step();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (seconds > 0) psw_rates()[key] = static_cast<double>(state.iterations()) / seconds;
}

// The node_modules folder holding secs4js, or empty.
std::string secs4js_modules() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("SECS4JS_MODULES")) return env;
  fs::path prefix;
  if (const char* p = std::getenv("PSW_NPM_PREFIX")) {
    prefix = p;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME")) {
    prefix = fs::path(x) / "psw" / "npm";
  } else if (const char* h = std::getenv("HOME")) {
    prefix = fs::path(h) / ".cache" / "psw" / "npm";
  }
  const fs::path modules = prefix / "node_modules";
  return fs::exists(modules / "secs4js" / "package.json") ? modules.string() : std::string();
}

// The first line a shell command prints on stdout.
std::string first_line(const std::string& command) {
  std::string line;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
      if (line.empty()) line = buffer;
    }
    ::pclose(pipe);
  }
  return line;
}

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
  timed(state, "encode_s6f11", [&] {
    out.clear();
    psw::mes::encode(item, out);
    benchmark::DoNotOptimize(out.data());
  });
  set_rate(state, out.size());
}

void BM_DecodeS6F11(benchmark::State& state) {
  const auto bytes = psw::mes::encode(s6f11());
  timed(state, "decode_s6f11", [&] {
    Item item = psw::mes::decode(bytes);
    benchmark::DoNotOptimize(&item);
  });
  set_rate(state, bytes.size());
}

constexpr std::size_t kMegabyte = 1 << 20;

void BM_Encode1MBBinary(benchmark::State& state) {
  const Item item = Item::binary(std::vector<std::uint8_t>(kMegabyte, 0x5A));
  std::vector<std::uint8_t> out;
  timed(state, "encode_1mb", [&] {
    out.clear();
    psw::mes::encode(item, out);
    benchmark::DoNotOptimize(out.data());
  });
  set_rate(state, out.size());
}

void BM_Decode1MBBinary(benchmark::State& state) {
  const auto bytes = psw::mes::encode(Item::binary(std::vector<std::uint8_t>(kMegabyte, 0x5A)));
  timed(state, "decode_1mb", [&] {
    Item item = psw::mes::decode(bytes);
    benchmark::DoNotOptimize(&item);
  });
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
  timed(state, "json_to_item_s6f11", [&] {
    Item item = psw::mes::item_from_json(json);
    benchmark::DoNotOptimize(&item);
  });
  set_rate(state, json.size());
}

void BM_ItemToJsonS6F11(benchmark::State& state) {
  const Item item = s6f11();
  std::size_t size = 0;
  timed(state, "item_to_json_s6f11", [&] {
    std::string json = psw::mes::to_json(item);
    size = json.size();
    benchmark::DoNotOptimize(json.data());
  });
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
    timed(state, "round_trip_s1f1", [&] {
      auto reply = host->request(s1f1(), 10.0);
      benchmark::DoNotOptimize(&reply);
    });
    host->separate();
  }
  equipment.join();
  state.counters["round_trips/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Reports secs4js's `rate` for the row comparing with psw's row `key`, and the ratio.
void report_secs4js(benchmark::State& state, const char* key, double rate) {
  state.counters["items/s"] = rate;
  const auto psw = psw_rates().find(key);
  if (psw != psw_rates().end() && rate > 0) state.counters["psw/secs4js"] = psw->second / rate;
}

// secs4js's figures for the item and JSON rows: benchmarks/secs4js_bench.mjs run once, fed
// psw's tagged JSON and bytes of the same S6F11. Empty, with `why`, when it cannot run.
const nlohmann::json& secs4js_figures(std::string* why) {
  static std::optional<nlohmann::json> figures;
  static std::string reason;
  if (!figures) {
    figures = nlohmann::json();
    const std::string modules = secs4js_modules();
    if (modules.empty()) {
      reason = "secs4js not installed (run scripts/install-deps, or set SECS4JS_MODULES)";
    } else {
      const auto input = std::filesystem::temp_directory_path() /
                         ("psw_mes_bench_" + std::to_string(::getpid()) + ".json");
      {
        nlohmann::json in;
        in["s6f11_json"] = psw::mes::to_json(s6f11());
        in["s6f11_hex"] = psw::mes::to_hex(psw::mes::encode(s6f11()));
        in["min_time_s"] = 0.5;
        std::ofstream(input) << in.dump();
      }
      const std::string line =
          first_line("SECS4JS_MODULES=\"" + modules +
                     "\" node \"" PSW_SOURCE_DIR "/benchmarks/secs4js_bench.mjs\" \"" +
                     input.string() + "\" 2>&1");
      std::filesystem::remove(input);
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (parsed.is_object() && parsed.contains("encode_s6f11_per_s")) {
        figures = std::move(parsed);
      } else {
        reason = "the secs4js run gave no figures (is Node.js installed?): " + line;
      }
    }
  }
  if (why) *why = reason;
  return *figures;
}

void secs4js_row(benchmark::State& state, const char* key) {
  std::string why;
  const auto& figures = secs4js_figures(&why);
  for (auto _ : state) {
  }
  if (!figures.is_object()) {
    state.SkipWithError(why.c_str());
    return;
  }
  report_secs4js(state, key, figures.at(std::string(key) + "_per_s").get<double>());
}

void BM_Secs4jsEncodeS6F11(benchmark::State& s) { secs4js_row(s, "encode_s6f11"); }
void BM_Secs4jsDecodeS6F11(benchmark::State& s) { secs4js_row(s, "decode_s6f11"); }
void BM_Secs4jsEncode1MBBinary(benchmark::State& s) { secs4js_row(s, "encode_1mb"); }
void BM_Secs4jsDecode1MBBinary(benchmark::State& s) { secs4js_row(s, "decode_1mb"); }
void BM_Secs4jsJsonToItemS6F11(benchmark::State& s) { secs4js_row(s, "json_to_item_s6f11"); }
void BM_Secs4jsItemToJsonS6F11(benchmark::State& s) { secs4js_row(s, "item_to_json_s6f11"); }

void BM_Secs4jsRoundTripS1F1(benchmark::State& state) {
  // Two secs4js endpoints in one Node process; the figure is the script's own measurement.
  const std::string modules = secs4js_modules();
  if (modules.empty()) {
    state.SkipWithError("secs4js not installed (run scripts/install-deps, or set SECS4JS_MODULES)");
    return;
  }
  const std::uint16_t port = [] {
    psw::mes::hsms::Listener probe;
    return probe.port();
  }();
  const std::string command = "SECS4JS_MODULES=\"" + modules +
                              "\" node \"" PSW_SOURCE_DIR
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
  if (rate <= 0) {
    state.SkipWithError("the secs4js bench run printed no rate (is Node.js installed?)");
    return;
  }
  state.counters["round_trips/s"] = rate;
  const auto psw = psw_rates().find("round_trip_s1f1");
  if (psw != psw_rates().end()) state.counters["psw/secs4js"] = psw->second / rate;
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
BENCHMARK(BM_Secs4jsEncodeS6F11)->Iterations(1);
BENCHMARK(BM_Secs4jsDecodeS6F11)->Iterations(1);
BENCHMARK(BM_Secs4jsEncode1MBBinary)->Iterations(1);
BENCHMARK(BM_Secs4jsDecode1MBBinary)->Iterations(1);
BENCHMARK(BM_Secs4jsJsonToItemS6F11)->Iterations(1);
BENCHMARK(BM_Secs4jsItemToJsonS6F11)->Iterations(1);
BENCHMARK(BM_HsmsRoundTripS1F1)->UseRealTime();
BENCHMARK(BM_Secs4jsRoundTripS1F1)->Iterations(1)->UseRealTime();

BENCHMARK_MAIN();
