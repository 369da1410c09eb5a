import { type Browser, type Page } from "@playwright/test";
import {
  CreateKeyPage,
  expect,
  KeyInformationPage,
  pgpPublicKey,
  RolesPage,
  signIn,
  test,
  unique,
  uniqueEmail,
  USERS,
  UsersPage,
} from "./fixtures";
import { ageSessions, e2eDatabaseUrl } from "./database";

// Issue 17, "No dead ends, clear feedback": every change confirms itself (a toast), windows close
// on Escape and Cancel, navigation offers only what the role opens, the header stays on one line.

const PASSWORD = "Welcome-to-KeyCenter-9";

/** The toasts (sonner's "Notifications" region in the root layout). */
const toasts = (page: Page) => page.getByRole("region", { name: /^Notifications/ });

/** A person of merchant12379 with `role`, made by the portfolio administrator, signed in in a browser of their own. */
async function newPerson(browser: Browser, role: string): Promise<{ page: Page; email: string }> {
  const email = uniqueEmail("feedback");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.portfolio);
  await new UsersPage(admin).createUser(
    browser,
    { email, name: "Feedback Person", org: "merchant12379", role },
    PASSWORD,
  );
  await admin.context().close();
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, PASSWORD);
  return { page, email };
}

test("Deactivate and Delete confirm themselves: Key … deactivated, Key … deleted (after leaving the page)", async ({
  page,
}) => {
  await signIn(page, USERS.merchant);
  const keyId = await new CreateKeyPage(page).createPgp(pgpPublicKey("Feedback <feedback@keycenter.test>"));
  const info = new KeyInformationPage(page);
  await info.open(keyId);
  const deactivate = await info.deactivate();
  await expect(deactivate).toBeHidden();
  await expect(toasts(page).getByText(`Key ${keyId} deactivated`)).toBeVisible();

  await info.deleteButton().click();
  const confirm = page.getByRole("alertdialog", { name: "Delete Confirmation" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  // Delete leaves Key Information for Key Management: the toast goes along.
  await expect(page).toHaveURL(/\/keys$/);
  await expect(toasts(page).getByText(`Key ${keyId} deleted`)).toBeVisible();
});

test("roles and users confirm their changes: created, saved, role changed, disabled, deleted", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  const role = unique("Feedback role");
  await page.goto("/roles/new");
  await page.getByLabel("Role name").fill(role);
  await page.getByRole("button", { name: "Save" }).click();
  // The toast comes with the answer, before the new role's page: it stays through the navigation.
  await expect(toasts(page).getByText(`Role ${role} created`)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
  const roles = new RolesPage(page);
  await roles.permission("Key Management", "View keys").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(roles.saved()).toBeVisible();
  await expect(toasts(page).getByText(`Role ${role} saved`)).toBeVisible();

  const email = uniqueEmail("feedback.user");
  const users = new UsersPage(page);
  await page.goto("/users/new");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("Feedback User");
  await page.getByLabel("Organization").selectOption("merchant12379");
  await page.getByLabel("Role").selectOption({ label: "Viewer" });
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(toasts(page).getByText(`User ${email} created`)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: `${email} is invited.` })).toBeVisible();
  await users.goto();
  const row = users.row(email);
  await row.getByRole("button", { name: `Change role of ${email}` }).click();
  const change = page.getByRole("alertdialog", { name: "Change role" });
  await change.getByLabel("Role").selectOption({ label: role });
  await change.getByRole("button", { name: "Change role" }).click();
  await expect(toasts(page).getByText(`Role of ${email} changed to ${role}`)).toBeVisible();
  await expect(row).toContainText(role);

  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await page.getByRole("alertdialog", { name: "Disable user" }).getByRole("button", { name: "Disable" }).click();
  await expect(toasts(page).getByText(`User ${email} disabled`)).toBeVisible();
  await row.getByRole("button", { name: `Enable ${email}` }).click();
  await page.getByRole("alertdialog", { name: "Enable user" }).getByRole("button", { name: "Enable" }).click();
  await expect(toasts(page).getByText(`User ${email} enabled`)).toBeVisible();

  // Back to Viewer so the role can go.
  await row.getByRole("button", { name: `Change role of ${email}` }).click();
  await change.getByLabel("Role").selectOption({ label: "Viewer" });
  await change.getByRole("button", { name: "Change role" }).click();
  await expect(toasts(page).getByText(`Role of ${email} changed to Viewer`)).toBeVisible();
  await roles.goto();
  await roles
    .row(role)
    .getByRole("button", { name: `Delete ${role}` })
    .click();
  await page.getByRole("alertdialog", { name: "Delete role" }).getByRole("button", { name: "Delete" }).click();
  await expect(toasts(page).getByText(`Role ${role} deleted`)).toBeVisible();
  await expect(roles.row(role)).toHaveCount(0);
});

test("Key options has Cancel and closes on Escape", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  const create = new CreateKeyPage(page);
  await create.choose("REST – Shared Secret");
  const options = page.getByRole("dialog", { name: "Key options" });
  await expect(options).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(options).toBeHidden();

  await create.choose("REST – Shared Secret");
  await expect(options).toBeVisible();
  await options.getByRole("button", { name: "Cancel" }).click();
  await expect(options).toBeHidden();
});

test("Confirm it's you closes on Escape and on Cancel; what was typed stays; then it confirms", async ({ browser }) => {
  test.skip(!e2eDatabaseUrl(), "needs the e2e server's database to age the session");
  const { page, email } = await newPerson(browser, "Administrator");
  await ageSessions(email);
  const role = unique("Step-up feedback");
  await page.goto("/roles/new");
  await page.getByLabel("Role name").fill(role);
  const save = page.getByRole("button", { name: "Save" });
  await save.click();
  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await expect(stepUp.getByLabel("Password")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(stepUp).toBeHidden();
  await expect(page.getByLabel("Role name")).toHaveValue(role);
  await expect(page.getByRole("alert").filter({ hasText: "Confirm it's you" })).toBeVisible();

  await save.click();
  await expect(stepUp).toBeVisible();
  await stepUp.getByRole("button", { name: "Cancel" }).click();
  await expect(stepUp).toBeHidden();

  await save.click();
  await stepUp.getByLabel("Password").fill(PASSWORD);
  await stepUp.getByRole("button", { name: "Confirm" }).click();
  await expect(stepUp).toBeHidden();
  // The toast comes with the answer, before the new role's page: it stays through the navigation.
  await expect(toasts(page).getByText(`Role ${role} created`)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
});

test("Switch to Production asks first; Production is shown in a warning colour", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const header = page.getByRole("banner");
  const testBadge = header.getByRole("status", { name: "Environment: Test" });
  await expect(testBadge).toBeVisible();
  const switchButton = header.getByRole("button", { name: "Switch to Production" });
  const confirm = page.getByRole("alertdialog", { name: "Switch to Production" });

  await switchButton.click();
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(switchButton).toBeFocused();
  await switchButton.click();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(testBadge).toBeVisible();

  await switchButton.click();
  await confirm.getByRole("button", { name: "Switch to Production" }).click();
  const production = header.getByRole("status", { name: "Environment: Production" });
  await expect(production).toBeVisible();
  await expect(toasts(page).getByText("Now working in Production")).toBeVisible();
  // The badge wears Tailwind's amber (the warning colour), not the Test badge's.
  const amber = await page.evaluate(() => {
    const probe = document.createElement("span");
    probe.className = "bg-amber-400";
    document.body.append(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  });
  await expect(production).toHaveCSS("background-color", amber);

  await header.getByRole("button", { name: "Switch to Test" }).click();
  await expect(testBadge).toBeVisible();
});

test("a Viewer's navigation lists only pages the Viewer can open", async ({ page }) => {
  await signIn(page, USERS.viewer);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText([
    "Dashboard",
    /^Notifications/,
    "Key Management",
    "Transactions",
    "Live Console",
  ]);
  for (const name of ["Reports", "Roles", "Users", "Settings", "Audit"]) {
    await expect(nav.getByRole("link", { name })).toHaveCount(0);
  }
  await expect(nav.getByText("Account Management")).toHaveCount(0);
  const hrefs = await nav.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
  for (const href of hrefs) {
    await page.goto(href);
    await expect(page.getByRole("heading", { name: "You do not have permission to open this page" })).toHaveCount(0);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
});

test.describe("at 1280 px", () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  for (const [kind, email] of Object.entries(USERS)) {
    test(`the header is one line for a ${kind} user`, async ({ page }) => {
      await signIn(page, email);
      const banner = page.getByRole("banner");
      const header = (await banner.boundingBox())!;
      const signOut = (await banner.getByRole("button", { name: "Sign out" }).boundingBox())!;
      const actingFor = (await banner.getByRole("group", { name: "Acting for" }).boundingBox())!;
      const environment = (await banner.getByRole("status", { name: /^Environment/ }).boundingBox())!;
      // One line: the header is its tallest control plus its padding (py-3) and border, and
      // everything in it sits on the same middle line.
      expect(header.height).toBeLessThanOrEqual(signOut.height + 2 * 12 + 1 + 1);
      const middle = (box: { y: number; height: number }) => box.y + box.height / 2;
      for (const box of [actingFor, environment]) expect(Math.abs(middle(box) - middle(signOut))).toBeLessThan(4);
    });
  }
});

test("Sessions: one date-time format (UTC, named), words separated", async ({ page }) => {
  await signIn(page, USERS.viewer);
  await page.getByRole("link", { name: "Security", exact: true }).click();
  const current = page.getByTestId("session-row").filter({ hasText: "This session" });
  await expect(current.getByRole("cell").first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC This session$/);
  await expect(current.getByRole("cell").nth(1)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
});
