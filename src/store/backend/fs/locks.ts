/** One holder at a time per key; waiters run in arrival order. */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

/**
 * Many shared holders or one exclusive holder. A waiting exclusive request blocks later shared ones,
 * so a stream of shared holders cannot starve it.
 */
export class ReadWriteLock {
  #readers = 0;
  #writer = false;
  readonly #queue: Waiter[] = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire(false);
    try {
      return await fn();
    } finally {
      this.#readers--;
      this.#pump();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire(true);
    try {
      return await fn();
    } finally {
      this.#writer = false;
      this.#pump();
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    return new Promise((grant) => {
      this.#queue.push({ exclusive, grant });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#writer) {
      const next = this.#queue[0]!;
      if (next.exclusive) {
        if (this.#readers > 0) return;
        this.#writer = true;
      } else {
        this.#readers++;
      }
      this.#queue.shift();
      next.grant();
    }
  }
}
