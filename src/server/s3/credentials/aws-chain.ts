import { CredentialsError } from "./errors.js";
import type { CredentialProvider } from "./types.js";

export const AWS_CHAIN_PACKAGE = "@aws-sdk/credential-providers";

/** What is used of the optional package. */
interface CredentialProvidersModule {
  fromNodeProviderChain(init?: Record<string, unknown>): CredentialProvider;
}

/** Whether `err` is Node's "cannot find this package" for `name` (and not for one of its dependencies). */
export function isMissingPackage(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (e?.code !== "ERR_MODULE_NOT_FOUND" && e?.code !== "MODULE_NOT_FOUND") return false;
  return typeof e.message === "string" && new RegExp(`['"]${name}['"/]`).test(e.message);
}

/**
 * The AWS SDK's default credential chain (environment, web identity token file, ECS/EKS container
 * endpoint, EC2 instance metadata, SSO, shared config and credentials files), from the optional
 * peer dependency @aws-sdk/credential-providers, imported only when storage.credentials is "aws".
 */
export async function loadAwsChain(
  load: () => Promise<unknown> = () => import("@aws-sdk/credential-providers"),
): Promise<CredentialProvider> {
  let mod: CredentialProvidersModule;
  try {
    mod = (await load()) as CredentialProvidersModule;
  } catch (err) {
    if (isMissingPackage(err, AWS_CHAIN_PACKAGE)) {
      throw new CredentialsError(
        `storage.credentials "aws" needs the optional package ${AWS_CHAIN_PACKAGE}: npm install ${AWS_CHAIN_PACKAGE}`,
      );
    }
    throw err;
  }
  return mod.fromNodeProviderChain();
}
