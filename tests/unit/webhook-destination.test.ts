import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWebhookUrl, isNonPublicAddress, postWebhook, type ResolvedAddress } from "@/lib/alerts/webhook";

/** Webhooks go to global unicast addresses only (ipaddr.js ranges), and to exactly the address that was checked. */

const now = new Date("2030-06-01T00:00:00Z");

describe("which addresses a webhook may reach in production", () => {
  it.each([
    "198.18.0.1", // benchmarking, 198.18/15
    "198.19.255.254",
    "224.0.0.1", // multicast, 224/4
    "239.255.255.250",
    "240.0.0.1", // reserved, 240/4
    "255.255.255.255",
    "192.0.2.1", // documentation
    "64:ff9b::a00:1", // NAT64, 64:ff9b::/96 (here 10.0.0.1)
    "64:ff9b::808:808",
    "::a00:1", // IPv4-compatible, ::/96
    "::7f00:1",
    "::ffff:198.18.0.1", // IPv4-mapped: judged as the IPv4 address
    "::ffff:127.0.0.1",
    "2002:7f00:1::1", // 6to4 around 127.0.0.1
    "2001:db8::1",
    "ff02::1",
    "fec0::1",
  ])("refuses %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
    const host = address.includes(":") ? `[${address}]` : address;
    expect(checkWebhookUrl(`https://${host}/hook`, false).ok).toBe(false);
  });

  it.each(["93.184.216.34", "8.8.8.8", "::ffff:8.8.8.8", "2606:4700::1111"])("accepts %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it("refuses to post when the host name resolves into one of those ranges", async () => {
    for (const address of ["198.18.0.1", "224.0.0.1", "240.0.0.1", "64:ff9b::a00:1", "::a00:1"]) {
      let called = false;
      const outcome = await postWebhook({
        url: "https://hooks.example.com/x",
        secret: "whsec_x",
        eventId: "e",
        body: "{}",
        now,
        allowLocal: false,
        resolve: async () => [{ address, family: address.includes(":") ? 6 : 4 }],
        fetch: async () => {
          called = true;
          return new Response(null, { status: 204 });
        },
      });
      expect(outcome).toEqual({ ok: false, error: "The webhook's host is not a public address" });
      expect(called).toBe(false);
    }
  });
});

describe("DNS rebinding", () => {
  /** Two receivers on the same port: the checked address (127.0.0.2) and a decoy (127.0.0.1). */
  const received: Record<"checked" | "decoy", IncomingMessage[]> = { checked: [], decoy: [] };
  const receiver = (name: keyof typeof received) =>
    createServer((req, res) => {
      received[name].push(req);
      res.statusCode = 204;
      res.end();
    });
  const checked = receiver("checked");
  const decoy = receiver("decoy");
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => checked.listen(0, "127.0.0.2", resolve));
    port = (checked.address() as AddressInfo).port;
    await new Promise<void>((resolve) => decoy.listen(port, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const server of [checked, decoy]) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A name whose answer changes after the first lookup: the check sees `first`, later lookups `then`. */
  function rebinding(first: string, then: string) {
    const calls: string[] = [];
    const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
      calls.push(hostname);
      return [{ address: calls.length === 1 ? first : then, family: 4 }];
    };
    return { calls, resolve };
  }

  it("connects to the address that was checked, though the name resolves elsewhere by then", async () => {
    received.checked.length = received.decoy.length = 0;
    // localhost: the name the system resolver sends to 127.0.0.1 (the decoy) whatever we say.
    const dns = rebinding("127.0.0.2", "127.0.0.1");
    const outcome = await postWebhook({
      url: `http://localhost:${port}/hook`,
      secret: "whsec_x",
      eventId: "e1",
      body: "{}",
      now,
      allowLocal: true,
      resolve: dns.resolve,
      fetch: globalThis.fetch,
    });
    expect(outcome).toEqual({ ok: true, status: 204 });
    expect(dns.calls).toEqual(["localhost"]);
    expect(received.checked).toHaveLength(1);
    expect(received.decoy).toHaveLength(0);
    // The request still names the URL's host: only the connection is pinned.
    expect(received.checked[0]!.headers.host).toBe(`localhost:${port}`);
  });

  it("in production, a name checked as public that turns local is never posted to the local address", async () => {
    received.checked.length = received.decoy.length = 0;
    const dns = rebinding("93.184.216.34", "127.0.0.1");
    const outcome = await postWebhook({
      url: `https://rebind.keycenter.test:${port}/hook`,
      secret: "whsec_x",
      eventId: "e2",
      body: "{}",
      now,
      allowLocal: false,
      resolve: dns.resolve,
      fetch: globalThis.fetch,
      timeoutMs: 500,
    });
    expect(outcome.ok).toBe(false);
    expect(dns.calls).toEqual(["rebind.keycenter.test"]);
    expect(received.checked).toHaveLength(0);
    expect(received.decoy).toHaveLength(0);
  });
});
