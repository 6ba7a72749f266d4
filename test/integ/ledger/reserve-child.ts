// One gateway-like process in the SQLite quota race: migrates, says "ready", and on "go" on stdin
// makes its share of reservations, then prints how they went as one JSON line.
import { createInterface } from "node:readline";
import { createSqliteLedger } from "../../../src/server/ledger/sqlite.js";
import type { QuotaLimit } from "../../../src/server/ledger/types.js";
import { upload } from "./race-support.js";

const [path, route, callsArg, filesArg, sizeArg, limitJson] = process.argv.slice(2);
const ledger = createSqliteLedger(path!);
const limit = JSON.parse(limitJson!) as QuotaLimit;

await ledger.migrate();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === "go") break;
}
let granted = 0;
let refused = 0;
const errors: string[] = [];
for (let call = 0; call < Number(callsArg); call++) {
  const rows = Array.from({ length: Number(filesArg) }, () => upload("racer", route!, Number(sizeArg)));
  try {
    const result = await ledger.reserve(rows, { userId: "racer", route: route!, limit, now: new Date() });
    if (result.ok) granted++;
    else refused++;
  } catch (error) {
    errors.push(String(error));
  }
}
await ledger.close();
process.stdout.write(`${JSON.stringify({ granted, refused, errors })}\n`);
