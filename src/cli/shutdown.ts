/** A repeat this soon after the first signal is the same Ctrl-C delivered twice (terminal and a wrapper). */
const REPEAT_MS = 1_000;

/**
 * Resolves on the first SIGINT or SIGTERM. Another signal a second or more later, while shutting
 * down, exits at once (code 130), for a Ctrl-C that must not wait.
 */
export function shutdownSignal(onSecond: () => void = () => process.exit(130)): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let firstAt = 0;
    const again = () => {
      if (Date.now() - firstAt >= REPEAT_MS) onSecond();
    };
    const first = (signal: NodeJS.Signals) => {
      firstAt = Date.now();
      process.off("SIGINT", first);
      process.off("SIGTERM", first);
      process.on("SIGINT", again);
      process.on("SIGTERM", again);
      resolve(signal);
    };
    process.on("SIGINT", first);
    process.on("SIGTERM", first);
  });
}

/** How long the process may take to exit once everything is closed before it is made to. */
const EXIT_BACKSTOP_MS = 1_000;

export interface StopOnSignal {
  /** "store", "dev", "serve": names the command in what is printed. */
  command: string;
  /** shutdownSignal(), taken before the start-up line is printed. */
  signal: Promise<NodeJS.Signals>;
  graceMs: number;
  inFlight(): number;
  /** Closes gracefully (stop accepting, drain for up to graceMs, cut the rest, flush); resolves with the number cut. */
  stop(graceMs: number): Promise<number>;
  /** Said after the number of requests cut. */
  cutNote?: string;
}

/**
 * Waits for the signal, then stops, saying on stderr what it waits for and what it cut. Once stopped
 * the process should exit by itself; if a handle still keeps it alive a second later, that is a bug:
 * it is named on stderr and the process exits anyway, so a process manager does not wait for its
 * kill timeout.
 */
export async function stopOnSignal(o: StopOnSignal): Promise<void> {
  const signal = await o.signal;
  const n = o.inFlight();
  console.error(
    `upgate ${o.command}: ${signal}: stopping; ${n === 0 ? "no requests in flight" : `${n} request(s) in flight may take up to ${o.graceMs} ms to finish`}`,
  );
  const cut = await o.stop(o.graceMs);
  console.error(
    `upgate ${o.command}: stopped${cut > 0 ? `; cut ${cut} request(s) still running after ${o.graceMs} ms${o.cutNote ? `: ${o.cutNote}` : ""}` : ""}`,
  );
  setTimeout(() => {
    const holding = process.getActiveResourcesInfo().join(", ") || "nothing node reports";
    console.error(
      `upgate ${o.command}: still running ${EXIT_BACKSTOP_MS} ms after stopping (held by ${holding}); exiting`,
    );
    process.exit();
  }, EXIT_BACKSTOP_MS).unref();
}
