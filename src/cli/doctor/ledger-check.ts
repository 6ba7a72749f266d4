import { access } from "node:fs/promises";
import type { LedgerSource } from "../../server/config/resolved.js";
import { MissingDriverError } from "../../server/ledger/driver.js";
import { openLedger } from "../../server/ledger/open.js";
import type { Ledger } from "../../server/ledger/types.js";
import { upgateRun } from "../invocation.js";
import { type CheckResult, result } from "./types.js";

const ID = "ledger";
const NAME = "ledger";

function describeSource(source: LedgerSource): string {
  if (source.kind === "sqlite") return `sqlite:${source.path}`;
  if (source.kind === "postgres") return source.url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  return "the configured Ledger instance";
}

/** The ledger answers a ping and its schema is at the version this upgate expects. Never migrates. */
export async function checkLedger(source: LedgerSource | undefined): Promise<CheckResult> {
  if (source === undefined)
    return result(ID, NAME, "skip", "no ledger configured (pass --ledger, UPGATE_LEDGER or --config)");
  const where = describeSource(source);
  const start = `start the gateway once (${upgateRun("serve")} or ${upgateRun("dev")}): it creates the ledger and applies its migrations`;
  if (source.kind === "sqlite" && source.path !== ":memory:") {
    const exists = await access(source.path).then(
      () => true,
      () => false,
    );
    if (!exists) return result(ID, NAME, "fail", `no ledger database at ${source.path}`, start);
  }
  let ledger: Ledger | undefined;
  try {
    ledger = await openLedger(source);
    await ledger.ping();
    const { current, latest } = await ledger.migrationStatus();
    if (current < latest)
      return result(ID, NAME, "fail", `${where} is at schema ${current}, this upgate needs ${latest}`, start);
    if (current > latest) {
      return result(
        ID,
        NAME,
        "fail",
        `${where} is at schema ${current}, newer than this upgate (${latest})`,
        "upgrade upgate",
      );
    }
    return result(ID, NAME, "pass", `${where} answers, schema ${current} of ${latest}`);
  } catch (err) {
    if (err instanceof MissingDriverError)
      return result(ID, NAME, "fail", `${where}: ${err.problem}`, err.fix);
    return result(
      ID,
      NAME,
      "fail",
      `${where}: ${(err as Error).message.split("\n")[0]}`,
      "check the ledger URL, that the database runs, and its credentials",
    );
  } finally {
    if (source.kind !== "instance") await ledger?.close().catch(() => {});
  }
}
