/**
 * What the clients know: every upload whose create was answered (with the bytes they PUT and what
 * the gateway last told them), and the orphans planted straight in the bucket. The ledger and the
 * bucket are judged against it after every restart.
 */
export interface KnownUpload {
  id: string;
  userId: string;
  route: string;
  key: string;
  size: number;
  /** Hex SHA-256 of the bytes PUT. */
  sha256: string;
  /** The bytes reached storage (the store never dies here, so a PUT always lands). */
  put: boolean;
  /** A complete was sent at least once (answered or cut off by a kill). */
  completeSent: boolean;
  /** A complete answered 200 verified. */
  verified: boolean;
  /** The gateway said it can never be completed (expired by a concurrent sweep). */
  closed: boolean;
}

/** Counts across rounds and worlds; printed and written to docs/reliability.md. */
export interface FaultTally {
  kills: number;
  /** Restarts after which every check passed. */
  killsSurvived: number;
  /** Gateway requests that got their answer. */
  acknowledged: number;
  /** Gateway requests cut off by a kill (no answer). */
  interrupted: number;
  /** Sweeps a kill cut off midway. */
  sweepsCut: number;
  /** Acknowledged verified objects re-read intact after restarts. */
  objectsVerified: number;
  /** Completes retried after a restart (for uploads the clients had PUT) that then verified. */
  completesRetried: number;
  /** Faults injected other than kills (connections terminated, storage cut, disk full). */
  faultsInjected: number;
  faultsSurvived: number;
  /** Objects the clients were told are stored that are gone or differ. Must stay 0. */
  lostOrCorrupted: string[];
  /** Any other broken invariant, and answers a live gateway should never give. */
  problems: string[];
}

export function newTally(): FaultTally {
  return {
    kills: 0,
    killsSurvived: 0,
    acknowledged: 0,
    interrupted: 0,
    sweepsCut: 0,
    objectsVerified: 0,
    completesRetried: 0,
    faultsInjected: 0,
    faultsSurvived: 0,
    lostOrCorrupted: [],
    problems: [],
  };
}

export function addTally(into: FaultTally, from: FaultTally): void {
  for (const name of Object.keys(from) as Array<keyof FaultTally>) {
    const value = from[name];
    if (Array.isArray(value)) (into[name] as string[]).push(...value);
    else (into[name] as number) += value;
  }
}

export class Model {
  readonly uploads = new Map<string, KnownUpload>();
  /** Objects written straight to the bucket under a route's prefix: key -> hex SHA-256. */
  readonly orphans = new Map<string, string>();
  readonly users: readonly string[];
  /** Sweeps started: a sweep completes (verifies) uploads the clients PUT but never completed. */
  sweeps = 0;

  constructor(users: readonly string[]) {
    this.users = users;
  }

  /** Uploads the clients PUT and still expect to see verified. */
  awaitingComplete(): KnownUpload[] {
    return [...this.uploads.values()].filter((u) => u.put && !u.verified && !u.closed);
  }
}
