import { readFile } from "node:fs/promises";
import { expect, signIn, test, USERS } from "./fixtures";

test.describe("Granting User Permissions", () => {
  test("a custom role gets View Status, PGP Security Settings and Report Download on Edit User Role", async ({
    page,
  }) => {
    const roleName = `PGP operators ${Date.now()}`;
    await signIn(page, USERS.portfolio);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roles" }).click();
    await expect(page.getByRole("heading", { name: "Roles", level: 1 })).toBeVisible();
    await expect(page.getByRole("row", { name: /Administrator/ })).toContainText("Built-in");

    await page.getByRole("link", { name: "+ Create role" }).click();
    await page.getByLabel("Role name").fill(roleName);
    await page.getByLabel("Description").fill("Works with PGP keys and Account Updater files");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roles" }).click();
    await expect(page.getByRole("row", { name: new RegExp(roleName) })).toContainText("Custom");
    await page.getByRole("link", { name: `Edit ${roleName}` }).click();
    await expect(page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
    await expect(page.getByLabel("Role name")).toHaveValue(roleName);

    const group = (name: string) => page.getByRole("group", { name });
    await group("Credit Card Account Updater Permissions").getByLabel("View Status").check();
    await group("Merchant Settings Permissions").getByLabel("PGP Security Settings").check();
    await group("Reporting Permissions").getByLabel("Report Download").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The role has been saved." })).toBeVisible();

    await page.reload();
    await expect(group("Credit Card Account Updater Permissions").getByLabel("View Status")).toBeChecked();
    await expect(group("Merchant Settings Permissions").getByLabel("PGP Security Settings")).toBeChecked();
    await expect(group("Reporting Permissions").getByLabel("Report Download")).toBeChecked();
    await expect(group("Key Management").getByLabel("Create keys")).not.toBeChecked();
  });

  test("built-in roles are read-only on Edit User Role", async ({ page }) => {
    await signIn(page, USERS.portfolio);
    await page.goto("/roles");
    await page.getByRole("link", { name: "Edit Viewer" }).click();
    await expect(page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
    await expect(page.getByLabel("View keys")).toBeDisabled();
    await expect(page.getByLabel("View keys")).toBeChecked();
    await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Create a custom role from this one" })).toBeVisible();
  });

  test("a viewer may not open Roles, Audit or the export", async ({ page }) => {
    await signIn(page, USERS.viewer);
    const response = await page.goto("/roles");
    expect(response?.status()).toBe(403);
    expect((await page.goto("/audit"))?.status()).toBe(403);
    expect((await page.request.get("/audit/export")).status()).toBe(403);
  });
});

test.describe("Audit", () => {
  test("lists sign-ins, verifies the chain and exports CSV", async ({ page }) => {
    await signIn(page, USERS.portfolio);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
    await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
    const table = page.getByRole("table");
    // Other workers sign in at the same time, so look for this user's sign-in rather than the newest row.
    await expect(
      table.getByRole("row").filter({ hasText: "auth.sign_in" }).filter({ hasText: USERS.portfolio }).first(),
    ).toBeVisible();

    await page.getByLabel("Action").selectOption({ label: "Signed in" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/action=auth\.sign_in/);
    await expect(table.locator("tbody tr").filter({ hasNotText: "auth.sign_in" })).toHaveCount(0);

    await page.getByRole("button", { name: "Verify chain" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: /The audit log is intact: \d+ of your records checked/ }),
    ).toBeVisible();

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^audit-portfolioabc-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("seq,time,actor,org,action,target type,target,result,ip,user agent,details");
    expect(csv).toMatch(new RegExp(`${USERS.portfolio.replace(/\./g, "\\.")},portfolioabc,auth\\.sign_in`));
  });
});
