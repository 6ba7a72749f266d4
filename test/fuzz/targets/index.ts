import type { AnyTarget } from "../harness/target.js";
import { awsChunkedTarget } from "./aws-chunked.js";
import { configTarget } from "./config.js";
import { jsonRequestTarget } from "./json-request.js";
import { keyTemplateTarget } from "./key-template.js";
import { mimeTarget } from "./mime.js";
import { postFormTarget } from "./post-form.js";
import { sigv4HeaderTarget } from "./sigv4-header.js";
import { sigv4QueryTarget } from "./sigv4-query.js";
import { sizeTarget } from "./size.js";
import { xmlGatewayTarget } from "./xml-gateway.js";
import { xmlStoreTarget } from "./xml-store.js";

/** Every fuzz target, in the order the script runs and reports them. */
export const TARGETS: readonly AnyTarget[] = [
  sigv4HeaderTarget,
  sigv4QueryTarget,
  awsChunkedTarget,
  postFormTarget,
  xmlStoreTarget,
  xmlGatewayTarget,
  keyTemplateTarget,
  sizeTarget,
  mimeTarget,
  jsonRequestTarget,
  configTarget,
];

export function targetByName(name: string): AnyTarget {
  const target = TARGETS.find((t) => t.name === name);
  if (!target)
    throw new Error(
      `no fuzz target ${JSON.stringify(name)}; targets: ${TARGETS.map((t) => t.name).join(", ")}`,
    );
  return target;
}
