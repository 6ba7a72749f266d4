/**
 * Sign-in for the example: `upgate dev` issues a token for a demo user (POST /v1/dev/session).
 * In your app, return your own session's token instead.
 */
let pending: Promise<string> | undefined;

async function signIn(): Promise<string> {
  const response = await fetch("/v1/dev/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: "uppy-example" }),
  });
  const body = (await response.json()) as { token?: string; error?: { message: string } };
  if (!body.token) throw new Error(body.error?.message ?? `sign-in failed (HTTP ${response.status})`);
  return body.token;
}

export function token(): Promise<string> {
  pending ??= signIn().catch((err) => {
    pending = undefined;
    throw err;
  });
  return pending;
}
