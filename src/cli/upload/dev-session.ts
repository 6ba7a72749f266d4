import { CliError } from "../cli-error.js";

/** Signs in to a gateway in dev mode (`upgate dev`) as a demo user: POST /v1/dev/session. */
export async function devSessionToken(endpoint: string, user: string): Promise<string> {
  const url = `${endpoint.replace(/\/+$/, "")}/v1/dev/session`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new CliError(`upgate upload: cannot reach ${url}: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as
    | { token?: string; error?: { code: string; message: string } }
    | undefined;
  if (!res.ok || typeof body?.token !== "string") {
    const why = body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
    throw new CliError(
      `upgate upload: dev sign-in refused (${why}); --dev-user works only against upgate dev`,
    );
  }
  return body.token;
}
