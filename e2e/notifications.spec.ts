import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateKeyPage, expect, pgpPublicKey, signIn, switchMerchant, test, unique, USERS } from "./fixtures";

/**
 * The key a notification is about is made here: a PGP key whose own expiry is 3 days away
 * (KeyCenter takes a PGP key's expiry from the key), uniquely named, in merchant45602 (which
 * has no administrator of its own, so the portfolio's get the email). Other notifications of
 * the org, from earlier runs or other people, may be listed too: the flow looks at its own.
 */
async function keyExpiringIn3Days(page: Parameters<typeof signIn>[0]) {
  const name = unique("Alert e2e");
  const keyId = await new CreateKeyPage(page).createPgp(pgpPublicKey(`Alerts <alerts-e2e@keycenter.test>`, 3), name);
  return { name, keyId };
}

const unreadCount = async (page: Parameters<typeof signIn>[0]) => {
  const text = (await page.getByRole("status").filter({ hasText: "unread notification" }).textContent()) ?? "";
  return /^No unread/.test(text) ? 0 : Number(/^(\d+) unread/.exec(text)?.[1]);
};

test("Check now lists a key expiring within 7 days as unread; Mark as read; the email is in the Outbox", async ({
  page,
  info,
}) => {
  await signIn(page, USERS.portfolio);
  await switchMerchant(page, "merchant45602");
  const { name, keyId } = await keyExpiringIn3Days(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const item = page.getByRole("listitem", { name: new RegExp(`^Unread: Key "${name}" expires in [1-3] days`) });
  const checked = page.getByRole("status").filter({ hasText: /new alert/ });

  await page.getByRole("button", { name: "Check now" }).click();
  if (info.switches.alertRunner) {
    // The runner (every minute) may have raised it first: then Check now finds nothing new.
    await expect(checked).toHaveText(/^(\d+ new alerts?|No new alerts)\.$/);
  } else {
    await expect(checked).toHaveText(/^\d+ new alerts?\.$/);
  }
  await expect(item).toBeVisible();
  await expect(item).toContainText(/Days left:\s*[1-3]/);
  await expect(nav.getByRole("link", { name: /^Notifications \d+ unread$/ })).toBeVisible();
  const unread = await unreadCount(page);
  expect(unread).toBeGreaterThanOrEqual(1);

  // A second check raises nothing new for this key.
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(checked).toHaveText(/^(\d+ new alerts?|No new alerts)\.$/);
  await expect(page.getByRole("listitem", { name: new RegExp(`Key "${name}"`) })).toHaveCount(1);

  // Marked as read, it says so, and the unread count drops by one.
  await item.getByRole("button", { name: `Mark as read: Key "${name}" expires in`, exact: false }).click();
  await expect(page.getByRole("listitem", { name: new RegExp(`^Read: Key "${name}"`) })).toBeVisible();
  await expect.poll(() => unreadCount(page)).toBe(unread - 1);

  // Without SMTP the email to the administrators (merchant45602 and globex_acct have none of
  // their own, so the portfolio's) waits in the Outbox.
  if (!info.switches.smtp) {
    await page.getByRole("link", { name: "Outbox" }).click();
    await expect(page.getByRole("heading", { name: "Outbox" })).toBeVisible();
    const mail = page
      .getByRole("list", { name: "Emails" })
      .getByRole("listitem")
      .filter({ hasText: `[KeyCenter] Key "${name}" expires in` });
    await expect(mail.first()).toBeVisible();
    await expect(mail.first()).toContainText(USERS.portfolio);
  }

  // The notification links to the key's Key Information page.
  await page.goto("/notifications");
  await page.getByRole("link", { name: `${name} (${keyId})` }).click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
});

// Marks every notification of merchant45602 read, other people's included: not on a shared instance.
test("Mark all as read leaves no unread notification @destructive", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await switchMerchant(page, "merchant45602");
  const { name } = await keyExpiringIn3Days(page);
  await page.goto("/notifications");
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("listitem", { name: new RegExp(`^Unread: Key "${name}"`) })).toBeVisible();
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("listitem", { name: new RegExp(`^Read: Key "${name}"`) })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "unread notification" })).toHaveText(
    "No unread notifications.",
  );
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications", exact: true }),
  ).toBeVisible();
});

/** Removes the org's webhook if one is set: the org is left as the flow found it. */
async function removeWebhook(page: Parameters<typeof signIn>[0]) {
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Expiry alert webhook" });
  const remove = section.getByRole("button", { name: "Remove webhook" });
  if ((await remove.count()) === 0) return;
  await remove.click();
  await page.getByRole("alertdialog", { name: "Remove the webhook" }).getByRole("button", { name: "Remove" }).click();
  await expect(section.getByLabel("Webhook URL")).toHaveValue("");
}

test("Settings: a webhook gets a secret shown once and a test event signed with it", async ({ page, info }) => {
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
  // initech01 (its own portfolio): no other flow touches its settings; the webhook is removed at the end, pass or fail.
  await signIn(page, "initech.admin@keycenter.test");
  try {
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keycenter`;
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Expiry alert webhook" });
    await section.getByLabel("Webhook URL").fill("http://hooks.example.com/x");
    await section.getByRole("button", { name: "Save URL" }).click();
    if (info.switches.localWebhooks) {
      await expect(section.getByText("Use an https:// URL (plain http only to localhost or 127.0.0.1).")).toBeVisible();
    } else {
      // A production-like server: https only, and never this machine or a private network.
      await expect(section.getByText("Use an https:// URL.", { exact: true })).toBeVisible();
      await section.getByLabel("Webhook URL").fill(local);
      await section.getByRole("button", { name: "Save URL" }).click();
      await expect(
        section.getByText("Use a public address: this machine and private networks are not allowed."),
      ).toBeVisible();
    }

    // Where local webhooks are allowed, the receiver is this test's; else a public https URL
    // that never resolves (.invalid), so the test event is refused.
    const url = info.switches.localWebhooks ? local : "https://keycenter-e2e.invalid/keycenter";
    await section.getByLabel("Webhook URL").fill(url);
    await section.getByRole("button", { name: "Save URL" }).click();
    await expect(section.getByRole("status").filter({ hasText: "Webhook URL saved." })).toBeVisible();
    await section.getByRole("button", { name: "Generate secret" }).click();
    const shown = section.getByLabel("Webhook signing secret", { exact: true });
    await expect(shown).toHaveText(/^whsec_/);
    const secret = (await shown.textContent())!;

    await section.getByRole("button", { name: "Send test event" }).click();
    if (info.switches.localWebhooks) {
      await expect(section.getByRole("status").filter({ hasText: "accepted" })).toHaveText(
        "The test event was accepted (HTTP 200).",
      );
      expect(received).toHaveLength(1);
      expect(received[0]!.headers["x-keycenter-signature"]).toBe(
        `sha256=${createHmac("sha256", secret).update(received[0]!.raw).digest("hex")}`,
      );
    } else {
      await expect(section.getByText(/^The test event was not accepted: /)).toBeVisible();
      expect(received).toHaveLength(0);
    }

    // Shown once: after a reload only its date remains.
    await page.reload();
    await expect(section.getByLabel("Webhook signing secret", { exact: true })).toHaveCount(0);
    await expect(section.getByText(/Signing secret generated/)).toBeVisible();
    await expect(page.locator("main")).not.toContainText(secret);

    await section.getByRole("button", { name: "Remove webhook" }).click();
    await page.getByRole("alertdialog", { name: "Remove the webhook" }).getByRole("button", { name: "Remove" }).click();
    await expect(section.getByRole("button", { name: "Generate secret" })).toBeVisible();
    await expect(section.getByLabel("Webhook URL")).toHaveValue("");
  } finally {
    await removeWebhook(page).catch(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
