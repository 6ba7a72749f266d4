/**
 * Type test, checked by `tsc -p tsconfig.json` (CI's type check), never run: route names come from
 * the server config's type, so a wrong one is a compile error. Each @ts-expect-error fails the
 * check if the line below it stops being an error.
 */
import type exampleConfig from "../../examples/react/upgate.config.js";
import { createUpgateClient, type RouteName } from "../../src/react/index.js";
import { defineConfig } from "../../src/server/index.js";

const config = defineConfig({
  storage: {
    endpoint: "http://127.0.0.1:9000",
    region: "us-east-1",
    bucket: "uploads",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
  },
  routes: {
    avatars: { types: ["image/png"], maxSize: "1MB" },
    invoices: { types: ["application/pdf"], maxSize: "5MB" },
  },
});

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const namesOfConfig: Equal<RouteName<typeof config>, "avatars" | "invoices"> = true;
export const namesOfExample: Equal<
  RouteName<typeof exampleConfig>,
  "images" | "documents" | "archives"
> = true;

const upgate = createUpgateClient<typeof config>({ endpoint: "http://127.0.0.1:8080" });

export function Uploader() {
  upgate.useUpload({ route: "avatars" });
  upgate.useUpload({ route: "invoices", parallel: 1 });
  // @ts-expect-error "avatar" is not a route of the config (it has "avatars").
  upgate.useUpload({ route: "avatar" });
  // @ts-expect-error a route name is required.
  upgate.useUpload({});
}

// Without a config type, any name goes (the gateway answers ROUTE_NOT_FOUND at run time).
export const untyped = () =>
  createUpgateClient({ endpoint: "http://127.0.0.1:8080" }).useUpload({ route: "anything" });
