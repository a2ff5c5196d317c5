// An independent HSMS-SS/SECS-II peer for psw's interoperability tests, built on the npm
// package secs4js (installed under the build tree by tests/python/test_mes_interop.py).
//
//   node secs4js_peer.mjs passive PORT   equipment on 127.0.0.1:PORT: answers S1F13 and S1F1,
//                                        then sends an S6F11 with nested lists
//   node secs4js_peer.mjs active PORT    host connecting to 127.0.0.1:PORT: select, S1F13,
//                                        S1F1, linktest, reports set up, START, separate
//   node secs4js_peer.mjs bench PORT N   two secs4js endpoints in this process: N S1F1/S1F2
//                                        round trips, prints {"round_trips_per_s": …}
//
// Every line on stdout is JSON: {"event": ...} or {"sml": "...", "dir": "received|reply"}.
// The whole run is bounded: after 15 s it exits with status 3.
import { createRequire } from "module";
import path from "path";

const modules = process.env.SECS4JS_MODULES;  // the node_modules folder holding secs4js
const require = createRequire(path.join(modules, "noop.js"));
const secs = await import(require.resolve("secs4js"));
const { A, B, BOOLEAN, L, U4, HsmsActiveCommunicator, HsmsPassiveCommunicator } = secs;

const [mode, portText] = process.argv.slice(2);
const port = Number(portText);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
setTimeout(() => { say({ event: "timeout" }); process.exit(3); }, 15000);

if (mode === "passive") {
  const equipment = new HsmsPassiveCommunicator({
    ip: "127.0.0.1", port, deviceId: 0, isEquip: true, name: "secs4js-equipment",
  });
  equipment.on("selected", () => say({ event: "selected" }));
  equipment.on("disconnected", () => { say({ event: "disconnected" }); process.exit(0); });
  equipment.on("message", (msg) => {
    void (async () => {
      say({ dir: "received", sml: msg.toSml() });
      if (msg.stream === 1 && msg.func === 13) {
        await equipment.reply(msg, 1, 14, L(B(Buffer.from([0])), L(A("SECS4JS"), A("0.4.7"))));
        // An event report with nested lists: DATAID, CEID, one report of two values.
        const ack = await equipment.send(6, 11, true,
          L(U4(7), U4(1001), L(L(U4(2001), L(A("JOINT-7"), U4(42))))));
        say({ dir: "reply", sml: ack ? ack.toSml() : "none" });
      } else if (msg.stream === 1 && msg.func === 1) {
        await equipment.reply(msg, 1, 2, L(A("SECS4JS"), A("0.4.7")));
      }
    })();
  });
  await equipment.open();
  say({ event: "listening" });
} else if (mode === "active") {
  const host = new HsmsActiveCommunicator({
    ip: "127.0.0.1", port, deviceId: 0, isEquip: false, name: "secs4js-host",
  });
  let reports = 0;
  let allReported;
  const done = new Promise((resolve) => { allReported = resolve; });
  host.on("message", (msg) => {
    void (async () => {
      say({ dir: "received", sml: msg.toSml() });
      if (msg.stream === 6 && msg.func === 11) {
        await host.reply(msg, 6, 12, B(Buffer.from([0])));
        if (++reports === 6) allReported();  // job started, four sites, job done
      }
    })();
  });
  await host.open();
  await host.untilConnected();
  say({ event: "selected" });
  const ask = async (s, f, body) => {
    const reply = await host.send(s, f, true, body);
    say({ dir: "reply", sml: reply ? reply.toSml() : "none" });
  };
  await ask(1, 13, L());
  await ask(1, 1, null);
  await host.sendLinkTestReq();
  say({ event: "linktest" });
  await ask(2, 33, L(U4(1), L(L(U4(10), L(U4(2), U4(3))))));
  await ask(2, 35, L(U4(2), L(L(U4(1002), L(U4(10))))));
  await ask(2, 37, L(BOOLEAN(true), L()));
  await ask(2, 41, L(A("START"), L()));
  await done;
  await host.sendSeparateReq();
  say({ event: "separated" });
  await host.close();
  process.exit(0);
} else if (mode === "bench") {
  const count = Number(process.argv[4] || 1000);
  const equipment = new HsmsPassiveCommunicator({
    ip: "127.0.0.1", port, deviceId: 0, isEquip: true, name: "bench-equipment",
  });
  equipment.on("message", (msg) => {
    if (msg.stream === 1 && msg.func === 1) {
      void equipment.reply(msg, 1, 2, L(A("SECS4JS"), A("0.4.7")));
    }
  });
  await equipment.open();
  const host = new HsmsActiveCommunicator({
    ip: "127.0.0.1", port, deviceId: 0, isEquip: false, name: "bench-host",
  });
  await host.open();
  await host.untilConnected();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; ++i) await host.send(1, 1, true);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  say({ round_trips: count, seconds, round_trips_per_s: count / seconds });
  await host.close();
  await equipment.close();
  process.exit(0);
} else {
  console.error("usage: secs4js_peer.mjs passive|active PORT | bench PORT N");
  process.exit(2);
}
