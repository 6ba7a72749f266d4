/** bench:gateway's closing lines: whether (a) reached the goal, and if not, what held it back, in numbers. */

export interface RunFigures {
  requestsPerSecond: number;
  /** The server's CPU time per request. */
  cpuMicrosPerRequest: number;
  /** The load generator's CPU time per request. */
  loadMicrosPerRequest: number;
  /** Cores kept busy by everything else on the machine during the run. */
  otherCores: number;
}

/** What (a) cannot do without, per request, each measured alone in the same run. */
export interface CpuFloor {
  /** node:http alone reading the request and answering as much JSON: (c). */
  httpMicros: number;
  /** The least a durable SQLite quota reservation costs (gateway-reservation-floor.ts). */
  reservationMicros: number;
  /** Reservations per commit and sync it was measured at: (a)'s own. */
  perCommit: number;
  /** The least the answer itself needs: parse, key, one signature, the JSON, a log line (gateway-work-floor.ts). */
  workMicros: number;
}

const f = (n: number, digits = 0) => n.toFixed(digits);

/**
 * `cpuGoalMicros`: the fallback goal where the ratio is out of reach on these cores, (a)'s server
 * CPU per request at most this; judged only when the ratio goal is missed. `floor`, when given with
 * it, says how much of that goal what upgate does not run already takes.
 */
export function goalVerdict(
  ours: RunFigures,
  baseline: RunFigures,
  goal: number,
  cores: number,
  cpuGoalMicros?: number,
  floor?: CpuFloor,
): string[] {
  const ratio = ours.requestsPerSecond / baseline.requestsPerSecond;
  const cpuRatio = baseline.cpuMicrosPerRequest / ours.cpuMicrosPerRequest;
  const met = ratio >= goal;
  const lines = [
    `ratio (a)/(b): ${f(ratio, 2)}x req/s   goal >= ${goal}x: ${met ? "MET" : "MISSED"}`,
    `server CPU per request: (a) ${f(ours.cpuMicrosPerRequest)} µs, (b) ${f(baseline.cpuMicrosPerRequest)} µs, ` +
      `(b)/(a) ${f(cpuRatio, 2)}x: CPU-bound on a core each, (a) ${f(1e6 / ours.cpuMicrosPerRequest)} req/s ` +
      `against (b) ${f(1e6 / baseline.cpuMicrosPerRequest)} req/s.`,
  ];
  if (met) return lines;
  const target = goal * baseline.requestsPerSecond;
  const serverCores = (target * ours.cpuMicrosPerRequest) / 1e6;
  const loadCores = (target * ours.loadMicrosPerRequest) / 1e6;
  lines.push(
    `why missed: ${goal}x (b)'s ${f(baseline.requestsPerSecond)} req/s is ${f(target)} req/s; (a)'s server would ` +
      `need ${f(serverCores, 2)} cores for it and the load generator ${f(loadCores, 2)} ` +
      `(${f(ours.loadMicrosPerRequest)} µs per request): ${f(serverCores + loadCores, 2)} of ${cores} cores, ` +
      `while other work kept ${f(ours.otherCores, 2)} busy during (a)'s run.`,
  );
  if (cpuRatio < goal) {
    lines.push(`(a)'s CPU per request alone rules ${goal}x out here: it is only ${f(cpuRatio, 2)}x (b)'s.`);
  } else if (serverCores > 1 || serverCores + loadCores + ours.otherCores > cores) {
    lines.push(
      `(a) costs less than 1/${goal} of (b)'s CPU per request, but the ${goal}x rate does not fit: node serves ` +
        `from one core, and the load generator and other work share the same ${cores}.`,
    );
  } else {
    lines.push("the cores had room: (a) was held back by waiting (fsync, event-loop stalls), not by CPU.");
  }
  if (cpuGoalMicros !== undefined) {
    const cpuMet = ours.cpuMicrosPerRequest <= cpuGoalMicros;
    lines.push(
      `fallback goal, (a)'s server CPU <= ${cpuGoalMicros} µs per request: ${cpuMet ? "MET" : "MISSED"}` +
        ` (${f(ours.cpuMicrosPerRequest)} µs${cpuMet ? "" : `, ${f(ours.cpuMicrosPerRequest - cpuGoalMicros)} µs over`}).`,
    );
    if (floor) lines.push(...floorLines(ours, cpuGoalMicros, floor));
  }
  return lines;
}

function floorLines(ours: RunFigures, cpuGoalMicros: number, floor: CpuFloor): string[] {
  const fixed = floor.httpMicros + floor.reservationMicros + floor.workMicros;
  const left = cpuGoalMicros - fixed;
  return [
    `what (a) cannot do without, each measured alone now: node:http (c) ${f(floor.httpMicros)} µs + the least ` +
      `durable SQLite reservation ${f(floor.reservationMicros)} µs (raw better-sqlite3: its quota sum and ` +
      `insert, ${floor.perCommit} per commit and fdatasync) + the least the answer needs ${f(floor.workMicros)} µs ` +
      `(parse, a 128-bit key, one PUT signed by upgate's signer, the JSON, a pino line) = ${f(fixed)} µs per request.`,
    left >= 0
      ? `the goal leaves ${f(left)} µs above that floor; (a) spends ${f(ours.cpuMicrosPerRequest - fixed)} µs ` +
        "above it (auth, policy, validation, the ledger's own rows and indexes, metrics, allocation and GC)."
      : `that floor alone is over the goal by ${f(-left)} µs: no gateway doing this work on node:http and SQLite meets it here.`,
  ];
}
