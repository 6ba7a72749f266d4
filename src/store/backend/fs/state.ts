import { BackendError } from "../errors.js";
import { SortedIndex } from "../sorted-index.js";
import type { BucketInfo, MultipartUpload, ObjectMeta } from "../types.js";
import { DirMaker, type Durable, removeTree } from "./atomic.js";
import { BlobPins } from "./blobs.js";
import type { FsLayout } from "./layout.js";
import { KeyedMutex, ReadWriteLock } from "./locks.js";

/** What the fs backend keeps in memory about one bucket; the disk is read only at init and for bytes. */
export interface FsBucket {
  info: BucketInfo;
  objects: SortedIndex<ObjectMeta>;
  uploads: Map<string, MultipartUpload>;
  /** The blob id of each multipart object, by key. */
  blobs: Map<string, string>;
  /** Shared by commits (object, part, upload), exclusive for deleting the bucket or rewriting bucket.json. */
  lock: ReadWriteLock;
  dirs: DirMaker;
}

/**
 * Shared state of one fs backend. Lock order: bucket lock, then the per-key mutex, which serializes
 * every check-then-rename on one key (conditional commits, deletes, completes and aborts).
 */
export class FsState {
  readonly buckets = new Map<string, FsBucket>();
  readonly keyLocks = new KeyedMutex();
  /** Serializes creating and deleting one bucket name. */
  readonly bucketNames = new KeyedMutex();
  readonly pins: BlobPins;

  constructor(
    readonly layout: FsLayout,
    readonly durable: Durable,
  ) {
    this.pins = new BlobPins((path) => removeTree(path, layout.tmpPath(), durable));
  }

  newBucket(info: BucketInfo): FsBucket {
    return {
      info,
      objects: new SortedIndex(),
      uploads: new Map(),
      blobs: new Map(),
      lock: new ReadWriteLock(),
      dirs: new DirMaker(this.durable),
    };
  }

  bucketOrThrow(name: string): FsBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new BackendError("NoSuchBucket", `bucket ${name} does not exist`);
    return bucket;
  }

  /** Runs `fn` holding the bucket's shared lock; undefined if the bucket does not exist. */
  async withBucket<T>(name: string, fn: (bucket: FsBucket) => Promise<T>): Promise<{ value: T } | undefined> {
    for (;;) {
      const bucket = this.buckets.get(name);
      if (!bucket) return undefined;
      const outcome = await bucket.lock.shared(async () =>
        // The bucket may have been deleted (and maybe re-created) while we waited for the lock.
        this.buckets.get(name) === bucket ? { value: await fn(bucket) } : undefined,
      );
      if (outcome) return outcome;
    }
  }

  /** Runs `fn` holding the bucket's shared lock and the key's mutex. */
  withKey<T>(
    bucketName: string,
    key: string,
    fn: (bucket: FsBucket) => Promise<T>,
  ): Promise<{ value: T } | undefined> {
    return this.withBucket(bucketName, (bucket) =>
      this.keyLocks.run(`${bucketName}/${key}`, () => fn(bucket)),
    );
  }
}
