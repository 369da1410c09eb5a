import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Page } from "@playwright/test";
import { Gpg } from "../tests/helpers/gpg";
import { expect, serverLog, signIn, test, USERS } from "./fixtures";

async function chooseType(page: Page, label: string) {
  await page.goto("/keys");
  await page.getByRole("link", { name: "+ Generate key" }).click();
  await expect(page.getByRole("heading", { name: "Create Key" })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`^${label}`) }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
}

async function expectListed(page: Page, keyId: string, typeParam: string) {
  await page.goto(`/keys?type=${typeParam}&expiresIn=all&keyId=${encodeURIComponent(keyId)}`);
  await expect(page.getByRole("table").getByRole("link", { name: keyId })).toBeVisible();
}

test("REST – Shared Secret: the secret is shown once, downloads, and the key is listed", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await chooseType(page, "REST – Shared Secret");
  await expect(page.getByRole("status").filter({ hasText: "Your REST – Shared Secret key is ready" })).toBeVisible();
  const keyId = (await page.getByLabel("Key", { exact: true }).textContent())!;
  const secret = (await page.getByLabel("Shared Secret", { exact: true }).textContent())!;
  expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
  expect(Buffer.from(secret, "base64")).toHaveLength(32);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download key" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.pem$/);
  const file = readFileSync((await download.path())!, "utf8");
  expect(file).toContain(keyId);
  expect(file).toContain(secret);
  await expect(page.getByRole("link", { name: "Generate another key" })).toBeVisible();
  await expectListed(page, keyId, "REST_SHARED_SECRET");
  // Shown once: Key Information never shows the secret again.
  await page.getByRole("table").getByRole("link", { name: keyId }).click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await expect(page.locator("main")).not.toContainText(secret);
  // Nor does the server's log, at any point of this run.
  const log = serverLog();
  if (log !== null) expect(log.includes(secret)).toBe(false);
});

test("a portfolio user is told before Generate key that a shared secret is a meta key", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await expect(page.getByRole("note")).toContainText(
    "Portfolio and account users create a REST – Shared Secret key as a meta key",
  );
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(
    page.getByRole("heading", { name: "Create Key: REST – Shared Secret", includeHidden: true }),
  ).toBeVisible();
  // The Key options window: Create as a Meta-Key is required (a non-meta shared secret would be refused).
  const options = page.getByRole("dialog", { name: "Key options" });
  await expect(options.getByLabel("Create as a Meta-Key")).toBeChecked();
  await expect(options.getByLabel("Create as a Meta-Key")).toBeDisabled();
  await expect(options).toContainText("as a meta key only");
});

test("Secure Acceptance: fields are checked next to themselves, then access key and secret key", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await chooseType(page, "Secure Acceptance");
  await expect(page.getByLabel("Signature Version")).toHaveValue("1");
  await expect(page.getByLabel("Signature Method")).toHaveValue("HMAC-SHA256");
  await page.getByRole("button", { name: "Generate Key" }).click();
  await expect(page.getByText("Enter a key name.")).toBeVisible();
  await expect(page.getByText("Select a security profile.")).toBeVisible();
  await expect(page.getByLabel("Key Name")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Key Name").fill("Checkout from Playwright");
  await page.getByLabel("Security Profile").selectOption({ label: "Acme web checkout (PRF-12378-WEB)" });
  await page.getByRole("button", { name: "Generate Key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your Secure Acceptance key is ready" })).toBeVisible();
  const accessKey = (await page.getByLabel("Access Key", { exact: true }).textContent())!;
  const secretKey = (await page.getByLabel("Secret Key", { exact: true }).textContent())!;
  expect(secretKey).toMatch(/^[0-9a-f]{256}$/);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download key" }).click(),
  ]);
  expect(readFileSync((await download.path())!, "utf8")).toContain(accessKey);
  await expectListed(page, accessKey, "SECURE_ACCEPTANCE");
  const log = serverLog();
  if (log !== null) expect(log.includes(secretKey)).toBe(false);
});

test("PGP: a GnuPG RSA-3072 key is accepted; a private key block is refused with a warning", async ({ page }) => {
  const gpg = new Gpg();
  const fpr = gpg.genKey("Playwright <pw@keycenter.test>", "rsa3072", "sign", "2y");
  gpg.addKey(fpr, "rsa3072", "encr", "2y");
  await signIn(page, USERS.merchant);
  await chooseType(page, "PGP");
  const box = page.getByLabel("PGP public key (ASCII-armored)");
  await box.fill(gpg.run(["--armor", "--export-secret-keys", fpr]));
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText(/private key/i).first()).toBeVisible();
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await box.fill(gpg.exportPublic(fpr));
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your PGP key is ready" })).toBeVisible();
  await expect(page.getByLabel("Fingerprint", { exact: true })).toHaveText(fpr);
  const keyId = (await page.getByLabel("Key ID", { exact: true }).textContent())!;
  await expectListed(page, keyId, "PGP");
});

test("Message-Level Encryption: an openssl RSA public key is accepted, RSA-1024 refused", async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "kc-mle-"));
  const pub = (bits: number) => {
    const keyFile = path.join(dir, `k${bits}.pem`);
    execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${bits}`, "-out", keyFile], {
      stdio: "ignore",
    });
    return execFileSync("openssl", ["pkey", "-in", keyFile, "-pubout"], { encoding: "utf8" });
  };
  await signIn(page, USERS.merchant);
  await chooseType(page, "Message-Level Encryption");
  const custodian = page.getByLabel("Custodian (optional)");
  const admin = await custodian.locator("option", { hasText: USERS.merchant }).getAttribute("value");
  await custodian.selectOption(admin!);
  await page.getByLabel("Public key value").fill(pub(1024));
  await page.getByRole("button", { name: "Create Key" }).click();
  await expect(page.getByText(/2048/).first()).toBeVisible();
  await page.getByLabel("Public key value").fill(pub(2048));
  await page.getByRole("button", { name: "Create Key" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Your Message-Level Encryption key is ready" }),
  ).toBeVisible();
  const keyId = (await page.getByLabel("Key ID", { exact: true }).textContent())!;
  await expectListed(page, keyId, "TOKEN_MANAGEMENT_MLE");
  // The custodian chosen on the form (kept across the refused first try) is the key's.
  await page.getByRole("table").getByRole("link", { name: keyId }).click();
  await expect(page.getByRole("region", { name: "Attributes" }).getByLabel("Custodian")).toHaveValue(admin!);
});

test("SOAP Toolkit is refused with the guide's dates and the pointer to Simple Order keys", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await chooseType(page, "SOAP Toolkit");
  const alert = page.getByRole("alert").filter({ hasText: "July 16, 2025" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("Simple Order");
});

test("a user without PGP Security Settings cannot create a PGP key", async ({ page }) => {
  await signIn(page, USERS.viewer);
  const response = await page.goto("/keys/new");
  expect(response?.status()).toBe(403);
});
