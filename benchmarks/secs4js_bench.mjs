// The secs4js side of benchmarks/mes_bench.cpp: the same S6F11 event report and the same
// 1 MB binary item, encoded and decoded with secs4js on Node.js, and the same tagged JSON text
// translated to secs4js items and back. mes_bench runs this script in the same run as its own
// rows and prints the figures beside psw's, with the ratios.
//
//   SECS4JS_MODULES=…/node_modules node secs4js_bench.mjs INPUT.json
//
// INPUT.json (written by mes_bench): {"s6f11_json": psw's tagged JSON of the S6F11 body,
// "s6f11_hex": psw's SECS-II bytes of it, "min_time_s": seconds per figure}. Before timing
// anything the script checks that both sides do the same work: secs4js, given the same JSON,
// writes as many bytes as psw, and reads psw's bytes back into the same item. (The bytes
// differ in one place: secs4js writes BOOLEAN true as 0xFF, psw as 0x01; SEMI E5 reads any
// non-zero byte as true.) Prints one JSON line of rates (operations per second).
//
// secs4js has no JSON form of its own: the translation here is JSON.parse plus building the
// items from the tagged form, and back (item tree → tagged object → JSON.stringify), which is
// what psw's item_from_json / to_json do.
import { createRequire } from "module";
import fs from "fs";
import path from "path";

const modules = process.env.SECS4JS_MODULES;
const require = createRequire(path.join(modules, "noop.js"));
const secs = await import(require.resolve("secs4js"));
const { Secs2ItemParser, SecsItemType } = secs;

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const minTime = input.min_time_s ?? 0.5;

// Tagged JSON (psw's form) → secs4js item.
const makers = {
  L: (v) => secs.L(...v.map(fromTagged)),
  A: (v) => secs.A(v),
  B: (v) => secs.B(Buffer.from(v)),
  BOOLEAN: (v) => secs.BOOLEAN(...v),
};
for (const f of ["U1", "U2", "U4", "I1", "I2", "I4", "F4", "F8"]) makers[f] = (v) => secs[f](...v);
for (const f of ["U8", "I8"]) makers[f] = (v) => secs[f](...v.map((x) => BigInt(x)));
function fromTagged(obj) {
  const [format, value] = Object.entries(obj)[0];
  return makers[format](value);
}

// secs4js item → tagged JSON object.
const names = Object.fromEntries(
  Object.entries(SecsItemType).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]));
function toTagged(item) {
  const format = names[item.type];
  if (format === "L") return { L: item.value.map(toTagged) };
  if (format === "A") return { A: item.value };
  if (format === "B") return { B: Array.from(item.value) };
  const values = item.valueAsArray.map((x) => (typeof x === "bigint" ? x.toString() : x));
  return { [format]: values };
}

// Operations per second of `op`, run in batches until minTime has passed (after a warm-up).
function rate(op) {
  for (let i = 0; i < 10; ++i) op();
  let count = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minTime) {
    for (let i = 0; i < batch; ++i) op();
    count += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return count / elapsed;
}

const s6f11 = fromTagged(JSON.parse(input.s6f11_json));
const s6f11Bytes = s6f11.toBuffer();
const pswBytes = Buffer.from(input.s6f11_hex, "hex");
const sameItem = JSON.stringify(toTagged(Secs2ItemParser.fromBuffer(pswBytes).item)) ===
                 JSON.stringify(toTagged(s6f11));
if (!sameItem || s6f11Bytes.length !== pswBytes.length) {
  process.stdout.write(JSON.stringify({ error: "secs4js and psw disagree on the S6F11",
                                        secs4js_hex: s6f11Bytes.toString("hex") }) + "\n");
  process.exit(1);
}
const binary = secs.B(Buffer.alloc(1 << 20, 0x5a));
const binaryBytes = binary.toBuffer();

let sink = 0;
const out = {
  encode_s6f11_per_s: rate(() => { sink += s6f11.toBuffer().length; }),
  decode_s6f11_per_s: rate(() => { sink += Secs2ItemParser.fromBuffer(s6f11Bytes).consumed; }),
  encode_1mb_per_s: rate(() => { sink += binary.toBuffer().length; }),
  decode_1mb_per_s: rate(() => { sink += Secs2ItemParser.fromBuffer(binaryBytes).consumed; }),
  json_to_item_s6f11_per_s: rate(() => {
    sink += fromTagged(JSON.parse(input.s6f11_json)).type;
  }),
  item_to_json_s6f11_per_s: rate(() => { sink += JSON.stringify(toTagged(s6f11)).length; }),
  same_item: sameItem,
  node: process.version,
};
out.sink = sink > 0;
process.stdout.write(JSON.stringify(out) + "\n");
