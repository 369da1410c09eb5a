import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { signIn, switchMerchant, USERS } from "./fixtures";

// merchant45602 (demo data): "Airport API certificate" expires in 3 days; no other spec
// touches its notifications. The runner is off in e2e: Check now does its work.
test("Check now lists a key expiring within 7 days as unread; Mark all as read; the email is in the Outbox", async ({
  page,
}) => {
  await signIn(page, USERS.portfolio);
  await switchMerchant(page, "merchant45602");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  await expect(page.getByText("No notifications yet.")).toBeVisible();

  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /new alert/ })).toHaveText("1 new alert.");
  const item = page.getByRole("listitem", { name: /Unread: Key "Airport API certificate" expires in [1-3] days/ });
  await expect(item).toBeVisible();
  await expect(item).toContainText(/Days left:\s*[1-3]/);
  await expect(nav.getByRole("link", { name: "Notifications 1 unread" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "unread notification" })).toHaveText(
    "1 unread notification.",
  );

  // A second check raises nothing new.
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /new alert/ })).toHaveText("No new alerts.");
  await expect(page.getByRole("listitem", { name: /Airport API certificate/ })).toHaveCount(1);

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("listitem", { name: /^Read: Key "Airport API certificate"/ })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "unread notification" })).toHaveText(
    "No unread notifications.",
  );
  await expect(nav.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

  // No SMTP server in e2e: the email to the administrators (merchant45602 and globex_acct have
  // none of their own, so the portfolio's) waits in the Outbox.
  await page.getByRole("link", { name: "Outbox" }).click();
  await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
  const mail = page.getByRole("list", { name: "Emails" }).getByRole("listitem").first();
  await expect(mail).toContainText('[KeyCenter] Key "Airport API certificate" expires in');
  await expect(mail).toContainText(USERS.portfolio);

  // The notification links to the key's Key Information page.
  await page.goto("/notifications");
  await page.getByRole("link", { name: /Airport API certificate \(/ }).click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
});

test("Settings: a webhook gets a secret shown once and a test event signed with it", async ({ page }) => {
  const received: { raw: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      received.push({ raw, headers: req.headers });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keycenter`;
    await signIn(page, "initech.admin@keycenter.test");
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Expiry alert webhook" });
    await section.getByLabel("Webhook URL").fill("http://hooks.example.com/x");
    await section.getByRole("button", { name: "Save URL" }).click();
    await expect(section.getByText("Use an https:// URL (plain http only to localhost or 127.0.0.1).")).toBeVisible();

    await section.getByLabel("Webhook URL").fill(url);
    await section.getByRole("button", { name: "Save URL" }).click();
    await expect(section.getByRole("status").filter({ hasText: "Webhook URL saved." })).toBeVisible();
    await section.getByRole("button", { name: "Generate secret" }).click();
    const shown = section.getByLabel("Webhook signing secret", { exact: true });
    await expect(shown).toHaveText(/^whsec_/);
    const secret = (await shown.textContent())!;

    await section.getByRole("button", { name: "Send test event" }).click();
    await expect(section.getByRole("status").filter({ hasText: "accepted" })).toHaveText(
      "The test event was accepted (HTTP 200).",
    );
    expect(received).toHaveLength(1);
    expect(received[0]!.headers["x-keycenter-signature"]).toBe(
      `sha256=${createHmac("sha256", secret).update(received[0]!.raw).digest("hex")}`,
    );

    // Shown once: after a reload only its date remains.
    await page.reload();
    await expect(section.getByLabel("Webhook signing secret", { exact: true })).toHaveCount(0);
    await expect(section.getByText(/Signing secret generated/)).toBeVisible();

    await section.getByRole("button", { name: "Remove webhook" }).click();
    await page.getByRole("dialog", { name: "Remove the webhook" }).getByRole("button", { name: "Remove" }).click();
    await expect(section.getByRole("button", { name: "Generate secret" })).toBeVisible();
    await expect(section.getByLabel("Webhook URL")).toHaveValue("");
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
