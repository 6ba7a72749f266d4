/** `AKID/yyyymmdd/region/service/aws4_request`, split; undefined when it has not five parts. */
export interface CredentialParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminal: string;
}

export function parseCredential(text: string): CredentialParts | undefined {
  const parts = text.split("/");
  if (parts.length !== 5 || parts.some((p) => p === "")) return undefined;
  const [accessKeyId, date, region, service, terminal] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminal };
}

/** Checks a credential's date, region, service and terminal; returns the problem in AWS's words. */
export function credentialProblem(
  cred: CredentialParts,
  expect: { region: string; service: string; amzDate: string },
): { message: string; region?: string } | undefined {
  if (!/^\d{8}$/.test(cred.date)) {
    return {
      message: `incorrect date format "${cred.date}". This date in the credential must be in the format "yyyyMMdd".`,
    };
  }
  if (cred.region !== expect.region) {
    return {
      message: `the region '${cred.region}' is wrong; expecting '${expect.region}'`,
      region: expect.region,
    };
  }
  if (cred.service !== expect.service) {
    return { message: `incorrect service "${cred.service}". This endpoint belongs to "${expect.service}".` };
  }
  if (cred.terminal !== "aws4_request") {
    return { message: `incorrect terminal "${cred.terminal}". This endpoint uses "aws4_request".` };
  }
  if (cred.date !== expect.amzDate.slice(0, 8)) {
    return { message: "Invalid credential date. Date is not the same as X-Amz-Date." };
  }
  return undefined;
}
