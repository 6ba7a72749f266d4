import type { Refusal } from "./case.js";

/** The S3 refusals several store catalogues expect; a catalogue's own ones stay in its file. */
export const SDM: Refusal = { status: 403, code: "SignatureDoesNotMatch" };
export const DENIED: Refusal = { status: 403, code: "AccessDenied" };
export const QUERY_ERROR: Refusal = { status: 400, code: "AuthorizationQueryParametersError" };
export const INVALID_ARGUMENT: Refusal = { status: 400, code: "InvalidArgument" };
export const INVALID_REQUEST: Refusal = { status: 400, code: "InvalidRequest" };
