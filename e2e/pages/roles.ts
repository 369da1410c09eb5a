import { expect, type Page } from "@playwright/test";

/** Account Management > Roles and Edit User Role, with the guide's permission groups. */
export class RolesPage {
  constructor(readonly page: Page) {}

  readonly row = (roleName: string) =>
    this.page.getByRole("row", { name: new RegExp(roleName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
  readonly permission = (group: string, label: string) =>
    this.page.getByRole("group", { name: group }).getByLabel(label);
  readonly saved = () => this.page.getByRole("status").filter({ hasText: "The role has been saved." });

  async goto() {
    await this.page.goto("/roles");
    await expect(this.page.getByRole("heading", { name: "Roles", level: 1 })).toBeVisible();
  }

  /**
   * + Create role → Role name → Save, then on Edit User Role checks `permissions`
   * ({ "Key Management": ["View keys", ...] }) and saves.
   */
  async create(name: string, permissions: Record<string, string[]> = {}, description?: string) {
    await this.page.goto("/roles/new");
    await this.page.getByLabel("Role name").fill(name);
    if (description) await this.page.getByLabel("Description").fill(description);
    await this.page.getByRole("button", { name: "Save" }).click();
    await expect(this.page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
    if (Object.keys(permissions).length === 0) return;
    for (const [group, labels] of Object.entries(permissions)) {
      for (const label of labels) await this.permission(group, label).check();
    }
    await this.page.getByRole("button", { name: "Save" }).click();
    await expect(this.saved()).toBeVisible();
  }

  /** Roles → Edit <name> → (un)checks one permission → Save. */
  async setPermission(name: string, group: string, label: string, on: boolean) {
    await this.goto();
    await this.page.getByRole("link", { name: `Edit ${name}` }).click();
    const box = this.permission(group, label);
    if (on) await box.check();
    else await box.uncheck();
    await this.page.getByRole("button", { name: "Save" }).click();
    await expect(this.saved()).toBeVisible();
  }
}
