/**
 * The database drivers are optional peer dependencies of upgate: a gateway loads only the one its
 * ledger uses, and one that is not installed (or not built) is reported as one line saying what to run.
 */

export interface LedgerDriver {
  /** The ledger, as the message names it. */
  ledger: string;
  /** The npm package. */
  package: string;
  /** The major version upgate is tested with. */
  major: number;
}

export const LEDGER_DRIVERS = {
  sqlite: { ledger: "the SQLite ledger", package: "better-sqlite3", major: 12 },
  postgres: { ledger: "the Postgres ledger", package: "pg", major: 8 },
} as const satisfies Record<string, LedgerDriver>;

/** The driver of the configured ledger cannot be loaded. The message is "upgate: <problem>: <fix>". */
export class MissingDriverError extends Error {
  override readonly name = "MissingDriverError";
  readonly package: string;
  /** "the SQLite ledger needs better-sqlite3" */
  readonly problem: string;
  /** The command that fixes it: "npm install better-sqlite3@12". */
  readonly fix: string;

  constructor(driver: LedgerDriver, what: "missing" | "unbuilt", cause: unknown) {
    const [problem, fix] =
      what === "missing"
        ? [`${driver.ledger} needs ${driver.package}`, `npm install ${driver.package}@${driver.major}`]
        : [
            `${driver.package} is installed but its native module is not built`,
            `npm rebuild ${driver.package}`,
          ];
    super(`upgate: ${problem}: ${fix}`, { cause });
    this.package = driver.package;
    this.problem = problem;
    this.fix = fix;
  }

  /** The message without "upgate: ", for a command to prefix with its own name. */
  get reason(): string {
    return `${this.problem}: ${this.fix}`;
  }
}

/** Whether `error` says the package `name` itself cannot be found (not a file inside it, not another package). */
function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = (error as Error).message;
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}

/** What `bindings` throws when better-sqlite3 was installed without its install script (--ignore-scripts). */
function isUnbuiltNative(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("Could not locate the bindings file");
}

/**
 * Runs `open` (which imports the ledger's module and creates the ledger), turning "the driver is not
 * installed" and "its native module is not built" into a MissingDriverError. Other errors pass as they are.
 */
export async function withDriver<T>(driver: LedgerDriver, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (isMissingPackage(err, driver.package)) throw new MissingDriverError(driver, "missing", err);
    if (isUnbuiltNative(err)) throw new MissingDriverError(driver, "unbuilt", err);
    throw err;
  }
}
