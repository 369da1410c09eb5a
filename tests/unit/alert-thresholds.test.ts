import { describe, expect, it, vi } from "vitest";
import {
  ALERT_HORIZON_DAYS,
  ALERT_THRESHOLDS_TEXT,
  alertBands,
  daysLeft,
  thresholdToFire,
} from "@/lib/alerts/thresholds";
import {
  checkWebhookUrl,
  isNonPublicAddress,
  localWebhooksAllowed,
  postWebhook,
  signWebhookBody,
} from "@/lib/alerts/webhook";
import { createHmac } from "node:crypto";

/** DNS as the webhook POST sees it: these names resolve to these addresses. */
const dnsAnswers: Record<string, string[]> = {
  "hooks.example.com": ["93.184.216.34"],
  "internal.example.com": ["93.184.216.34", "10.0.0.7"],
};
vi.mock("node:dns/promises", () => ({
  lookup: async (host: string) => (dnsAnswers[host] ?? []).map((address) => ({ address, family: 4 })),
}));

const DAY = 86_400_000;
const now = new Date("2030-06-01T00:00:00Z");

describe("which expiry alert fires", () => {
  it("counts whole days left, rounded up", () => {
    expect(daysLeft(new Date(now.getTime() + 70 * DAY), now)).toBe(70);
    expect(daysLeft(new Date(now.getTime() + 59.2 * DAY), now)).toBe(60);
    expect(daysLeft(new Date(now.getTime() + 1), now)).toBe(1);
    expect(daysLeft(now, now)).toBe(0);
    expect(daysLeft(new Date(now.getTime() - 3 * DAY), now)).toBe(-3);
  });

  it.each([
    // days left, already sent, fires
    [70, [], null],
    [61, [], null],
    [60, [], 60],
    [59, [], 60],
    [59, [60], null],
    [31, [60], null],
    [30, [60], 30],
    [20, [], 30], // created late: the 30-day alert only, no 60-day one
    [20, [30], null],
    [8, [60, 30], null],
    [7, [60, 30], 7],
    [5, [60, 30], 7], // the runner was down at 7 days left: it catches up
    [5, [], 7],
    [5, [7], null],
    [2, [7], null],
    [1, [60, 30, 7], 1],
    [1, [], 1],
    [1, [1], null],
    [0, [], null], // expired
    [-4, [], null],
  ] as const)("%i days left, %j sent → %s", (days, sent, fires) => {
    expect(thresholdToFire(days, sent)).toBe(fires);
  });
});

describe("the scheduler's query bands", () => {
  it("put every expiry date in the band of the threshold thresholdToFire picks, and nothing else in any", () => {
    const bands = alertBands(now);
    for (let hours = -2; hours <= 62 * 24; hours += 1) {
      for (const ms of [-1, 0, 1]) {
        const expiresAt = new Date(now.getTime() + hours * 3_600_000 + ms);
        const inBands = bands.filter((b) => expiresAt > b.after && expiresAt <= b.until).map((b) => b.threshold);
        const fires = thresholdToFire(daysLeft(expiresAt, now), []);
        expect(inBands).toEqual(fires === null ? [] : [fires]);
      }
    }
  });
});

describe("the thresholds as page text", () => {
  it("lists them largest first and names the first as the horizon", () => {
    expect(ALERT_THRESHOLDS_TEXT).toBe("60, 30, 7 and 1");
    expect(ALERT_HORIZON_DAYS).toBe(60);
  });
});

describe("webhook URLs and signatures", () => {
  it("accepts https, and plain http only to this machine; never credentials", () => {
    expect(checkWebhookUrl("https://hooks.example.com/kc#frag")).toEqual({
      ok: true,
      url: "https://hooks.example.com/kc",
    });
    expect(checkWebhookUrl("http://127.0.0.1:8080/x").ok).toBe(true);
    expect(checkWebhookUrl("http://localhost/x").ok).toBe(true);
    expect(checkWebhookUrl("http://[::1]:9/x").ok).toBe(true);
    expect(checkWebhookUrl("http://hooks.example.com/x").ok).toBe(false);
    expect(checkWebhookUrl("http://127.0.0.1.example.com/x").ok).toBe(false);
    expect(checkWebhookUrl("ftp://hooks.example.com/x").ok).toBe(false);
    expect(checkWebhookUrl("https://u:p@hooks.example.com/x").ok).toBe(false);
    expect(checkWebhookUrl("hooks.example.com").ok).toBe(false);
  });

  it("refuses this machine and private networks when local webhooks are not allowed", () => {
    expect(checkWebhookUrl("http://127.0.0.1:8080/x", false).ok).toBe(false);
    expect(checkWebhookUrl("https://localhost/x", false).ok).toBe(false);
    expect(checkWebhookUrl("https://10.1.2.3/x", false).ok).toBe(false);
    expect(checkWebhookUrl("https://192.168.0.10/x", false).ok).toBe(false);
    expect(checkWebhookUrl("https://[fd00::1]/x", false).ok).toBe(false);
    expect(checkWebhookUrl("https://hooks.example.com/x", false).ok).toBe(true);
    expect(checkWebhookUrl("https://93.184.216.34/x", false).ok).toBe(true);
  });

  it("allows local webhooks outside production, or in production with KEYCENTER_ALLOW_LOCAL_WEBHOOKS=1", () => {
    expect(localWebhooksAllowed({ NODE_ENV: "test" })).toBe(true);
    expect(localWebhooksAllowed({ NODE_ENV: "production" })).toBe(false);
    expect(localWebhooksAllowed({ NODE_ENV: "production", KEYCENTER_ALLOW_LOCAL_WEBHOOKS: "1" })).toBe(true);
  });

  it.each([
    ["127.0.0.1", true],
    ["10.0.0.1", true],
    ["172.16.5.4", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["100.128.0.1", false],
    ["0.0.0.0", true],
    ["::", true],
    ["::1", true],
    ["fd12::1", true],
    ["fe80::1", true],
    ["::ffff:10.0.0.1", true],
    ["8.8.8.8", false],
    ["2606:4700::1111", false],
  ] as const)("%s is not public: %s", (address, nonPublic) => {
    expect(isNonPublicAddress(address)).toBe(nonPublic);
  });

  it("refuses to POST to a host that resolves to a private address when local webhooks are not allowed", async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const post = (url: string, allowLocal: boolean) =>
      postWebhook({ url, secret: "whsec_x", eventId: "e", body: "{}", now, fetch, allowLocal });
    expect(await post("https://internal.example.com/x", false)).toEqual({
      ok: false,
      error: "The webhook's host is not a public address",
    });
    expect(await post("http://127.0.0.1:9/x", false)).toMatchObject({ ok: false });
    expect(fetch).not.toHaveBeenCalled();
    expect(await post("https://hooks.example.com/x", false)).toEqual({ ok: true, status: 204 });
    expect(await post("https://internal.example.com/x", true)).toEqual({ ok: true, status: 204 });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("signs the exact body with HMAC-SHA256 of the secret, as sha256=<hex>", () => {
    const body = '{"id":"a","type":"key.expiring"}';
    expect(signWebhookBody(body, "whsec_x")).toBe(
      `sha256=${createHmac("sha256", "whsec_x").update(body).digest("hex")}`,
    );
  });
});
