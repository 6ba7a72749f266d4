import { rgwFromEnv } from "../../rgw/env.js";
import type { AdversarialCase } from "./case.js";
import { type GatewayWorld, openGatewayWorld, type WorldConfig } from "./gateway-world.js";
import { runCatalogue } from "./runner.js";

export interface GatewayCatalogueOptions {
  /**
   * Run on the embedded store only, with the reason (a case that moves the store's clock, say).
   * Families that hold a promise about storage ("verified means frozen") must run on RGW too.
   */
  embeddedOnly?: string;
}

/**
 * Registers the cases twice: against the embedded store, and against a fresh bucket on Ceph RGW
 * (the real distributed store CI starts). On RGW it needs UPGATE_TEST_RGW_*: under CI=true a missing
 * RGW fails the run, elsewhere that half is skipped, saying why (as every RGW suite does).
 */
export function runGatewayCatalogue(
  title: string,
  config: WorldConfig,
  cases: Array<AdversarialCase<GatewayWorld>>,
  options: GatewayCatalogueOptions = {},
): void {
  runCatalogue(`${title} (embedded store)`, () => openGatewayWorld(config), cases);
  if (options.embeddedOnly) return;
  const rgw = rgwFromEnv();
  if (rgw) {
    runCatalogue(`${title} (Ceph RGW)`, () => openGatewayWorld(config, rgw), cases);
  } else if (process.env.CI === "true") {
    runCatalogue(
      `${title} (Ceph RGW)`,
      () => {
        throw new Error(
          'UPGATE_TEST_RGW_URL is not set and CI=true: the catalogue runs on Ceph RGW in CI. Run eval "$(bash scripts/ceph-rgw-up.sh)" first.',
        );
      },
      cases,
    );
  }
}
