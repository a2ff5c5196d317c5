#include <cstdlib>
#include <set>
#include <stdexcept>

#include <psw/core/error.hpp>
#include <psw/hal/gcs_simulator.hpp>
#include <psw/hal/iseg_simulator.hpp>
#include <psw/hal/uri.hpp>

namespace psw::hal {

namespace {

constexpr double kConnectTimeoutS = 2.0;

[[noreturn]] void bad(const std::string& uri, const std::string& why) {
  throw std::invalid_argument("device URI '" + uri + "': " + why);
}

int parse_int(const std::string& uri, const std::string& name, const std::string& text, int lo,
              int hi) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || v < lo || v > hi)
    bad(uri, name + " = '" + text + "' is not an integer in [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
  return static_cast<int>(v);
}

Protocol parse_protocol(const std::string& uri, const std::string& text) {
  if (text == "gcs") return Protocol::gcs;
  if (text == "iseg") return Protocol::iseg;
  bad(uri, "unknown protocol '" + text + "' (known: gcs, iseg)");
}

}  // namespace

const char* to_string(Protocol protocol) { return protocol == Protocol::gcs ? "gcs" : "iseg"; }

DeviceUri parse_device_uri(const std::string& uri) {
  DeviceUri out;

  // scheme://rest?query
  const auto sep = uri.find("://");
  if (sep == std::string::npos) bad(uri, "no scheme (expected sim://, tcp:// or serial://)");
  out.scheme = uri.substr(0, sep);
  std::string rest = uri.substr(sep + 3);
  std::string query;
  if (const auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.erase(q);
  }

  // Query parameters, each known and given once.
  std::map<std::string, std::string> params;
  for (std::size_t start = 0; !query.empty() && start <= query.size();) {
    const auto amp = query.find('&', start);
    const std::string item = query.substr(start, amp == std::string::npos ? amp : amp - start);
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) bad(uri, "parameter '" + item + "' is not key=value");
    const std::string key = item.substr(0, eq);
    static const std::set<std::string> kKnown = {"protocol",  "timeout_s", "channel",   "baud",
                                                 "data_bits", "parity",    "stop_bits", "echo"};
    if (!kKnown.count(key))
      bad(uri, "unknown parameter '" + key +
                   "' (known: protocol, timeout_s, channel, baud, data_bits, parity, stop_bits, "
                   "echo)");
    if (!params.emplace(key, item.substr(eq + 1)).second) bad(uri, key + " given twice");
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  if (params.count("timeout_s")) {
    char* end = nullptr;
    const std::string& t = params["timeout_s"];
    out.timeout_s = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() ||
        !Range::open_closed(0, 60).contains(out.timeout_s))
      bad(uri, "timeout_s = '" + t + "' is not a number in (0, 60]");
  }
  if (params.count("channel")) out.channel = parse_int(uri, "channel", params["channel"], 0, 15);

  // The part after the scheme.
  if (out.scheme == "sim") {
    if (params.count("protocol")) bad(uri, "sim:// takes the protocol as its host (sim://gcs)");
    out.protocol = parse_protocol(uri, rest);
  } else if (out.scheme == "tcp") {
    if (!params.count("protocol")) bad(uri, "tcp:// needs ?protocol=gcs or ?protocol=iseg");
    out.protocol = parse_protocol(uri, params["protocol"]);
    const auto colon = rest.rfind(':');
    out.host = rest.substr(0, colon);
    if (out.host.empty()) bad(uri, "no host");
    out.port = colon == std::string::npos
                   ? (out.protocol == Protocol::gcs ? gcs::kDefaultTcpPort : iseg::kDefaultTcpPort)
                   : parse_int(uri, "port", rest.substr(colon + 1), 1, 65535);
  } else if (out.scheme == "serial") {
    if (!params.count("protocol")) bad(uri, "serial:// needs ?protocol=gcs or ?protocol=iseg");
    out.protocol = parse_protocol(uri, params["protocol"]);
    out.path = rest;
    if (out.path.empty() || out.path[0] != '/') bad(uri, "serial:// needs a device path");
    if (params.count("baud")) out.baud = parse_int(uri, "baud", params["baud"], 50, 4000000);
    if (params.count("data_bits"))
      out.data_bits = parse_int(uri, "data_bits", params["data_bits"], 5, 8);
    if (params.count("stop_bits"))
      out.stop_bits = parse_int(uri, "stop_bits", params["stop_bits"], 1, 2);
    if (params.count("parity")) {
      try {
        out.parity = parse_parity(params["parity"]);
      } catch (const std::invalid_argument&) {
        bad(uri, "parity = '" + params["parity"] + "' is not one of none, even, odd");
      }
    }
    out.echo = out.protocol == Protocol::iseg;
    if (params.count("echo")) out.echo = parse_int(uri, "echo", params["echo"], 0, 1) == 1;
    SerialOptions check{out.path, out.baud, out.data_bits, out.parity, out.stop_bits};
    try {
      check.validate();
    } catch (const std::invalid_argument& e) {
      bad(uri, e.what());
    }
  } else {
    bad(uri, "unknown scheme '" + out.scheme + "' (known: sim, tcp, serial)");
  }
  for (const char* key : {"baud", "data_bits", "parity", "stop_bits", "echo"})
    if (out.scheme != "serial" && params.count(key))
      bad(uri, std::string(key) + " applies to serial:// only");
  if (out.protocol == Protocol::gcs && params.count("channel"))
    bad(uri, "channel applies to protocol=iseg only");
  return out;
}

Result<std::unique_ptr<Connection>> connect(const std::string& uri) {
  auto c = std::unique_ptr<Connection>(new Connection());
  c->uri_ = parse_device_uri(uri);
  const DeviceUri& u = c->uri_;

  // Clock and transport: in process on a simulated clock, or a socket on the steady clock.
  if (u.scheme == "sim") {
    c->clock_ = std::make_unique<SimulatedClock>();
    if (u.protocol == Protocol::gcs) {
      c->simulator_ = std::make_unique<GcsSimulator>();
    } else {
      IsegSimulatorOptions options;
      options.channel = u.channel;
      c->simulator_ = std::make_unique<IsegSimulator>(options);
    }
    c->transport_ = std::make_unique<PipeTransport>(*c->simulator_, *c->clock_);
  } else if (u.scheme == "tcp") {
    // A link that comes back by itself after a drop, with bounded back-off on the clock.
    c->clock_ = std::make_unique<SteadyClock>();
    auto link = connect_tcp(u.host, u.port, kConnectTimeoutS);
    if (!link) return link.error();
    const std::string host = u.host;
    const int port = u.port;
    auto reconnecting = std::make_unique<ReconnectingTransport>(
        [host, port] { return connect_tcp(host, port, kConnectTimeoutS); }, *c->clock_,
        BackoffOptions{}, std::move(link.value()));
    c->reconnecting_ = reconnecting.get();
    c->transport_ = std::move(reconnecting);
  } else {
    c->clock_ = std::make_unique<SteadyClock>();
    auto link = open_serial({u.path, u.baud, u.data_bits, u.parity, u.stop_bits});
    if (!link) return link.error();
    c->transport_ = std::move(link.value());
  }

  // The driver; the HV supply always behind the safety policy.
  if (u.protocol == Protocol::gcs) {
    c->gcs_ = std::make_unique<GcsPositioner>(*c->transport_, *c->clock_,
                                              GcsPositionerOptions{u.timeout_s});
  } else {
    IsegOptions options;
    options.channel = u.channel;
    options.reply_timeout_s = u.timeout_s;
    options.echo = u.echo;
    c->iseg_ = std::make_unique<IsegHvSupply>(*c->transport_, *c->clock_, options);
    c->safe_hv_ = std::make_unique<SafeHvSupply>(*c->iseg_);
  }

  // After a reconnect: the positioner re-initializes, the HV state is re-read (hv_safety.hpp).
  if (c->reconnecting_) {
    Connection* raw = c.get();
    c->reconnecting_->set_on_reconnect([raw] {
      if (raw->gcs_) raw->gcs_->on_reconnect();
      if (raw->safe_hv_) raw->safe_hv_->on_reconnect();
    });
  }
  return c;
}

}  // namespace psw::hal
