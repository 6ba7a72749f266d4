/**
 * What each key may hold after a crash. Every write or delete is an operation with a start and, once
 * the store answered 200, an acknowledgement, stamped from one clock. An operation that started after
 * another was acknowledged certainly committed after it, so a key may hold the value of any of its
 * operations that no acknowledged, later-started operation has certainly overwritten: the last
 * acknowledged one, and any still in flight when the store died.
 */

/** The sha256 (hex) of an object's bytes, or null for no object. */
export type Value = string | null;

export interface Op {
  readonly key: string;
  readonly value: Value;
  readonly start: number;
  ack: number | undefined;
}

export class History {
  #clock = 0;
  readonly #ops = new Map<string, Op[]>();

  begin(key: string, value: Value): Op {
    const op: Op = { key, value, start: ++this.#clock, ack: undefined };
    this.#list(key).push(op);
    return op;
  }

  ack(op: Op): void {
    op.ack = ++this.#clock;
  }

  keys(): string[] {
    return [...this.#ops.keys()];
  }

  /** The values `key` may hold now (null: no object). */
  allowed(key: string): Value[] {
    const ops = this.#list(key);
    const acked = ops.filter((op) => op.ack !== undefined);
    const possible = ops.filter((op) => !acked.some((later) => later.start > (op.ack ?? Infinity)));
    return [...new Set(possible.map((op) => op.value))];
  }

  /** The operation acknowledged last, or the settled state. */
  lastAcknowledged(key: string): Op {
    let last: Op | undefined;
    for (const op of this.#list(key)) if (op.ack !== undefined && op.ack > (last?.ack ?? -1)) last = op;
    return last!;
  }

  /** After a verified restart, what the store holds is the key's whole (acknowledged) history. */
  settle(key: string, value: Value): void {
    this.#ops.set(key, [{ key, value, start: ++this.#clock, ack: ++this.#clock }]);
  }

  #list(key: string): Op[] {
    let ops = this.#ops.get(key);
    if (!ops) {
      ops = [{ key, value: null, start: 0, ack: 0 }];
      this.#ops.set(key, ops);
    }
    return ops;
  }
}

/** Counts across every scenario, printed at the end. */
export interface Tally {
  kills: number;
  /** Operations that got their 200 before a kill. */
  acknowledged: number;
  /** Operations cut off by a kill. */
  interrupted: number;
  /** Keys whose last acknowledged object was found intact after a restart. */
  objectsVerified: number;
  /** Keys whose last acknowledged delete was still in effect after a restart. */
  deletesVerified: number;
  /** Keys holding what an interrupted operation wrote (or deleted). */
  interruptedLanded: number;
  /** Multipart uploads found intact (listable, parts as uploaded) after a restart. */
  uploadsVerified: number;
  /** Objects lost, partial, or with metadata of another version; uploads lost or damaged. */
  problems: string[];
  /** Answers a live store should never give (any status but the expected one). */
  errors: string[];
}

export function newTally(): Tally {
  return {
    kills: 0,
    acknowledged: 0,
    interrupted: 0,
    objectsVerified: 0,
    deletesVerified: 0,
    interruptedLanded: 0,
    uploadsVerified: 0,
    problems: [],
    errors: [],
  };
}
