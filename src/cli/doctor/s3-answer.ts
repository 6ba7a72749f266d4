/** S3's error code and message from a raw fetch answer (presigned requests bypass the transport). */
export async function s3Answer(res: Response): Promise<{ status: number; code: string; message: string }> {
  const text = await res.text().catch(() => "");
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? "";
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? "";
  return { status: res.status, code, message };
}

export const describeAnswer = (a: { status: number; code: string; message: string }): string =>
  `${a.status}${a.code ? ` ${a.code}` : ""}${a.message ? `: ${a.message}` : ""}`;

/** Headers to hand fetch: it sets host and content-length itself. */
export function sendable(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name !== "host" && name !== "content-length") out[name] = value;
  }
  return out;
}
