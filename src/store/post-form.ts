import { Readable } from "node:stream";
import busboy from "busboy";
import { S3Error } from "./errors.js";

export interface PostFormLimits {
  /** Bytes of field names and values before the file (S3: 20 KB, else MaxPostPreDataLengthExceededError). */
  maxPreDataBytes: number;
  /** Parts in the whole form, ignored ones after the file included. */
  maxParts: number;
  /** Header lines per part. */
  maxHeaderPairs: number;
  /** After a refusal, request bytes still read (so the client gets the answer) before the connection is given up. */
  drainBytes: number;
}

export const POST_FORM_LIMITS: PostFormLimits = {
  maxPreDataBytes: 20 * 1024,
  maxParts: 1000,
  maxHeaderPairs: 20,
  drainBytes: 16 * 1024 * 1024,
};

/** A form field before the file: its name and value as sent. */
export type FormField = readonly [name: string, value: string];

/** Where the file's bytes go, chunk by chunk; end() gives the upload's outcome. Either may throw to refuse it. */
export interface FileSink<T> {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<T>;
}

const malformedPost = () => new S3Error("MalformedPOSTRequest");

/** Feeds a part's bytes to the sink with backpressure; after a refusal the rest is read and dropped. */
function pump<T>(stream: Readable, sink: FileSink<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (stream.destroyed) {
      reject(malformedPost());
      return;
    }
    let failed = false;
    const refuse = (err: unknown) => {
      if (failed) return;
      failed = true;
      reject(err);
      stream.resume();
    };
    stream.on("data", (chunk: Buffer) => {
      if (failed) return;
      stream.pause();
      sink.write(chunk).then(() => stream.resume(), refuse);
    });
    stream.on("end", () => {
      if (!failed) sink.end().then(resolve, refuse);
    });
    stream.on("error", () => refuse(malformedPost()));
    stream.resume();
  });
}

/**
 * Parses a browser POST upload (multipart/form-data) as a stream, as S3 does: field names are
 * case-insensitive, the part named `file` is the file and must come last (fields after it are
 * ignored), and there must be exactly one. `onFile` gets the fields before the file, in order, and
 * the file's name when the file part begins, and returns the sink its bytes stream into. Resolves
 * with the sink's outcome once the whole body has been read; rejects with the first refusal
 * (MalformedPOSTRequest, IncorrectNumberOfFilesInPostRequest, MaxPostPreDataLengthExceededError,
 * or whatever onFile or the sink threw). Never throws synchronously and never leaves the request hanging.
 */
export function parsePostForm<T>(
  body: Readable,
  contentType: string,
  onFile: (fields: FormField[], fileName: string | undefined) => Promise<FileSink<T>>,
  limits: PostFormLimits = POST_FORM_LIMITS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        defParamCharset: "utf8",
        limits: {
          fieldSize: limits.maxPreDataBytes + 1,
          parts: limits.maxParts,
          headerPairs: limits.maxHeaderPairs,
        },
      });
    } catch {
      reject(malformedPost());
      return;
    }

    const fields: Array<{ name: string; value: string }> = [];
    const pendingFields: Promise<void>[] = [];
    let preData = 0;
    let files = 0;
    let outcome: Promise<T> | undefined;
    let failure: { error: unknown } | undefined;
    let received = 0;
    let receivedAtFailure = 0;

    const fail = (error: unknown) => {
      if (failure) return;
      failure = { error };
      receivedAtFailure = received;
    };
    const addPreData = (bytes: number) => {
      preData += bytes;
      if (preData > limits.maxPreDataBytes) fail(new S3Error("MaxPostPreDataLengthExceededError"));
    };

    const startFile = (stream: Readable, fileName: string | undefined) => {
      files += 1;
      if (files > 1) {
        fail(new S3Error("IncorrectNumberOfFilesInPostRequest"));
        stream.resume();
        return;
      }
      stream.pause();
      outcome = (async () => {
        await Promise.all(pendingFields);
        if (failure) throw failure.error;
        const sink = await onFile(
          fields.map((f) => [f.name, f.value] as const),
          fileName,
        );
        return pump(stream, sink);
      })();
      outcome.catch((err) => {
        fail(err);
        stream.resume();
      });
    };

    parser.on("field", (name, value, info) => {
      if (name?.toLowerCase() === "file") {
        if (info.valueTruncated) fail(new S3Error("MaxPostPreDataLengthExceededError"));
        startFile(Readable.from([Buffer.from(value, "utf8")]), undefined);
        return;
      }
      if (files > 0) return;
      if (info.valueTruncated) fail(new S3Error("MaxPostPreDataLengthExceededError"));
      addPreData(Buffer.byteLength(name ?? "") + Buffer.byteLength(value));
      fields.push({ name: name ?? "", value });
    });

    parser.on("file", (name, stream, info) => {
      // A broken form destroys the part's stream with an error: never let one go unhandled.
      stream.on("error", () => {});
      if (name?.toLowerCase() === "file") {
        startFile(stream, info.filename);
        return;
      }
      if (files > 0 || failure) {
        stream.resume();
        return;
      }
      // A part with a filename that is not the file: an ordinary field whose value is its content.
      const slot = { name: name ?? "", value: "" };
      fields.push(slot);
      addPreData(Buffer.byteLength(slot.name));
      const chunks: Buffer[] = [];
      pendingFields.push(
        new Promise<void>((done) => {
          stream.on("data", (chunk: Buffer) => {
            addPreData(chunk.length);
            if (preData <= limits.maxPreDataBytes) chunks.push(chunk);
          });
          stream.on("end", () => {
            slot.value = Buffer.concat(chunks).toString("utf8");
            done();
          });
          stream.on("error", () => done());
        }),
      );
    });

    parser.on("partsLimit", () => {
      if (files === 0) fail(new S3Error("MaxPostPreDataLengthExceededError"));
    });

    let parserClosed = false;
    let bodyDone = false;
    let settled = false;

    /** Gives up reading the request: the caller closes the connection after answering. */
    const stop = () => {
      bodyDone = true;
      body.off("data", onData);
      body.unpipe(parser);
      body.pause();
      parser.destroy();
      settle();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (failure && received - receivedAtFailure > limits.drainBytes) stop();
    };
    const onEnd = () => {
      bodyDone = true;
      settle();
    };
    const onClose = () => {
      if (body.readableEnded) return;
      fail(new S3Error("IncompleteBody"));
      stop();
    };

    /** Once the parser is done, and after a refusal the request too has been read (or given up on). */
    function settle() {
      if (settled || !parserClosed || (failure && !bodyDone)) return;
      settled = true;
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("close", onClose);
      if (files === 0) fail(new S3Error("IncorrectNumberOfFilesInPostRequest"));
      const finish = (value: T | undefined) => {
        if (failure) reject(failure.error);
        else resolve(value as T);
      };
      if (!outcome) finish(undefined);
      else
        outcome.then(finish, (err) => {
          fail(err);
          finish(undefined);
        });
    }

    // A form error leaves busboy unusable: drop it and read (then discard) the rest of the request.
    parser.on("error", () => {
      fail(malformedPost());
      body.unpipe(parser);
      parser.destroy();
      body.resume();
    });
    parser.on("close", () => {
      parserClosed = true;
      settle();
    });

    body.on("data", onData);
    body.on("end", onEnd);
    body.on("close", onClose);
    // A broken connection is seen through "close"; this listener only keeps the error from being unhandled.
    body.on("error", () => {});
    body.pipe(parser);
  });
}
