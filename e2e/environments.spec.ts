import { expect, signIn, switchToProduction, test, USERS } from "./fixtures";

// A5: the badge says which environment the portal works in; keys belong to one of them.
test("switching to Production: a key made there is listed there and not in Test", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const header = page.getByRole("banner");
  await expect(header.getByRole("status", { name: "Environment: Test" })).toHaveText("Test");
  await switchToProduction(page);

  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your REST – Shared Secret key is ready" })).toBeVisible();
  const keyId = (await page.getByLabel("Key", { exact: true }).textContent())!;

  const search = `/keys?type=REST_SHARED_SECRET&expiresIn=all&keyId=${encodeURIComponent(keyId)}`;
  await page.goto(search);
  await expect(page.getByRole("table").getByRole("link", { name: keyId })).toBeVisible();
  await page.getByRole("link", { name: keyId }).click();
  await expect(page.getByRole("region", { name: "Attributes" })).toContainText("Production");

  await page.getByRole("banner").getByRole("button", { name: "Switch to Test" }).click();
  await expect(page.getByRole("banner").getByRole("status", { name: "Environment: Test" })).toBeVisible();
  await page.goto(search);
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
});
