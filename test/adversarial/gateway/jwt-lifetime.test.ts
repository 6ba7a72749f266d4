/**
 * JWT lifetime: any signed token used to be accepted until its exp, however far away. auth.jwt.maxAge
 * (default 24 h) now caps it: tokens issued longer ago, living longer than maxAge, or without iat
 * and expiring later than maxAge from now are refused.
 */
import { SignJWT } from "jose";
import { JWT_SECRET } from "../../integ/gateway/support.js";
import type { AdversarialCase } from "../support/case.js";
import { runGatewayCatalogue } from "../support/gateway-catalogue.js";
import { createRequest, type FileDecl, refusal } from "../support/gateway-steps.js";
import type { GatewayWorld } from "../support/gateway-world.js";
import { PNG_1X1 } from "../support/samples.js";

type Case = AdversarialCase<GatewayWorld>;
const PNG: FileDecl = { name: "a.png", type: "image/png", size: PNG_1X1.length };
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

function token(claims: { iat?: number; exp: number }): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("alice")
    .sign(new TextEncoder().encode(JWT_SECRET));
}

function lifetimeCase(name: string, attack: string, claims: () => { iat?: number; exp: number }): Case {
  return {
    family: "JWT lifetime",
    name,
    attack,
    expect: { status: 401, code: "AUTH_INVALID" },
    run: async (w) => refusal(await createRequest(w, await token(claims()), "images", [PNG])),
  };
}

const cases: Case[] = [
  lifetimeCase("exp a year after iat", "a genuine token issued now that expires in a year", () => ({
    iat: now(),
    exp: now() + 365 * DAY,
  })),
  lifetimeCase("iat older than maxAge", "a genuine token issued two days ago, still unexpired", () => ({
    iat: now() - 2 * DAY,
    exp: now() + 60,
  })),
  lifetimeCase("no iat, exp a year away", "a genuine token without iat that expires in a year", () => ({
    exp: now() + 365 * DAY,
  })),
  lifetimeCase(
    "iat in the future",
    "a genuine token claiming to be issued in a day, expiring a day later",
    () => ({
      iat: now() + DAY,
      exp: now() + 2 * DAY - 60,
    }),
  ),
];

runGatewayCatalogue(
  "gateway JWT lifetime",
  { routes: { images: { types: ["image/png"], maxSize: "1MB" } } },
  cases,
);
