/**
 * The least CPU the answer to the bench's request needs beyond HTTP and the ledger, in this process,
 * with none of the gateway around it: parse the request's JSON, draw a 128-bit key, sign one PUT
 * with upgate's signer (the fastest here: bench:sign) over the headers the gateway binds, serialize
 * the answer, write one pino line at info (to /dev/null, asynchronously, as the default logger
 * writes to stdout). JWT verification is left out: the gateway caches a token it has verified.
 */
import { once } from "node:events";
import pino from "pino";
import type { CreateUploadsRequest } from "../src/core/protocol.js";
import { presignUrl } from "../src/core/sigv4/presign.js";
import { randomId } from "../src/core/util/random.js";
import { CREATE_BODY, ROUTE, STORAGE, USERS } from "./gateway-config.js";

export async function measureWorkFloor(requests = 30_000, warmup = 5_000): Promise<number> {
  const destination = pino.destination({ dest: "/dev/null", sync: false });
  await once(destination, "ready");
  const log = pino({ level: "info" }, destination);
  const answerOne = async (user: string) => {
    const body = JSON.parse(CREATE_BODY) as CreateUploadsRequest;
    const file = body.files[0]!;
    const id = randomId(128);
    const key = `${ROUTE}/${id}.png`;
    const signed = await presignUrl({
      ...STORAGE,
      key,
      forcePathStyle: true,
      expiresIn: 900,
      date: new Date(),
      method: "PUT",
      hoistHeaders: false,
      headers: {
        "content-length": String(file.size),
        "content-type": file.type,
        "if-none-match": "*",
        "x-amz-meta-upgate-user": user,
        "x-amz-meta-upgate-upload": id,
      },
    });
    const answer = JSON.stringify({
      uploads: [{ id, key, method: "PUT", url: signed.url, headers: signed.headers }],
    });
    log.info({ method: "POST", path: "/v1/uploads", status: 201, user }, "request");
    return answer.length;
  };
  for (let i = 0; i < warmup; i++) await answerOne(`user-${i % USERS}`);
  const cpu = process.cpuUsage();
  for (let i = 0; i < requests; i++) await answerOne(`user-${i % USERS}`);
  const used = process.cpuUsage(cpu);
  destination.end();
  return (used.user + used.system) / requests;
}
