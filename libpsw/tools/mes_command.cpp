// `psw mes …`: SECS-II items between JSON, hex bytes and SML on stdin/stdout.
//
//   echo '{"L":[{"U4":[1001]},{"A":"ok"}]}' | psw mes encode          → 0102b104000003e941026f6b
//   echo '<L <U4 1001> <A "ok">>'          | psw mes encode          → the same bytes
//   echo 0102b104000003e941026f6b           | psw mes decode --to sml → <L [2] <U4 1001> …>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <arpa/inet.h>

#include <psw/core/build_info.hpp>
#include <psw/core/config.hpp>
#include <psw/hal/tcp_server.hpp>
#include <psw/mes/dictionary.hpp>
#include <psw/mes/gem.hpp>
#include <psw/mes/hsms_link.hpp>
#include <psw/mes/item.hpp>
#include <psw/mes/json.hpp>
#include <psw/mes/sml.hpp>
#include <psw/twin/repair_job.hpp>

#include "commands.hpp"

namespace psw::cli {

namespace {

std::string read_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// The item in `text`, as JSON or SML: `from` names it, or "auto" looks at the first character.
mes::Item parse_input(const std::string& text, const std::string& from) {
  std::string kind = from;
  if (kind == "auto") {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) throw std::invalid_argument("stdin: no item given");
    kind = text[first] == '{' ? "json" : "sml";
  }
  if (kind == "json") return mes::item_from_json(text);
  return mes::parse_sml_item(text, "<stdin>");
}

// `text` as a JSON string literal (quotes and escapes included).
std::string json_string(const std::string& text) {
  const std::string tagged = mes::to_json(mes::Item::ascii(text));  // {"A":"…"}
  return tagged.substr(5, tagged.size() - 6);
}

// "127.0.0.1:5000" → host and port. The host is a numeric IPv4 address; psw's own default is
// 127.0.0.1 (loopback unless told otherwise), 0.0.0.0 listens on every interface.
struct Address {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};

Address parse_address(const std::string& address, const char* option) {
  const hal::TcpServerOptions parsed = hal::parse_listen_address(option, address);
  in_addr ip{};
  if (::inet_pton(AF_INET, parsed.host.c_str(), &ip) != 1) {
    throw std::invalid_argument(std::string(option) + " = " + address + ": '" + parsed.host +
                                "' is not a numeric IPv4 address (e.g. 127.0.0.1)");
  }
  if (parsed.port == 0) {
    throw std::invalid_argument(std::string(option) + " = '" + address +
                                "': port not in [1, 65535]");
  }
  return {parsed.host, static_cast<std::uint16_t>(parsed.port)};
}

// Collection events of the weld cell and the variables their reports may carry.
constexpr std::uint32_t kJobStarted = 1001, kSiteDone = 1002, kJobDone = 1003;
constexpr std::uint32_t kVidJob = 1, kVidSite = 2, kVidFill_um3 = 3, kVidSites = 4;
// Status variables (S1F3) and equipment constants (S2F13) of the weld cell (docs/mes.md).
constexpr std::uint32_t kSvProcessState = 11, kSvHvSetpoint = 12, kSvStageX = 13, kSvStageY = 14,
                        kSvSitesDone = 15;
constexpr std::uint32_t kEcSpraySetpoint = 101, kEcT3 = 102, kEcT6 = 103;
constexpr double kSpraySetpoint_V = 1200.0;  // the cone-jet setpoint of the demo job's ink

// `psw mes equipment`: a passive GEM equipment whose START runs the demo repair job and
// reports its events (job started, each site, job done).
int run_equipment(const Address& address, double duration_s) {
  mes::hsms::Listener listener(address.port, address.host);
  std::printf("equipment listening on %s:%u\n", address.host.c_str(),
              static_cast<unsigned>(listener.port()));
  std::fflush(stdout);

  const twin::RepairJob job =
      twin::RepairJob::from_config(Config::parse(twin::demo_job_yaml(), "<built-in demo job>"));
  std::string site_id;
  double fill_um3 = 0;
  mes::gem::Equipment equipment("PSW", std::string(version()));
  for (auto ceid : {kJobStarted, kSiteDone, kJobDone}) equipment.add_event(ceid);
  equipment.add_variable(kVidJob, [&] { return mes::Item::ascii(job.name); });
  equipment.add_variable(kVidSite, [&] { return mes::Item::ascii(site_id); });
  equipment.add_variable(kVidFill_um3, [&] { return mes::Item::f8({fill_um3}); });
  equipment.add_variable(
      kVidSites, [&] { return mes::Item::u4({static_cast<std::uint32_t>(job.sites.size())}); });
  std::vector<std::uint32_t> pending_events;
  bool running = false;
  std::size_t site = 0;
  double stage_x_m = 0, stage_y_m = 0;
  const mes::hsms::Timers timers;
  equipment.add_status_variable(kSvProcessState, "ProcessState", "",
                                [&] { return mes::Item::ascii(running ? "RUNNING" : "IDLE"); });
  equipment.add_status_variable(kSvHvSetpoint, "HvSetpoint", "V",
                                [&] { return mes::Item::f8({running ? kSpraySetpoint_V : 0.0}); });
  equipment.add_status_variable(kSvStageX, "StageX", "m",
                                [&] { return mes::Item::f8({stage_x_m}); });
  equipment.add_status_variable(kSvStageY, "StageY", "m",
                                [&] { return mes::Item::f8({stage_y_m}); });
  equipment.add_status_variable(kSvSitesDone, "SitesDone", "",
                                [&] { return mes::Item::u4({static_cast<std::uint32_t>(site)}); });
  equipment.add_equipment_constant(kEcSpraySetpoint, "SpraySetpoint", "V",
                                   [] { return mes::Item::f8({kSpraySetpoint_V}); });
  equipment.add_equipment_constant(kEcT3, "T3", "s", [&] { return mes::Item::f8({timers.t3_s}); });
  equipment.add_equipment_constant(kEcT6, "T6", "s", [&] { return mes::Item::f8({timers.t6_s}); });
  equipment.on_command("START", [&](const mes::gem::CommandParameters&) -> std::uint8_t {
    if (running) return 2;
    running = true;
    pending_events.push_back(kJobStarted);
    for (std::size_t i = 0; i < job.sites.size(); ++i) pending_events.push_back(kSiteDone);
    pending_events.push_back(kJobDone);
    return 4;  // acknowledged, finishing later (events follow)
  });
  for (const char* rcmd : {"STOP", "PAUSE", "RESUME"}) {
    equipment.on_command(rcmd, [&](const mes::gem::CommandParameters&) -> std::uint8_t {
      pending_events.clear();
      running = false;
      return 0;
    });
  }

  const double end = duration_s > 0 ? mes::hsms::Link::now_s() + duration_s : 1e300;
  while (mes::hsms::Link::now_s() < end) {
    auto link = listener.accept(std::min(1.0, end - mes::hsms::Link::now_s()), 0, timers);
    if (!link) continue;
    // Replies, and S9F1/S9F7/S9F9 where the session saw a wrong device id, an illegal body
    // or a T3 expiry.
    link->set_handler([&](mes::hsms::Link& l, const mes::hsms::Event& e) {
      auto out = equipment.respond(e, 0);
      if (!out) return;
      if (out->reply_to) {
        l.reply(out->message, *out->reply_to);
      } else {
        l.request(out->message, 0);
      }
    });
    site = 0;
    while (link->open() && mes::hsms::Link::now_s() < end) {
      link->poll(0.05);
      // Report one pending event per round, each with its site's values.
      if (!pending_events.empty() && link->session().state() == mes::hsms::State::selected) {
        const std::uint32_t ceid = pending_events.front();
        pending_events.erase(pending_events.begin());
        if (ceid == kSiteDone && site < job.sites.size()) {
          site_id = job.sites[site].id;
          fill_um3 = job.sites[site].fill_volume_m3() * 1e18;
          stage_x_m = job.sites[site].x_m;
          stage_y_m = job.sites[site].y_m;
          ++site;
        }
        if (ceid == kJobDone) running = false;
        if (auto report = equipment.event_report(ceid)) link->request(*report, 5.0);
      }
    }
  }
  return 0;
}

struct HostOptions {
  double timeout_s = 10.0;
  double reconnect_for_s = 60.0;  // 0: no reconnection
  double t5_s = 10.0;
  double max_backoff_s = 60.0;
};

// Connects and selects once. Empty, with `why`, when either step fails.
std::unique_ptr<mes::hsms::Link> connect_and_select(const Address& address, const HostOptions& o,
                                                    std::string* why) {
  mes::hsms::Timers timers;
  timers.t5_s = o.t5_s;
  auto link = mes::hsms::Link::connect(address.host, address.port, o.timeout_s, 0, timers, why);
  if (!link) return nullptr;
  if (!link->select(o.timeout_s)) {
    *why = "HSMS select was not accepted";
    return nullptr;
  }
  return link;
}

// After a lost connection: wait T5, try; on failure wait 2·T5, 4·T5, … (at most
// max_backoff_s) until reconnect_for_s has passed. Says on stderr what it does, and on stdout
// as JSON lines ({"link":"lost"|"reconnected"|"gave_up"}).
std::unique_ptr<mes::hsms::Link> reconnect(const Address& address, const HostOptions& o,
                                           const std::string& reason) {
  std::printf("{\"link\":\"lost\",\"text\":%s}\n", json_string(reason).c_str());
  std::fflush(stdout);
  const double give_up = mes::hsms::Link::now_s() + o.reconnect_for_s;
  double wait_s = o.t5_s;
  std::string why = reason;
  for (int attempt = 1;; ++attempt) {
    if (mes::hsms::Link::now_s() + wait_s > give_up) break;
    std::fprintf(stderr, "psw mes host: connection to %s lost (%s); attempt %d in %g s\n",
                 address.text().c_str(), why.c_str(), attempt, wait_s);
    std::this_thread::sleep_for(std::chrono::duration<double>(wait_s));
    if (auto link = connect_and_select(address, o, &why)) {
      std::fprintf(stderr, "psw mes host: reconnected to %s and selected (attempt %d)\n",
                   address.text().c_str(), attempt);
      std::printf("{\"link\":\"reconnected\",\"attempts\":%d}\n", attempt);
      std::fflush(stdout);
      return link;
    }
    wait_s = std::min(2 * wait_s, std::max(o.max_backoff_s, o.t5_s));
  }
  std::printf("{\"link\":\"gave_up\",\"text\":%s}\n", json_string(why).c_str());
  std::fflush(stdout);
  throw std::runtime_error("HSMS connection to " + address.text() +
                           " lost and not re-established within --reconnect-for " +
                           format_number(o.reconnect_for_s) + " s: " + why);
}

// `psw mes host`: connect, select, send each named-JSON line of the script, print replies
// and unsolicited messages (acknowledging S5F1, S6F11 and S10F1) as named JSON lines. When
// the connection drops it reconnects (reconnect()) and goes on with the next script line; a
// message whose reply was lost with the connection is not sent again.
int run_host(const Address& address, const std::string& script_path, const HostOptions& options) {
  const double timeout_s = options.timeout_s;
  const auto& dictionary = mes::Dictionary::builtin();
  std::string why;
  auto link = connect_and_select(address, options, &why);
  if (!link) throw std::runtime_error(why);
  auto print = [&](const char* kind, const mes::Message& m) {
    std::printf("{\"%s\":%s}\n", kind, dictionary.to_named_json(m).c_str());
    std::fflush(stdout);
  };
  auto handler = [&](mes::hsms::Link& l, const mes::hsms::Event& e) {
    if (e.kind != mes::hsms::Event::Kind::primary_received) return;
    print("received", *e.message);
    if (auto ack = mes::gem::host_acknowledge(*e.message)) l.reply(*ack, e.system_bytes);
  };
  link->set_handler(handler);
  // Keeps `link` usable: reconnects when it has closed (or fails with a clear error).
  auto ensure_link = [&](const std::string& reason) {
    if (link->open()) return;
    if (!(options.reconnect_for_s > 0)) {
      throw std::runtime_error("HSMS connection to " + address.text() + " lost (" + reason +
                               ") and --reconnect-for is 0");
    }
    link = reconnect(address, options, reason);
    link->set_handler(handler);
  };

  std::ifstream file;
  if (script_path != "-") {
    file.open(script_path);
    if (!file) throw std::invalid_argument("cannot read host script " + script_path);
  }
  std::istream& in = script_path == "-" ? std::cin : file;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    // {"linktest": true} sends a linktest.req and prints whether it was answered.
    ensure_link("the peer closed the connection");
    if (line.find("\"linktest\"") != std::string::npos) {
      std::printf("{\"linktest\":%s}\n", link->linktest(timeout_s) ? "true" : "false");
      std::fflush(stdout);
      continue;
    }
    // {"wait_s": N} polls for unsolicited messages; anything else is a message to send.
    if (line.find("\"wait_s\"") != std::string::npos) {
      const Config wait = Config::parse(line, script_path + ":" + std::to_string(line_number));
      const double until =
          mes::hsms::Link::now_s() + wait.get_double("wait_s", Range::closed(0, 3600));
      wait.finish();
      while (mes::hsms::Link::now_s() < until) {
        ensure_link("the peer closed the connection");
        link->poll(until - mes::hsms::Link::now_s());
      }
      continue;
    }
    mes::Message m;
    try {
      m = dictionary.from_named_json(line);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(script_path + ":" + std::to_string(line_number) + ": " +
                                  e.what());
    }
    print("sent", m);
    const auto reply = link->request(m, timeout_s);
    if (reply.status == mes::hsms::Reply::Status::ok && reply.message) {
      print("reply", *reply.message);
    } else if (reply.status != mes::hsms::Reply::Status::ok) {
      std::printf("{\"status\":\"%s\",\"text\":%s}\n",
                  reply.status == mes::hsms::Reply::Status::timeout    ? "timeout"
                  : reply.status == mes::hsms::Reply::Status::rejected ? "rejected"
                                                                       : "closed",
                  json_string(reply.text).c_str());
    }
  }
  if (link->open()) link->separate();
  return 0;
}

}  // namespace

Command add_mes_command(CLI::App& app) {
  auto* mes = app.add_subcommand(
      "mes", "SECS-II items (JSON, hex bytes, SML) and HSMS-SS/GEM endpoints (SEMI E5/E37/E30)");
  mes->require_subcommand(1);

  auto* encode = mes->add_subcommand(
      "encode", "Read an item as tagged JSON or SML on stdin, write its SECS-II bytes in hex");
  auto from = std::make_shared<std::string>("auto");
  encode->add_option("--from", *from, "Input form: json, sml or auto (by the first character)")
      ->check(CLI::IsMember({"auto", "json", "sml"}));

  auto* decode = mes->add_subcommand(
      "decode", "Read SECS-II bytes in hex on stdin, write the item as tagged JSON or SML");
  auto to = std::make_shared<std::string>("json");
  decode->add_option("--to", *to, "Output form: json or sml")
      ->check(CLI::IsMember({"json", "sml"}));
  auto max_bytes = std::make_shared<std::size_t>(mes::DecodeOptions{}.max_bytes);
  decode->add_option("--max-bytes", *max_bytes, "Refuse input above this many bytes");
  auto indent = std::make_shared<int>(-1);
  decode->add_option("--indent", *indent, "Spaces per level (JSON and SML); -1: one line");

  auto* equipment = mes->add_subcommand(
      "equipment", "Serve a GEM equipment over HSMS-SS (passive); START runs the demo job");
  auto listen = std::make_shared<std::string>("127.0.0.1:5000");
  equipment->add_option("--listen", *listen,
                        "IPv4 address and port to listen on (0.0.0.0 for every interface)");
  auto duration = std::make_shared<double>(0.0);
  equipment->add_option("--duration", *duration, "Stop after this many seconds (0: never)");

  auto* host = mes->add_subcommand(
      "host", "Connect as an HSMS-SS host and send the named-JSON messages of a script");
  auto connect = std::make_shared<std::string>("127.0.0.1:5000");
  host->add_option("--connect", *connect, "Equipment's IPv4 address and port");
  auto script = std::make_shared<std::string>("-");
  host->add_option("--script", *script, "JSON-lines file of messages ('-': stdin)");
  auto host_options = std::make_shared<HostOptions>();
  host->add_option("--timeout", host_options->timeout_s,
                   "Seconds to wait for a connection or a reply");
  host->add_option("--reconnect-for", host_options->reconnect_for_s,
                   "After a lost connection, keep trying this many seconds (0: do not reconnect)");
  host->add_option("--t5", host_options->t5_s,
                   "T5 connect separation: seconds before the first reconnection attempt");
  host->add_option("--max-backoff", host_options->max_backoff_s,
                   "Longest wait between attempts (the wait doubles from T5 up to this)");

  return {mes, [encode, equipment, host, listen, duration, connect, script, host_options, from, to,
                max_bytes, indent]() {
            if (equipment->parsed()) {
              require_in_range("--duration", *duration, Range::closed_open(0, 1e9));
              return run_equipment(parse_address(*listen, "--listen"), *duration);
            }
            if (host->parsed()) {
              require_in_range("--timeout", host_options->timeout_s, Range::open(0, 3600));
              require_in_range("--reconnect-for", host_options->reconnect_for_s,
                               Range::closed(0, 1e6));
              require_in_range("--t5", host_options->t5_s, Range::open(0, 3600));
              require_in_range("--max-backoff", host_options->max_backoff_s, Range::open(0, 3600));
              return run_host(parse_address(*connect, "--connect"), *script, *host_options);
            }
            if (encode->parsed()) {
              const mes::Item item = parse_input(read_stdin(), *from);
              std::cout << mes::to_hex(mes::encode(item)) << '\n';
              return 0;
            }
            // decode: hex → item → JSON or SML.
            mes::DecodeOptions options;
            options.max_bytes = *max_bytes;
            const mes::Item item = mes::decode(mes::from_hex(read_stdin()), options);
            std::cout << (*to == "sml" ? mes::to_sml(item, *indent) : mes::to_json(item, *indent))
                      << '\n';
            return 0;
          }};
}

}  // namespace psw::cli
