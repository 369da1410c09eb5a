import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Page } from "@playwright/test";
import { expect, KeyManagementPage, signIn, test, USERS } from "./fixtures";

const PASSWORD = "Correct-Horse-42";

async function openType(page: Page, label: string) {
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: new RegExp(`^${label}`) }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.getByRole("heading", { name: `Create Key: ${label}` })).toBeVisible();
}

async function generateP12(page: Page, opts: { title: string; button: string }) {
  await page.getByRole("button", { name: "Download key" }).first().click();
  const dialog = page.getByRole("dialog", { name: opts.title });
  await dialog.getByLabel("New Password").fill(PASSWORD);
  await dialog.getByLabel("Confirm Password").fill(PASSWORD);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("button", { name: opts.button }).click(),
  ]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "kc-p12-")), download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

async function keyIdShown(page: Page) {
  return (await page.getByLabel("Key ID", { exact: true }).textContent())!;
}

async function expectListed(page: Page, keyId: string, typeLabel: string) {
  await page.goto("/keys");
  await page.getByLabel("Key Type").selectOption({ label: typeLabel });
  await page.getByLabel("Key ID").fill(keyId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("table").getByRole("link", { name: keyId })).toBeVisible();
}

test("REST – Certificate: mismatched passwords create nothing; matching ones download a .p12 openssl opens", async ({
  page,
}) => {
  await signIn(page, USERS.merchant);
  // The org's REST certificates, over all pages (earlier runs leave theirs).
  const countCertificates = async () => {
    const keys = new KeyManagementPage(page);
    await keys.goto({ type: "REST_CERTIFICATE", expiresIn: "all" });
    return keys.total();
  };
  const before = await countCertificates();
  await openType(page, "REST – Certificate");
  await page.getByRole("button", { name: "Download key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Set a Password" });
  await dialog.getByLabel("New Password").fill(PASSWORD);
  await dialog.getByLabel("Confirm Password").fill("Something-else-42");
  await dialog.getByRole("button", { name: "Generate key" }).click();
  await expect(dialog.getByText("The passwords do not match.")).toBeVisible();
  await expect(dialog.getByLabel("Confirm Password")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("New Password").fill("short");
  await dialog.getByLabel("Confirm Password").fill("short");
  await dialog.getByRole("button", { name: "Generate key" }).click();
  await expect(dialog.getByLabel("New Password")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(await countCertificates()).toBe(before); // nothing half-created
  await openType(page, "REST – Certificate");

  const { file, name } = await generateP12(page, { title: "Set a Password", button: "Generate key" });
  expect(name).toBe("merchant12378_rest.p12");
  const keyId = await keyIdShown(page);
  const info = execFileSync("openssl", ["pkcs12", "-in", file, "-info", "-nokeys", "-passin", `pass:${PASSWORD}`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(info).toContain(`friendlyName: serialNumber=${keyId},CN=merchant12378`);
  expect(info).toContain("CyberSource_SJC_US");
  await expect(page.getByRole("link", { name: "Generate another key" })).toBeVisible();
  await expectListed(page, keyId, "REST - Certificate");
  expect(await countCertificates()).toBe(before + 1);
});

test("REST – Certificate from a CSR made with the guide's openssl command", async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "kc-csr-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-keyout",
      path.join(dir, "private_key.pem"),
      "-out",
      path.join(dir, "example.csr"),
      "-sha256",
      "-nodes",
      "-subj",
      "/CN=merchant12378",
    ],
    { stdio: "ignore" },
  );
  execFileSync(
    "openssl",
    [
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-keyout",
      path.join(dir, "other.pem"),
      "-out",
      path.join(dir, "wrong.csr"),
      "-nodes",
      "-subj",
      "/CN=someone_else",
    ],
    { stdio: "ignore" },
  );
  await signIn(page, USERS.merchant);
  await openType(page, "REST – Certificate");
  const box = page.getByLabel("Certificate Signing Request (PEM)");
  await box.fill(readFileSync(path.join(dir, "wrong.csr"), "utf8"));
  await page.getByRole("button", { name: "Download key" }).last().click();
  await expect(
    page
      .getByText(/merchant12378/)
      .filter({ hasText: /CN|common name|merchant ID/i })
      .first(),
  ).toBeVisible();
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await box.fill(readFileSync(path.join(dir, "example.csr"), "utf8"));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download key" }).last().click(),
  ]);
  expect(download.suggestedFilename()).toBe("merchant12378_certChain.pem");
  const chain = path.join(dir, "chain.pem");
  await download.saveAs(chain);
  const certOnly = path.join(dir, "cert.pem");
  writeFileSync(
    certOnly,
    readFileSync(chain, "utf8")
      .split(/(?<=-----END CERTIFICATE-----)/)[0]!
      .trim() + "\n",
  );
  expect(execFileSync("openssl", ["verify", "-CAfile", chain, certOnly], { encoding: "utf8" })).toContain("OK");
  const keyId = await keyIdShown(page);
  await expectListed(page, keyId, "REST - Certificate");
});

test("Simple Order API: Download key → Set Password → Generate Key → .p12, with a custodian", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await openType(page, "Simple Order API");
  // Custodian (B6), chosen before the password window; Key Information shows it afterwards.
  const custodian = page.getByLabel("Custodian (optional)");
  const admin = await custodian.locator("option", { hasText: USERS.merchant }).getAttribute("value");
  await custodian.selectOption(admin!);
  const { file, name } = await generateP12(page, { title: "Set Password", button: "Generate Key" });
  expect(name).toBe("merchant12378_simple_order.p12");
  execFileSync("openssl", ["pkcs12", "-in", file, "-info", "-noout", "-passin", `pass:${PASSWORD}`], {
    stdio: "ignore",
  });
  const keyId = await keyIdShown(page);
  await expectListed(page, keyId, "Simple Order API");
  await page.getByRole("table").getByRole("link", { name: keyId }).click();
  await expect(page.getByRole("region", { name: "Attributes" }).getByLabel("Custodian")).toHaveValue(admin!);
});

test("REST – API Response MLE both ways: a generated .p12 and your own certificate", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await openType(page, "REST – API Response MLE");
  const { name } = await generateP12(page, { title: "Set a Password", button: "Generate key" });
  expect(name).toBe("merchant12378_response_mle.p12");
  const generated = await keyIdShown(page);
  await expectListed(page, generated, "REST-API Response MLE");

  const dir = mkdtempSync(path.join(tmpdir(), "kc-mle-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      path.join(dir, "k.pem"),
      "-out",
      path.join(dir, "c.pem"),
      "-days",
      "365",
      "-subj",
      "/CN=merchant12378 response MLE",
    ],
    { stdio: "ignore" },
  );
  await openType(page, "REST – API Response MLE");
  await page.getByLabel("Your certificate (PEM)").fill(readFileSync(path.join(dir, "c.pem"), "utf8"));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download key" }).last().click(),
  ]);
  const uploaded = await keyIdShown(page);
  expect(download.suggestedFilename()).toBe(`merchant12378_response_mle_${uploaded}.pem`);
  const serial = execFileSync("openssl", ["x509", "-in", path.join(dir, "c.pem"), "-noout", "-serial"], {
    encoding: "utf8",
  });
  expect(serial.trim()).toBe(`serial=${uploaded}`);
  await expectListed(page, uploaded, "REST-API Response MLE");
});
