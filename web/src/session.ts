/** Sign-in as a demo user: the dev server's POST /v1/dev/session, remembered across reloads. */
export interface Session {
  user: string;
  token: string;
  expiresAt: string;
}

const KEY = "upgate-demo-session";
/** A token this close to expiry is not worth using: sign in again. */
const MARGIN_MS = 60_000;

export function savedSession(): Session | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Session | null;
    if (saved && typeof saved.token === "string" && Date.parse(saved.expiresAt) - MARGIN_MS > Date.now()) {
      return saved;
    }
  } catch {
    // A damaged entry is dropped below.
  }
  localStorage.removeItem(KEY);
  return undefined;
}

export async function signIn(user: string): Promise<Session> {
  let response: Response;
  try {
    response = await fetch("/v1/dev/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user }),
    });
  } catch {
    throw new Error("the server cannot be reached — is upgate dev running?");
  }
  const body = (await response.json().catch(() => undefined)) as
    | (Session & { error?: { message?: string } })
    | undefined;
  if (!response.ok || !body?.token) {
    throw new Error(body?.error?.message ?? `sign-in failed (HTTP ${response.status})`);
  }
  const session = { user: body.user, token: body.token, expiresAt: body.expiresAt };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function signOut(): void {
  localStorage.removeItem(KEY);
}
