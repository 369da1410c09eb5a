import { acceptInvitation, expect, invitationLink, signIn, test, uniqueEmail, USERS } from "./fixtures";

test("an admin creates a user, who signs in; disabling them ends their session at once", async ({ browser }) => {
  const email = uniqueEmail("new.viewer");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.portfolio);
  await admin.goto("/users");
  await admin.getByRole("link", { name: "+ Create user" }).click();
  await admin.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByText("Enter an email.")).toBeVisible();
  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Name").fill("New Viewer");
  await admin.getByLabel("Organization").selectOption("merchant12379");
  await admin.getByLabel("Role").selectOption({ label: "Viewer" });
  await admin.getByRole("button", { name: "Create user" }).click();
  await acceptInvitation(browser, await invitationLink(admin), "Welcome-to-KeyCenter-9");
  await admin.getByRole("link", { name: "Back to Users" }).click();
  await expect(admin).toHaveURL(/\/users$/);
  const row = admin.getByRole("row", { name: email });
  await expect(row).toContainText("merchant12379");
  await expect(row).toContainText("Viewer");

  const user = await (await browser.newContext()).newPage();
  await signIn(user, email, "Welcome-to-KeyCenter-9");
  await expect(user.getByTestId("acting-org")).toHaveText("merchant12379");

  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await admin.getByRole("alertdialog", { name: "Disable user" }).getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("Disabled");
  await user.reload();
  await expect(user).toHaveURL(/\/sign-in$/);
});
