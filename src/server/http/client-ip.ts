/**
 * The client's address: the first X-Forwarded-For entry when the gateway is configured to trust
 * its proxy, else the socket address the adapter passed in (`fetch(request, { clientIp })`).
 * Without trustProxy, X-Forwarded-For is ignored: any client can send one.
 */
export function clientIp(
  request: { headers: Headers },
  socketIp: string | undefined,
  trustProxy: boolean,
): string | undefined {
  if (trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for");
    const first = forwarded?.split(",")[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return socketIp?.slice(0, 64);
}
