import { readFile } from "node:fs/promises";
import { type Page } from "@playwright/test";
import { Gpg } from "../tests/helpers/gpg";
import { acceptInvitation, expect, invitationLink, KeyManagementPage, signIn, test, USERS } from "./fixtures";

// The guide's "Granting User Permissions" for PGP, and what it changes for the person who
// holds the role (a role and a person made here). merchant12379 is a MID no other spec adds
// PGP keys to; earlier runs' keys may be there, so the flow counts.
const PASSWORD = "Welcome-to-KeyCenter-9";

async function setPgpSecuritySettings(admin: Page, roleName: string, on: boolean) {
  await admin.goto("/roles");
  await admin.getByRole("link", { name: `Edit ${roleName}` }).click();
  const box = admin.getByRole("group", { name: "Merchant Settings Permissions" }).getByLabel("PGP Security Settings");
  if (on) await box.check();
  else await box.uncheck();
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The role has been saved." })).toBeVisible();
}

test("without PGP Security Settings a user can neither create nor deactivate a PGP key; with it they can", async ({
  browser,
}) => {
  test.setTimeout(120_000); // a long flow: two people, a role changed three times
  const stamp = Date.now();
  const roleName = `Key operators ${stamp}`;
  const email = `pgp.operator.${stamp}@keycenter.test`;
  const gpg = new Gpg();
  const fpr = gpg.genKey(`Operator <${email}>`, "rsa3072", "sign", "2y");
  gpg.addKey(fpr, "rsa3072", "encr", "2y");
  const publicKey = gpg.exportPublic(fpr);

  // An account admin makes a role with Key Management permissions but not PGP Security Settings.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.account);
  await admin.goto("/roles/new");
  await admin.getByLabel("Role name").fill(roleName);
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
  const keyManagement = admin.getByRole("group", { name: "Key Management" });
  for (const label of ["View keys", "Create keys", "Deactivate keys"]) await keyManagement.getByLabel(label).check();
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The role has been saved." })).toBeVisible();

  await admin.goto("/users/new");
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Name").fill("PGP Operator");
  await admin.getByLabel("Organization").selectOption("merchant12379");
  await admin.getByLabel("Role").selectOption({ label: roleName });
  await admin.getByRole("button", { name: "Create user" }).click();
  await acceptInvitation(browser, await invitationLink(admin), PASSWORD);
  await admin.getByRole("link", { name: "Back to Users" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(email.replace(/\./g, "\\.")) })).toContainText(roleName);

  // The operator: PGP is offered as unavailable, and the server refuses it when asked anyway.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, email, PASSWORD);
  // merchant12379's PGP keys before the refused attempts (earlier runs may have left some).
  const pgpKeys = new KeyManagementPage(user);
  await pgpKeys.goto({ type: "PGP", expiresIn: "all" });
  const before = await pgpKeys.total();
  await user.goto("/keys/new");
  const pgp = user.getByRole("radio", { name: /^PGP/ });
  await expect(user.locator("label", { has: pgp })).toContainText("Your role does not include PGP Security Settings.");
  await pgp.check();
  await user.getByRole("button", { name: "Generate key" }).click();
  await expect(
    user.getByRole("alert").filter({ hasText: "Your role does not include PGP Security Settings." }),
  ).toBeVisible();
  await user.goto("/keys/new?type=PGP");
  await user.getByLabel("PGP public key (ASCII-armored)").fill(publicKey);
  await user.getByRole("button", { name: "Create key" }).click();
  await expect(user.getByRole("alert").filter({ hasText: "Your role does not allow this." })).toBeVisible();
  // Nothing was created.
  await pgpKeys.goto({ type: "PGP", expiresIn: "all" });
  expect(await pgpKeys.total()).toBe(before);

  // Granted PGP Security Settings, the same person creates the key and sees Deactivate.
  await setPgpSecuritySettings(admin, roleName, true);
  await user.goto("/keys/new?type=PGP");
  await user.getByLabel("PGP public key (ASCII-armored)").fill(publicKey);
  await user.getByRole("button", { name: "Create key" }).click();
  await expect(user.getByRole("status").filter({ hasText: "Your PGP key is ready" })).toBeVisible();
  const keyId = (await user.getByLabel("Key ID", { exact: true }).textContent())!;
  await user.goto(`/keys/${encodeURIComponent(keyId)}`);
  await expect(user.getByRole("button", { name: "Deactivate" })).toBeVisible();

  // Custodian (B6): Key Information names the creator; the operator names themselves custodian.
  const attributes = user.getByRole("region", { name: "Attributes" });
  await expect(attributes.getByText(email, { exact: true })).toBeVisible();
  await attributes.getByLabel("Custodian").selectOption({ label: `${email} (PGP Operator)` });
  await attributes.getByRole("button", { name: "Save custodian" }).click();
  await expect(attributes.getByRole("status")).toHaveText("Custodian saved.");
  await user.reload();
  await expect(user.getByRole("region", { name: "Attributes" }).getByLabel("Custodian")).toHaveValue(/.+/);

  // ...and the export of the search carries both.
  await user.goto(`/keys?type=PGP&expiresIn=all`);
  const downloading = user.waitForEvent("download");
  await user.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^keys-merchant12379-test-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe(
    "Key ID,Name,Key Type,Merchant,Environment,Status,Created,Expires,Deactivated,Meta Key,Created By,Custodian,Last Used",
  );
  expect(csv).toContain(`${keyId},`);
  expect(csv.split("\r\n").find((l) => l.startsWith(keyId))).toContain(`,${email},${email},`);

  // The permission taken away while the page is open: Deactivate is refused by the server,
  // and gone from the page once it reloads.
  await user.goto(`/keys/${encodeURIComponent(keyId)}`);
  await setPgpSecuritySettings(admin, roleName, false);
  await user.getByRole("button", { name: "Deactivate" }).click();
  const dialog = user.getByRole("alertdialog", { name: "Deactivate key" });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Your role does not allow this.");
  await user.reload();
  await expect(user.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await expect(user.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
  await expect(user.getByRole("region", { name: "Attributes" })).toContainText("Active");
});
