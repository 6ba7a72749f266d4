/**
 * Key and path traversal through every input that reaches an object key or names an upload: file
 * names, route names, the user id (JWT sub), metadata read by a route's key function, and ids in
 * URL paths. Refused with the right code, or accepted under the server's random key.
 */
import { signToken } from "../../integ/gateway/support.js";
import type { AdversarialCase } from "../support/case.js";
import {
  assertServerKey,
  assertStoredAt,
  completeOk,
  createOne,
  createRequest,
  type FileDecl,
  ok,
  putOk,
  refusal,
} from "../support/gateway-steps.js";
import { type GatewayWorld, openGatewayWorld } from "../support/gateway-world.js";
import { runCatalogue } from "../support/runner.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const png = (name: string): FileDecl => ({ name, type: "image/png", size: PNG_1X1.length });
const INVALID = { status: 400, code: "VALIDATION_FAILED" };
const NO_ROUTE = { status: 404, code: "ROUTE_NOT_FOUND" };
const NO_UPLOAD = { status: 404, code: "UPLOAD_NOT_FOUND" };
const NO_ENDPOINT = { status: 404, code: "NOT_FOUND" };
const UNSAFE_KEY_FN = { status: 500, code: "CONFIG_INVALID" };

interface Accepted {
  id?: string;
  key?: string;
}

/**
 * A legitimate upload whose name (or user id) is hostile: it is stored, so the state changes, and
 * verify() proves the key is the server's random key with nothing of the input in it.
 */
function acceptedSafely(
  name: string,
  attack: string,
  fileName: string,
  options: { user?: string; fromInput?: string[] } = {},
): Case {
  const user = options.user ?? "traveller";
  return {
    family: "key traversal",
    name,
    attack: `${attack} (accepted as a legitimate upload: the object is stored under the server's key)`,
    expect: ok(200),
    allowStateChange: true,
    setup: async () => ({}),
    async run(w, prepared) {
      const token = await signToken(user);
      const instruction = await createOne(w, token, "images", png(fileName));
      Object.assign(prepared as Accepted, { id: instruction.id, key: instruction.key });
      await putOk(instruction, PNG_1X1);
      const res = await w.api(`/v1/uploads/${instruction.id}/complete`, { method: "POST", token });
      return refusal(res);
    },
    async verify(w, prepared) {
      const { id, key } = prepared as Accepted;
      assertServerKey(key!, { route: "images", userId: user, ext: ".png" }, [
        fileName,
        ...(options.fromInput ?? []),
      ]);
      await assertStoredAt(w, id!, key!);
    },
  };
}

function refusedName(name: string, attack: string, fileName: string): Case {
  return {
    family: "key traversal",
    name,
    attack,
    expect: INVALID,
    run: async (w) => refusal(await createRequest(w, await w.token("traveller"), "images", [png(fileName)])),
  };
}

function refusedRoute(name: string, attack: string, route: string, expect = NO_ROUTE): Case {
  return {
    family: "key traversal",
    name,
    attack,
    expect,
    run: async (w) => refusal(await createRequest(w, await w.token("traveller"), route, [png("a.png")])),
  };
}

function foldered(name: string, folder: string): Case {
  return {
    family: "key traversal",
    name,
    attack: `metadata that a route's key function puts into the key: folder=${JSON.stringify(folder)}`,
    expect: UNSAFE_KEY_FN,
    run: async (w) =>
      refusal(
        await createRequest(w, await w.token("traveller"), "foldered", [
          { ...png("a.png"), metadata: { folder } },
        ]),
      ),
  };
}

/** A case against an upload of the victim's, addressed through a hostile URL path built from its id. */
function byPath(
  name: string,
  attack: string,
  path: (id: string) => string,
  expect: { status: number; code: string },
  method = "POST",
): Case {
  return {
    family: "key traversal",
    name,
    attack,
    expect,
    async setup(w) {
      const token = await w.token("victim");
      const instruction = await createOne(w, token, "images", png("victim.png"));
      await putOk(instruction, PNG_1X1);
      await completeOk(w, token, instruction.id);
      return instruction.id;
    },
    run: async (w, id) =>
      refusal(await w.api(path(id as string), { method, token: await w.token("mallory") })),
  };
}

const cases: Case[] = [
  acceptedSafely("name ../../etc/passwd", "file name with ../ segments", "../../etc/passwd.png", {
    fromInput: ["etc", "passwd"],
  }),
  acceptedSafely("name with backslashes", "file name with ..\\ segments", "..\\..\\windows\\win.png", {
    fromInput: ["windows"],
  }),
  acceptedSafely("absolute name", "an absolute path as the file name", "/var/www/html/index.png", {
    fromInput: ["var/www", "index"],
  }),
  acceptedSafely("dot-dot name", 'the file name ".."', ".."),
  acceptedSafely("RTL override name", "U+202E in the name to disguise the extension", "cat\u202egnp.exe", {
    fromInput: ["\u202e", "exe"],
  }),
  acceptedSafely(
    "percent-encoded overlong name",
    "%c0%ae%c0%ae/ (an overlong '../' spelled in percent escapes)",
    "%c0%ae%c0%ae%2fx.png",
    {
      fromInput: ["%c0", "%2f"],
    },
  ),
  acceptedSafely("encoded slash name", "%2F and %00 spelled out in the name", "a%2F..%2Fb%00.png", {
    fromInput: ["%2F", "%00"],
  }),
  refusedName("NUL in name", "NUL byte to truncate the name (a.png\\0.html)", "a.png\u0000.html"),
  refusedName("lone surrogate in name", "a lone UTF-16 surrogate in the name", "x\ud800.png"),
  refusedName("10 KB name", "a 10 KB file name", `${"a".repeat(10 * 1024)}.png`),
  refusedName("DEL in name", "DEL (0x7f) in the name", "a\u007f.png"),
  {
    family: "key traversal",
    name: "overlong UTF-8 bytes in name",
    attack: "the name as raw overlong UTF-8 (C0 AE C0 AE 2F = '../') in the JSON body",
    expect: INVALID,
    async run(w) {
      const head = new TextEncoder().encode('{"route":"images","files":[{"name":"');
      const tail = new TextEncoder().encode(`x.png","type":"image/png","size":${PNG_1X1.length}}]}`);
      const body = new Uint8Array([...head, 0xc0, 0xae, 0xc0, 0xae, 0x2f, ...tail]);
      return refusal(await w.api("/v1/uploads", { token: await w.token("traveller"), body }));
    },
  },
  refusedRoute("route with ../", "a route name climbing out (../images)", "../images"),
  refusedRoute("route with embedded ..", "a route name with an embedded traversal", "images/../../admin"),
  refusedRoute("route __proto__", "the route __proto__ (prototype lookup)", "__proto__"),
  refusedRoute("route constructor", "the route constructor (prototype lookup)", "constructor"),
  refusedRoute("route with NUL", "a route name with a NUL byte", "images\u0000"),
  refusedRoute("route in capitals", "IMAGES, hoping for a case-insensitive match", "IMAGES"),
  refusedRoute("route with a dotless i", "\u0131mages (a dotless i that upper-cases to I)", "\u0131mages"),
  refusedRoute("10 KB route", "a 10 KB route name", "r".repeat(10 * 1024), INVALID),
  acceptedSafely("sub ../../admin", "a JWT subject with ../ to climb out of the user prefix", "u.png", {
    user: "../../admin",
  }),
  acceptedSafely("sub ..", 'the JWT subject ".."', "u.png", { user: ".." }),
  acceptedSafely("sub with slashes", "a JWT subject that is an absolute path", "u.png", {
    user: "/root/.ssh",
  }),
  acceptedSafely("1 KB sub", "a 1 KB JWT subject (its key segment is shortened with a hash)", "u.png", {
    user: "s".repeat(1024),
  }),
  {
    family: "key traversal",
    name: "10 KB sub",
    attack: "a 10 KB JWT subject (signed as uploader metadata it would exceed S3's 2 KB budget)",
    expect: { status: 401, code: "AUTH_INVALID" },
    run: async (w) =>
      refusal(await createRequest(w, await signToken("s".repeat(10 * 1024)), "images", [png("u.png")])),
  },
  acceptedSafely("sub with NUL and RTL", "a JWT subject with NUL and U+202E", "u.png", {
    user: "a\u0000b\u202ec",
  }),
  foldered("key fn: metadata ../", "../../other-user"),
  foldered("key fn: metadata //", "a//b"),
  foldered("key fn: metadata .", "."),
  byPath(
    "id with encoded ../",
    "an upload id of ../../<victim id> in /v1/uploads/:id/complete",
    (id) => `/v1/uploads/..%2F..%2F${id}/complete`,
    NO_UPLOAD,
  ),
  byPath(
    "id with NUL",
    "the victim's id with %00 appended",
    (id) => `/v1/uploads/${id}%00/complete`,
    NO_UPLOAD,
  ),
  byPath(
    "id as SQL",
    "an upload id that is SQL (' OR '1'='1)",
    () => "/v1/uploads/'%20OR%20'1'%3D'1/complete",
    NO_UPLOAD,
  ),
  byPath(
    "parts id with ../",
    "POST /v1/uploads/..%2F<victim id>/parts",
    (id) => `/v1/uploads/..%2F${id}/parts`,
    NO_UPLOAD,
  ),
  byPath("files id with ../", "/v1/files/..%2F<victim id>", (id) => `/v1/files/..%2F${id}`, NO_UPLOAD, "GET"),
  byPath(
    "files id with %",
    "a malformed percent escape in /v1/files/:id",
    () => "/v1/files/%",
    NO_ENDPOINT,
    "GET",
  ),
  byPath(
    "dot-dot path segment",
    "/v1/uploads/%2e%2e/complete (normalised away from the endpoint)",
    () => "/v1/uploads/%2e%2e/complete",
    NO_ENDPOINT,
  ),
  byPath(
    "300-char id",
    "an upload id of 300 characters",
    (id) => `/v1/uploads/${id.repeat(12)}/complete`,
    NO_ENDPOINT,
  ),
  byPath(
    "delete via wildcard id",
    "DELETE /v1/uploads/% and * (LIKE wildcards as the id)",
    () => "/v1/uploads/%25*",
    NO_UPLOAD,
    "DELETE",
  ),
];

runCatalogue(
  "gateway key traversal",
  () =>
    openGatewayWorld({
      routes: {
        images: { types: ["image/png", "image/jpeg"], maxSize: "1MB" },
        foldered: {
          types: ["image/png"],
          maxSize: "1MB",
          key: ({ file, random, ext }) => `foldered/${file.metadata?.folder ?? "default"}/${random}${ext}`,
        },
      },
    }),
  cases,
);
