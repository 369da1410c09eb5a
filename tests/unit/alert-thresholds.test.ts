import { describe, expect, it } from "vitest";
import { daysLeft, thresholdToFire } from "@/lib/alerts/thresholds";
import { checkWebhookUrl, signWebhookBody } from "@/lib/alerts/webhook";
import { createHmac } from "node:crypto";

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

  it("signs the exact body with HMAC-SHA256 of the secret, as sha256=<hex>", () => {
    const body = '{"id":"a","type":"key.expiring"}';
    expect(signWebhookBody(body, "whsec_x")).toBe(
      `sha256=${createHmac("sha256", "whsec_x").update(body).digest("hex")}`,
    );
  });
});
