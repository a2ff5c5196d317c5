#include <stdexcept>

#include <psw/mes/gem.hpp>

namespace psw::mes::gem {

namespace {

Message make(int stream, int function, bool wait, std::optional<Item> body = std::nullopt) {
  Message m;
  m.stream = static_cast<std::uint8_t>(stream);
  m.function = static_cast<std::uint8_t>(function);
  m.reply_expected = wait;
  m.body = std::move(body);
  return m;
}

// One unsigned identifier from an item of any integer format holding one value.
std::optional<std::uint32_t> id_of(const Item& item) {
  if (item.size() != 1) return std::nullopt;
  auto fits = [](auto v) -> std::optional<std::uint32_t> {
    if (v < 0 || static_cast<std::uint64_t>(v) > 0xFFFFFFFFu) return std::nullopt;
    return static_cast<std::uint32_t>(v);
  };
  switch (item.format()) {
    case Format::U1:
      return item.values<std::uint8_t>()[0];
    case Format::U2:
      return item.values<std::uint16_t>()[0];
    case Format::U4:
      return item.values<std::uint32_t>()[0];
    case Format::U8: {
      const auto v = item.values<std::uint64_t>()[0];
      if (v > 0xFFFFFFFFu) return std::nullopt;
      return static_cast<std::uint32_t>(v);
    }
    case Format::I1:
      return fits(item.values<std::int8_t>()[0]);
    case Format::I2:
      return fits(item.values<std::int16_t>()[0]);
    case Format::I4:
      return fits(item.values<std::int32_t>()[0]);
    case Format::I8:
      return fits(item.values<std::int64_t>()[0]);
    default:
      return std::nullopt;
  }
}

// Identifiers of a list of items; empty optional when one is not an unsigned integer.
std::optional<std::vector<std::uint32_t>> ids_of(const Item& list) {
  std::vector<std::uint32_t> out;
  for (const Item& child : list.items()) {
    const auto id = id_of(child);
    if (!id) return std::nullopt;
    out.push_back(*id);
  }
  return out;
}

bool is(const Message& m, int stream, int function) {
  return m.stream == stream && m.function == function;
}

}  // namespace

std::vector<std::uint8_t> message_header(const Message& message, std::uint16_t device_id,
                                         std::uint32_t system_bytes) {
  return {static_cast<std::uint8_t>(device_id >> 8),
          static_cast<std::uint8_t>(device_id),
          static_cast<std::uint8_t>((message.reply_expected ? 0x80 : 0) | message.stream),
          message.function,
          0,
          0,
          static_cast<std::uint8_t>(system_bytes >> 24),
          static_cast<std::uint8_t>(system_bytes >> 16),
          static_cast<std::uint8_t>(system_bytes >> 8),
          static_cast<std::uint8_t>(system_bytes)};
}

Message s9_message(int function, const Message& offending, std::uint16_t device_id,
                   std::uint32_t system_bytes) {
  if (function < 1 || function > 11 || function % 2 == 0) {
    throw std::invalid_argument("S9 function = " + std::to_string(function) +
                                " is outside {1, 3, 5, 7, 9, 11}");
  }
  return make(9, function, false, Item::binary(message_header(offending, device_id, system_bytes)));
}

std::optional<Message> host_acknowledge(const Message& primary) {
  if (!primary.reply_expected) return std::nullopt;
  const bool accepted = is(primary, 5, 1) || is(primary, 6, 11) || is(primary, 10, 1);
  if (!accepted) return make(primary.stream, 0, false);
  return make(primary.stream, primary.function + 1, false, Item::binary({0}));
}

Equipment::Equipment(std::string model_name, std::string software_revision,
                     const Dictionary& dictionary)
    : mdln_(std::move(model_name)),
      softrev_(std::move(software_revision)),
      dictionary_(&dictionary) {}

void Equipment::add_event(std::uint32_t ceid) { events_.insert(ceid); }

void Equipment::add_variable(std::uint32_t vid, std::function<Item()> read) {
  variables_[vid] = std::move(read);
}

void Equipment::add_status_variable(std::uint32_t svid, std::string name, std::string units,
                                    std::function<Item()> read) {
  status_[svid] = {std::move(name), std::move(units), std::move(read)};
}

void Equipment::add_equipment_constant(std::uint32_t ecid, std::string name, std::string units,
                                       std::function<Item()> read) {
  constants_[ecid] = {std::move(name), std::move(units), std::move(read)};
}

std::optional<Outgoing> Equipment::respond(const hsms::Event& event, std::uint16_t device_id) {
  using Kind = hsms::Event::Kind;
  switch (event.kind) {
    case Kind::primary_received: {
      auto reply = handle(*event.message, device_id, event.system_bytes);
      if (!reply || !event.message->reply_expected) return std::nullopt;
      return Outgoing{std::move(*reply), event.system_bytes};
    }
    case Kind::unknown_device:  // MHEAD as received, with the device id the host used
      return Outgoing{s9_message(1, *event.message, event.device_id, event.system_bytes), {}};
    case Kind::illegal_data:
      return Outgoing{s9_message(7, *event.message, device_id, event.system_bytes), {}};
    case Kind::reply_timeout:  // SHEAD: the primary we sent and waited for in vain
      if (!event.message) return std::nullopt;
      return Outgoing{s9_message(9, *event.message, device_id, event.system_bytes), {}};
    default:
      return std::nullopt;
  }
}

void Equipment::on_command(const std::string& rcmd, CommandHandler handler) {
  commands_[rcmd] = std::move(handler);
}

void Equipment::set_local(bool local) {
  if (control_ != ControlState::host_offline) {
    control_ = local ? ControlState::online_local : ControlState::online_remote;
  }
}

Message Equipment::ack(const Message& primary, std::uint8_t code) const {
  return make(primary.stream, primary.function + 1, false, Item::binary({code}));
}

Message Equipment::establish_communications_request() const {
  return make(1, 13, true, Item::list({Item::ascii(mdln_), Item::ascii(softrev_)}));
}

bool Equipment::on_establish_communications_reply(const Message& reply) {
  if (is(reply, 1, 14) && reply.body && reply.body->format() == Format::L &&
      reply.body->size() >= 1 && reply.body->items()[0] == Item::binary({0})) {
    comm_ = CommState::communicating;
  }
  return comm_ == CommState::communicating;
}

std::optional<Message> Equipment::handle(const Message& m, std::uint16_t device_id,
                                         std::uint32_t system_bytes) {
  // Unknown stream or function: S9F3 / S9F5 (E5 stream 9).
  if (!dictionary_->knows(m.stream, m.function)) {
    bool stream_known = false;
    for (int f = 0; f < 256 && !stream_known; ++f) stream_known = dictionary_->knows(m.stream, f);
    return s9_message(stream_known ? 5 : 3, m, device_id, system_bytes);
  }

  // A body that does not fit the dictionary: S9F7.
  try {
    dictionary_->check(m);
  } catch (const std::invalid_argument&) {
    return s9_message(7, m, device_id, system_bytes);
  }

  // Before communication is established, and off-line, most primaries are aborted (SxF0).
  const Message abort = make(m.stream, 0, false);
  if (is(m, 1, 13)) {
    comm_ = CommState::communicating;
    return make(
        1, 14, false,
        Item::list({Item::binary({0}), Item::list({Item::ascii(mdln_), Item::ascii(softrev_)})}));
  }
  if (comm_ != CommState::communicating) {
    return m.reply_expected ? std::optional(abort) : std::nullopt;
  }
  if (is(m, 1, 17)) {
    const bool was_offline = control_ == ControlState::host_offline;
    if (was_offline) control_ = ControlState::online_remote;
    return ack(m, was_offline ? 0 : 2);  // ONLACK 0 accepted, 2 already on-line
  }
  if (control_ == ControlState::host_offline) {
    return m.reply_expected ? std::optional(abort) : std::nullopt;
  }

  // On-line: serve.
  if (is(m, 1, 1)) {
    return make(1, 2, false, Item::list({Item::ascii(mdln_), Item::ascii(softrev_)}));
  }
  if (is(m, 1, 15)) {
    control_ = ControlState::host_offline;
    return ack(m, 0);  // OFLACK 0
  }
  if (is(m, 1, 3)) return read_values(m, status_);
  if (is(m, 2, 13)) return read_values(m, constants_);
  if (is(m, 2, 33)) return define_reports(m);
  if (is(m, 2, 35)) return link_reports(m);
  if (is(m, 2, 37)) return enable_events(m);
  if (is(m, 2, 41)) return remote_command(m);
  if (is(m, 5, 3)) {
    const Item& body = *m.body;
    const auto alid = id_of(body.items()[1]);
    const bool enable = (body.items()[0].bytes()[0] & 0x80) != 0;
    if (!alid) return ack(m, 1);
    if (enable) {
      disabled_alarms_.erase(*alid);
    } else {
      disabled_alarms_.insert(*alid);
    }
    return ack(m, 0);
  }
  if (is(m, 10, 3)) {
    if (terminal_) terminal_(m.body->items()[1].text());
    return ack(m, 0);
  }
  // A message the dictionary knows but this equipment does not serve (replies, S9Fx, …).
  return m.reply_expected ? std::optional(abort) : std::nullopt;
}

Message Equipment::read_values(const Message& m,
                               const std::map<std::uint32_t, Variable>& table) const {
  // One value per requested ID in the order asked; none asked: all, by ascending ID.
  Item::List values;
  if (m.body->size() == 0) {
    for (const auto& [id, variable] : table) values.push_back(variable.read());
  } else {
    for (const Item& requested : m.body->items()) {
      const auto id = id_of(requested);
      const auto it = id ? table.find(*id) : table.end();
      values.push_back(it == table.end() ? Item::list({}) : it->second.read());
    }
  }
  return make(m.stream, m.function + 1, false, Item::list(std::move(values)));
}

Message Equipment::define_reports(const Message& m) {
  const Item& definitions = m.body->items()[1];
  if (definitions.size() == 0) {  // an empty list deletes every report and its links
    reports_.clear();
    links_.clear();
    return ack(m, 0);
  }
  // Validate everything first: the definition is all or nothing.
  std::map<std::uint32_t, std::vector<std::uint32_t>> staged;
  for (const Item& rpt : definitions.items()) {
    const auto rptid = id_of(rpt.items()[0]);
    const auto vids = ids_of(rpt.items()[1]);
    if (!rptid || !vids) return ack(m, 2);
    if (!vids->empty() && (reports_.count(*rptid) || staged.count(*rptid))) return ack(m, 3);
    for (std::uint32_t vid : *vids) {
      if (!variables_.count(vid)) return ack(m, 4);
    }
    staged[*rptid] = *vids;
  }
  for (auto& [rptid, vids] : staged) {
    if (vids.empty()) {
      reports_.erase(rptid);
      for (auto& [ceid, rptids] : links_) std::erase(rptids, rptid);
    } else {
      reports_[rptid] = std::move(vids);
    }
  }
  return ack(m, 0);
}

Message Equipment::link_reports(const Message& m) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> staged;
  for (const Item& link : m.body->items()[1].items()) {
    const auto ceid = id_of(link.items()[0]);
    const auto rptids = ids_of(link.items()[1]);
    if (!ceid || !rptids) return ack(m, 2);
    if (!events_.count(*ceid)) return ack(m, 4);
    if (!rptids->empty() && links_.count(*ceid) && !links_[*ceid].empty()) return ack(m, 3);
    for (std::uint32_t rptid : *rptids) {
      if (!reports_.count(rptid)) return ack(m, 5);
    }
    staged[*ceid] = *rptids;
  }
  for (auto& [ceid, rptids] : staged) links_[ceid] = std::move(rptids);
  return ack(m, 0);
}

Message Equipment::enable_events(const Message& m) {
  const bool enable = m.body->items()[0].bytes()[0] != 0;
  const auto ceids = ids_of(m.body->items()[1]);
  if (!ceids) return ack(m, 1);
  for (std::uint32_t ceid : *ceids) {
    if (!events_.count(ceid)) return ack(m, 1);
  }
  const std::vector<std::uint32_t> targets =
      ceids->empty() ? std::vector<std::uint32_t>(events_.begin(), events_.end()) : *ceids;
  for (std::uint32_t ceid : targets) {
    if (enable) {
      enabled_events_.insert(ceid);
    } else {
      enabled_events_.erase(ceid);
    }
  }
  return ack(m, 0);
}

Message Equipment::remote_command(const Message& m) {
  auto reply = [&](std::uint8_t hcack) {
    return make(2, 42, false, Item::list({Item::binary({hcack}), Item::list({})}));
  };
  const Item& rcmd_item = m.body->items()[0];
  const std::string rcmd = rcmd_item.format() == Format::A
                               ? rcmd_item.text()
                               : std::to_string(id_of(rcmd_item).value_or(0));
  if (control_ != ControlState::online_remote) return reply(2);  // cannot perform now
  const auto it = commands_.find(rcmd);
  if (it == commands_.end()) return reply(1);  // no such command
  CommandParameters parameters;
  for (const Item& cp : m.body->items()[1].items()) {
    const Item& name = cp.items()[0];
    parameters.emplace_back(
        name.format() == Format::A ? name.text() : std::to_string(id_of(name).value_or(0)),
        cp.items()[1]);
  }
  return reply(it->second(parameters));
}

std::optional<Message> Equipment::event_report(std::uint32_t ceid) {
  if (comm_ != CommState::communicating || control_ == ControlState::host_offline ||
      !enabled_events_.count(ceid)) {
    return std::nullopt;
  }
  Item::List reports;
  const auto link = links_.find(ceid);
  if (link != links_.end()) {
    for (std::uint32_t rptid : link->second) {
      Item::List values;
      for (std::uint32_t vid : reports_.at(rptid)) values.push_back(variables_.at(vid)());
      reports.push_back(Item::list({Item::u4({rptid}), Item::list(std::move(values))}));
    }
  }
  return make(
      6, 11, true,
      Item::list({Item::u4({++data_id_}), Item::u4({ceid}), Item::list(std::move(reports))}));
}

std::optional<Message> Equipment::alarm_report(std::uint32_t alid, bool set, std::uint8_t category,
                                               const std::string& text) {
  if (comm_ != CommState::communicating || control_ == ControlState::host_offline ||
      disabled_alarms_.count(alid)) {
    return std::nullopt;
  }
  // ALCD: bit 8 alarm set, bits 1-7 category; ALTX at most 120 characters (SEMI E5).
  const auto alcd = static_cast<std::uint8_t>((set ? 0x80 : 0) | (category & 0x7F));
  return make(
      5, 1, true,
      Item::list({Item::binary({alcd}), Item::u4({alid}), Item::ascii(text.substr(0, 120))}));
}

}  // namespace psw::mes::gem
