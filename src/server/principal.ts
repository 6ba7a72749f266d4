/** Who is making a request, as established by one of the configured authenticators. */
export interface Principal {
  /** The user the request acts for: the JWT `sub`, an API key's user, or what a custom function said. */
  userId: string;
  /** How the user was established; "ledger": the uploader as the ledger recorded it (the sweeper's completions). */
  via: "jwt" | "api-key" | "custom" | "anonymous" | "ledger";
  /** The verified JWT claims, or what a custom function returned. */
  claims?: Record<string, unknown>;
}

/**
 * The user id of requests without credentials on `public: true` routes. Credentials that claim it
 * are refused, so an anonymous upload can never be mistaken for a signed-in user's.
 */
export const ANONYMOUS_USER_ID = "anonymous";

export const ANONYMOUS: Principal = Object.freeze({ userId: ANONYMOUS_USER_ID, via: "anonymous" });
