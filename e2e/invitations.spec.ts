import { DEMO_PASSWORD, expect, invitationLink, signIn, test, USERS } from "./fixtures";

test("the set-up page exists only while there is no user", async ({ page }) => {
  const response = await page.goto("/setup");
  expect(response?.status()).toBe(404);
  await page.goto("/sign-in");
  await expect(page.getByRole("link", { name: "Set it up" })).toHaveCount(0);
});

test("a new user is invited: no sign-in before accepting; the link sets their password once", async ({ browser }) => {
  const email = `invited.${Date.now()}@keycenter.test`;
  const password = "Chosen-By-Them-2026";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.account);
  await admin.goto("/users/new");
  await expect(admin.getByLabel("Initial password")).toHaveCount(0);
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Name").fill("Invited Person");
  await admin.getByLabel("Organization").selectOption("merchant12379");
  await admin.getByLabel("Role").selectOption({ label: "Viewer" });
  await admin.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `${email} is invited.` })).toBeVisible();
  await expect(admin.getByText("This is the only time KeyCenter shows the link.")).toBeVisible();
  const link = await invitationLink(admin);
  await admin.getByRole("link", { name: "Back to Users" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(email.replace(/\./g, "\\.")) })).toContainText(
    "Invited (until",
  );

  // Before accepting there is no password to sign in with, not even the demo one.
  const person = await (await browser.newContext()).newPage();
  for (const guess of [password, DEMO_PASSWORD]) {
    await person.goto("/sign-in");
    await person.getByLabel("Email").fill(email);
    await person.getByLabel("Password").fill(guess);
    await person.getByRole("button", { name: "Sign in" }).click();
    await expect(person.getByRole("alert").filter({ hasText: "The email or password is not correct." })).toBeVisible();
  }

  await person.goto(link);
  await expect(person.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await expect(person.getByText(email)).toBeVisible();
  await person.getByLabel("New password").fill(password);
  await person.getByLabel("Confirm password").fill("Something-Else-2026");
  await person.getByRole("button", { name: "Set password" }).click();
  await expect(person.getByText("The two passwords differ.")).toBeVisible();
  await expect(person.getByLabel("Confirm password")).toHaveAttribute("aria-invalid", "true");
  await person.getByLabel("Confirm password").fill(password);
  await person.getByRole("button", { name: "Set password" }).click();
  await expect(person.getByRole("status")).toContainText("Your password is set.");
  await signIn(person, email, password);
  await expect(person.getByTestId("acting-org")).toHaveText("merchant12379");

  // One use only.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole("alert").filter({ hasText: "This invitation has been used already." })).toBeVisible();
  await expect(again.getByLabel("New password")).toHaveCount(0);

  await admin.reload();
  await expect(admin.getByRole("row", { name: new RegExp(email.replace(/\./g, "\\.")) })).toContainText("Active");
});

test("an administrator sends a new invitation; the earlier link stops working", async ({ browser }) => {
  const email = `reinvited.${Date.now()}@keycenter.test`;
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.account);
  await admin.goto("/users/new");
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Name").fill("Reinvited Person");
  await admin.getByLabel("Organization").selectOption("merchant12380");
  await admin.getByLabel("Role").selectOption({ label: "Viewer" });
  await admin.getByRole("button", { name: "Create user" }).click();
  const first = await invitationLink(admin);

  await admin.goto("/users");
  const row = admin.getByRole("row", { name: new RegExp(email.replace(/\./g, "\\.")) });
  await row.getByRole("button", { name: `Send a new invitation to ${email}` }).click();
  const second = await invitationLink(admin);
  expect(second).not.toBe(first);

  const person = await (await browser.newContext()).newPage();
  await person.goto(first);
  await expect(person.getByRole("alert").filter({ hasText: "A newer invitation replaced this one." })).toBeVisible();
  await person.goto(second);
  await expect(person.getByLabel("New password")).toBeVisible();
});
