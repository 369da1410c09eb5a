import { expect, type Browser, type Page } from "@playwright/test";

/** Account Management > Users and + Create user (an invitation with a one-time link). */
export class UsersPage {
  constructor(readonly page: Page) {}

  readonly row = (email: string) =>
    this.page.getByRole("row", { name: new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });

  async goto() {
    await this.page.goto("/users");
  }

  /** + Create user with Email, Name, Organization and Role (its label); returns the invitation link's path. */
  async invite(person: { email: string; name: string; org: string; role: string }): Promise<string> {
    await this.page.goto("/users/new");
    await this.page.getByLabel("Email").fill(person.email);
    await this.page.getByLabel("Name").fill(person.name);
    await this.page.getByLabel("Organization").selectOption(person.org);
    await this.page.getByLabel("Role").selectOption({ label: person.role });
    await this.page.getByRole("button", { name: "Create user" }).click();
    return invitationLink(this.page);
  }

  /** Invites the person and accepts the invitation in a browser of their own: they can sign in with `password`. */
  async createUser(
    browser: Browser,
    person: { email: string; name: string; org: string; role: string },
    password: string,
  ) {
    await acceptInvitation(browser, await this.invite(person), password);
  }
}

/** After Create user: the invitation link the page shows once (its path: the server names its own host). */
export async function invitationLink(admin: Page): Promise<string> {
  const link = admin.getByRole("status", { name: "Invitation link", exact: true });
  await expect(link).toContainText("/invite/");
  return new URL((await link.textContent())!.trim()).pathname;
}

/** The invited person opens the link in a browser of their own and chooses their password. */
export async function acceptInvitation(browser: Browser, link: string, password: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();
  await page.context().close();
}
