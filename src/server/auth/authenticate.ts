import { UpgateError } from "../../core/errors.js";
import type { ResolvedAuth } from "../config/resolved.js";
import type { AuthFunction } from "../config/types.js";
import { ANONYMOUS_USER_ID, type Principal } from "../principal.js";
import { createApiKeyVerifier } from "./api-keys.js";
import { looksLikeJwt, readCredential } from "./credentials.js";
import { claimsDevIssuer, devJwtConfig } from "./dev-token.js";
import { createJwtVerifier } from "./jwt.js";

/**
 * What authentication reads: a Request, or a handler's request context (whose Request is built only
 * if a custom auth function needs it; tokens and keys are read from the headers).
 */
export type AuthSource = Request | { readonly headers: Headers; readonly request: Request };

/**
 * The request's principal, or null when it carries no credentials. Credentials that are present but
 * wrong throw UpgateError AUTH_INVALID; whether null is acceptable is the endpoint's decision.
 */
export type Authenticate = (source: AuthSource) => Promise<Principal | null>;

function invalid(reason: string): UpgateError {
  return new UpgateError("AUTH_INVALID", `Invalid credentials: ${reason}`);
}

function fromCustom(custom: AuthFunction): Authenticate {
  return async (source) => {
    const result = await custom(source instanceof Request ? source : source.request);
    if (result === null || result === undefined || result === "") return null;
    const principal: Principal =
      typeof result === "string"
        ? { userId: result, via: "custom" }
        : { userId: result.userId, via: "custom", ...(result.claims && { claims: result.claims }) };
    if (typeof principal.userId !== "string" || principal.userId === "") {
      throw new UpgateError("CONFIG_INVALID", "the auth function returned a principal without a userId");
    }
    if (principal.userId === ANONYMOUS_USER_ID)
      throw invalid(`the user id "${ANONYMOUS_USER_ID}" is reserved`);
    return principal;
  };
}

export function createAuthenticator(auth: ResolvedAuth): Authenticate {
  if (auth.custom) return fromCustom(auth.custom);
  const verifyJwt = auth.jwt && createJwtVerifier(auth.jwt);
  const verifyKey = auth.apiKeys && createApiKeyVerifier(auth.apiKeys);
  // Present only in dev mode (the config refuses auth.dev elsewhere).
  const verifyDev = auth.dev && createJwtVerifier(devJwtConfig(auth.dev));
  const checkKey = async (key: string) => {
    if (!verifyKey) throw invalid("API keys are not accepted here");
    const principal = await verifyKey(key);
    if (!principal) throw invalid("unknown API key");
    return principal;
  };
  return async (request) => {
    const credential = readCredential(request);
    if (credential === undefined) return null;
    if (credential.kind === "malformed") throw invalid(credential.reason);
    if (credential.kind === "api-key") return checkKey(credential.key);
    // A token the JWT verifier accepted before never claimed to be a dev token (those go to
    // verifyDev below): while it is cached it is answered without decoding it again.
    const known = verifyJwt?.known(credential.token);
    if (known) return known;
    const jwt = looksLikeJwt(credential.token);
    if (jwt && (claimsDevIssuer(credential.token) || (verifyDev && !verifyJwt))) {
      if (!verifyDev) throw invalid("dev tokens are refused outside dev mode");
      return verifyDev(credential.token);
    }
    if (verifyJwt && (jwt || !verifyKey)) return verifyJwt(credential.token);
    return checkKey(credential.token);
  };
}
