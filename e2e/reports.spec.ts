import { readFileSync } from "node:fs";
import { Gpg } from "../tests/helpers/gpg";
import {
  acceptInvitation,
  expect,
  invitationLink,
  KeyInformationPage,
  signIn,
  switchMerchant,
  test,
  USERS,
} from "./fixtures";

// merchant12380: a MID no other spec adds PGP keys to, so "the newest active key" is ours. The
// key is deactivated at the end, pass or fail, so the MID has no active PGP key again for the
// next run (Reports encrypts only to an active one).
test("Reports: after a GnuPG key is added as PGP, a report downloads encrypted and gpg decrypts it", async ({
  page,
}) => {
  const gpg = new Gpg();
  let keyId: string | null = null;
  try {
    const fpr = gpg.genKey("Reports e2e <reports-e2e@keycenter.test>", "rsa3072", "sign", "2y");
    gpg.addKey(fpr, "rsa3072", "encr", "2y");
    await signIn(page, USERS.portfolio);
    await switchMerchant(page, "merchant12380", "12380");

    // No PGP key yet: the page says what to do, and offers no download.
    await page.goto("/reports");
    await expect(page.getByRole("heading", { name: "Reports" })).toBeVisible();
    const noKey = page.getByRole("alert").filter({ hasText: "Upload a PGP key first" });
    await expect(noKey).toContainText("Upload a PGP key first: Key Management > + Generate key > PGP");
    await expect(page.getByRole("link", { name: /^Download / })).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Status" })).toBeVisible();

    await page.goto("/keys");
    await page.getByRole("link", { name: "+ Generate key" }).click();
    await page.getByRole("radio", { name: /^PGP/ }).check();
    await page.getByRole("button", { name: "Generate key" }).click();
    await page.getByLabel("PGP public key (ASCII-armored)").fill(gpg.exportPublic(fpr));
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your PGP key is ready" })).toBeVisible();
    keyId = (await page.getByLabel("Key ID", { exact: true }).textContent())!;

    await page.goto("/reports");
    await expect(page.getByRole("alert").filter({ hasText: "Upload a PGP key first" })).toHaveCount(0);
    const first = page.getByRole("table").getByRole("row").nth(1);
    const name = (await first.getByRole("cell").first().textContent())!;
    expect(name).toMatch(/^merchant12380_(au_response|noc)_\d{8}\.csv$/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      first.getByRole("link", { name: `Download ${name}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${name}.pgp`);
    const armored = readFileSync((await download.path())!, "utf8");
    expect(armored).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    const plain = gpg.decrypt(armored);
    expect(plain).toContain("merchantID,merchant12380");
  } finally {
    gpg.cleanup();
    if (keyId) {
      const info = new KeyInformationPage(page);
      await info.open(keyId);
      await expect(info.deactivate()).resolves.toBeTruthy();
      await expect(page.getByText("Inactive", { exact: true })).toBeVisible();
    }
  }
});

test("View Status without Report Download: the Status column, and no download button", async ({ browser }) => {
  const roleName = `Status only ${Date.now()}`;
  const email = `status.only.${Date.now()}@keycenter.test`;
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.merchant);
  await admin.goto("/roles");
  await admin.getByRole("link", { name: "+ Create role" }).click();
  await admin.getByLabel("Role name").fill(roleName);
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
  await admin.getByRole("group", { name: "Credit Card Account Updater Permissions" }).getByLabel("View Status").check();
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The role has been saved." })).toBeVisible();
  await admin.goto("/users");
  await admin.getByRole("link", { name: "+ Create user" }).click();
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Name").fill("Status Only");
  await admin.getByLabel("Organization").selectOption("merchant12378");
  await admin.getByLabel("Role").selectOption({ label: roleName });
  await admin.getByRole("button", { name: "Create user" }).click();
  await acceptInvitation(browser, await invitationLink(admin), "Welcome-to-KeyCenter-9");

  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, "Welcome-to-KeyCenter-9");
  await page.goto("/reports");
  await expect(page.getByRole("heading", { name: "Reports" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Status" })).toBeVisible();
  await expect(
    page
      .getByRole("table")
      .getByText(/^(RECEIVED|PROCESSING|COMPLETE|FAILED)$/)
      .first(),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: /^Download / })).toHaveCount(0);
  expect((await page.request.get("/reports/anything/download")).status()).toBe(403);
});

test("a user with neither permission is refused the Reports page", async ({ page }) => {
  await signIn(page, USERS.viewer);
  expect((await page.goto("/reports"))?.status()).toBe(403);
  await expect(page.getByRole("link", { name: /^Download / })).toHaveCount(0);
  expect((await page.request.get("/reports/anything/download")).status()).toBe(403);
});
