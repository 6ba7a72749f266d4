import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createDefaultLogger } from "./default-logger.js";
import { createGatewayLog, type RequestLogLine } from "./log.js";
import { createScrubber } from "./scrub.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

const scrub = createScrubber(["storage/secret+key"]);
const line: RequestLogLine = {
  method: "POST",
  path: "/v1/uploads/storage/secret+key/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln",
  status: 201,
  durationMs: 1.5,
  endpoint: "/v1/uploads",
  userId: "Bearer abc",
  clientIp: "127.0.0.1",
};

describe("createGatewayLog", () => {
  it.each([
    ["the default logger", (d: { write(line: string): void }) => createDefaultLogger("info", d)],
    ["an application's logger", (d: { write(line: string): void }) => pino({ level: "info" }, d)],
  ])("writes request lines scrubbed field by field, through %s", (_name, make) => {
    const { lines, destination } = capture();
    createGatewayLog(make(destination), scrub).request(line);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "request",
      method: "POST",
      path: "/v1/uploads/[redacted]/[redacted]",
      status: 201,
      durationMs: 1.5,
      endpoint: "/v1/uploads",
      userId: "Bearer [redacted]",
      clientIp: "127.0.0.1",
    });
  });

  it("keeps the default logger's redaction for every other line", () => {
    const { lines, destination } = capture();
    const logger = createDefaultLogger("info", destination);
    const log = createGatewayLog(logger, scrub);
    log.warn("webhook delivery failed", { receiver: "https://hooks.test" });
    logger.info({ headers: { authorization: "Basic x" }, upstream: { token: "t" } }, "direct");
    expect(lines[0]).toMatchObject({ msg: "webhook delivery failed", receiver: "https://hooks.test" });
    expect(lines[1]).toMatchObject({
      headers: { authorization: "[redacted]" },
      upstream: { token: "[redacted]" },
    });
  });

  it("follows the logger's level, set before or after the gateway started", () => {
    const { lines, destination } = capture();
    const logger = createDefaultLogger("info", destination);
    const log = createGatewayLog(logger, scrub);
    logger.level = "warn";
    log.request(line);
    log.request({ ...line, status: 404 });
    logger.level = "info";
    log.request(line);
    expect(lines.map((l) => [l.level, l.status])).toEqual([
      [40, 404],
      [30, 201],
    ]);
  });
});
