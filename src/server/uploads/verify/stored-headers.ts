import type { ObjectHead } from "../../s3/types.js";

/**
 * System headers whose stored value is harmless: the default storage class and a legal hold that
 * is off (some backends always return them), and a Cache-Control that forbids caching. The last is
 * what every browser stores without being asked: fetch and XHR add a Cache-Control to a request
 * with a conditional header (the signed If-None-Match: *), "no-cache" as the Fetch standard says or
 * "max-age=0" (Chromium), and S3 keeps it. Every other stored system header was not planned by the
 * gateway, which never sets one: an uploader sent it with a signed URL that does not sign it.
 */
const HARMLESS: Readonly<Record<string, (value: string) => boolean>> = {
  "x-amz-storage-class": (value) => value.toUpperCase() === "STANDARD",
  "x-amz-object-lock-legal-hold": (value) => value.toUpperCase() === "OFF",
  "cache-control": (value) =>
    value
      .toLowerCase()
      .split(",")
      .every((directive) => NO_CACHING.has(directive.trim())),
};

const NO_CACHING: ReadonlySet<string> = new Set(["no-cache", "no-store", "max-age=0"]);

/** The first stored system header the gateway did not plan, or undefined when there is none. */
export function unplannedHeader(head: ObjectHead): { name: string; value: string } | undefined {
  for (const name of Object.keys(head.system).sort()) {
    const value = head.system[name]!.trim();
    if (value === "" || HARMLESS[name]?.(value)) continue;
    return { name, value };
  }
  return undefined;
}
