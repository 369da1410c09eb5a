import { expect, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";

export const DEMO_PASSWORD = "KeyCenter-demo-1";

/** The sign-in page: Email, Password, Sign in. */
export class SignInPage {
  constructor(readonly page: Page) {}

  readonly email = () => this.page.getByLabel("Email");
  readonly password = () => this.page.getByLabel("Password");
  readonly alert = (text: string) => this.page.getByRole("alert").filter({ hasText: text });

  async goto() {
    await this.page.goto("/sign-in");
    await waitForHydration(this.page);
  }

  /** Fills the form and presses Sign in, without waiting for any outcome. */
  async submit(email: string, password: string) {
    await this.goto();
    await this.email().fill(email);
    await this.password().fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Signs in and waits for the portal shell, hydrated. */
  async signIn(email: string, password = DEMO_PASSWORD) {
    await this.submit(email, password);
    await expect(this.page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await waitForHydration(this.page);
  }
}
