import { expect, type Page } from "@playwright/test";

/** Key Information: attributes, history, Deactivate, Delete, Edit Key (meta keys). */
export class KeyInformationPage {
  constructor(readonly page: Page) {}

  readonly attributes = () => this.page.getByRole("region", { name: "Attributes" });
  readonly deactivateButton = () => this.page.getByRole("button", { name: "Deactivate" });
  readonly deleteButton = () => this.page.getByRole("button", { name: "Delete" });
  /** The "Meta Key" attribute: No, All current and future MIDs, or Custom MID selection (n MIDs). */
  readonly metaKey = () => this.page.locator("dt", { hasText: /^Meta Key$/ }).locator("xpath=following-sibling::dd[1]");

  async open(keyId: string) {
    await this.page.goto(`/keys/${encodeURIComponent(keyId)}`);
    await expect(this.page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  }

  /** Deactivate → Deactivate key → Yes. */
  async deactivate() {
    await this.deactivateButton().click();
    const dialog = this.page.getByRole("alertdialog", { name: "Deactivate key" });
    await dialog.getByRole("button", { name: "Yes" }).click();
    return dialog;
  }
}

/** Edit Key (meta keys): Meta Key, All current and future MIDs / Custom MID selection, Remove <mid>, Submit. */
export class EditKeyPage {
  constructor(readonly page: Page) {}

  async open(keyId: string) {
    await new KeyInformationPage(this.page).open(keyId);
    await this.page.getByRole("link", { name: "Edit Key" }).click();
    await expect(this.page.getByRole("heading", { name: "Edit Key" })).toBeVisible();
  }

  async submit(expected: string | RegExp) {
    await this.page.getByRole("button", { name: "Submit" }).click();
    await expect(this.page.getByRole("status").filter({ hasText: expected })).toBeVisible();
  }
}
