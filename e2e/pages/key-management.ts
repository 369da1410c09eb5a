import { expect, type Page } from "@playwright/test";

/** Payment Configuration > Key Management: the guide's Search Filters and Search Results. */
export class KeyManagementPage {
  constructor(readonly page: Page) {}

  readonly results = () => this.page.getByRole("table");
  readonly rows = () => this.results().locator("tbody tr");
  readonly row = (keyId: string) =>
    this.rows().filter({ has: this.page.getByRole("link", { name: keyId, exact: true }) });
  readonly noMatch = () => this.page.getByText("No keys match these filters.");
  readonly filter = (
    label:
      | "Created At"
      | "Expires In"
      | "Key ID"
      | "Key Status"
      | "Key Type"
      | "Merchant"
      | "Number of Records Per Page"
      | "Sort Order",
  ) => this.page.getByLabel(label, { exact: true });

  /** Opens Key Management from the main navigation (the default search). */
  async open() {
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Key Management" }).click();
    await expect(this.page.getByRole("heading", { name: "Key Management" })).toBeVisible();
  }

  /** Opens a search by its URL parameters, e.g. { type: "PGP", expiresIn: "all", keyId }. */
  async goto(params: Record<string, string> = {}) {
    await this.page.goto(`/keys?${new URLSearchParams(params)}`);
    await expect(this.page.getByRole("heading", { name: "Key Management" })).toBeVisible();
  }

  /** Sets filters by their visible labels (selects by option label, text fields by value), then Search. */
  async search(
    filters: {
      keyType?: string;
      expiresIn?: string;
      keyStatus?: string;
      sortOrder?: string;
      keyId?: string;
      merchant?: string;
    } = {},
  ) {
    if (filters.keyType) await this.filter("Key Type").selectOption({ label: filters.keyType });
    if (filters.expiresIn) await this.filter("Expires In").selectOption({ label: filters.expiresIn });
    if (filters.keyStatus) await this.filter("Key Status").selectOption({ label: filters.keyStatus });
    if (filters.sortOrder) await this.filter("Sort Order").selectOption({ label: filters.sortOrder });
    if (filters.keyId !== undefined) await this.filter("Key ID").fill(filters.keyId);
    if (filters.merchant !== undefined) await this.filter("Merchant").fill(filters.merchant);
    await this.page.getByRole("button", { name: "Search" }).click();
  }

  async reset() {
    await this.page.getByRole("link", { name: "Reset Search" }).click();
  }

  /** The Key IDs listed on this page of results, in order. */
  async keyIds(): Promise<string[]> {
    await expect(this.page.getByRole("status").filter({ hasText: /^(Showing|No keys)/ })).toBeVisible();
    return this.rows().locator("td:first-child").allTextContents();
  }

  /** The Key IDs of `ours` in the order the results list them (others' keys left out). */
  async orderOf(ours: string[]): Promise<string[]> {
    const listed = await this.keyIds();
    return listed.filter((id) => ours.includes(id));
  }

  /** How many keys the search found, over all pages ("Showing 1–25 of N keys"). */
  async total(): Promise<number> {
    const status = this.page.getByRole("status").filter({ hasText: /^(Showing|No keys)/ });
    const text = (await status.textContent()) ?? "";
    return Number(/of (\d+) keys?/.exec(text)?.[1] ?? 0);
  }

  async expectListed(keyId: string) {
    await expect(this.results().getByRole("link", { name: keyId, exact: true })).toBeVisible();
  }

  /** Delete key → Delete Confirmation → Delete, from the row of `keyId` (which must be listed). */
  async deleteKey(keyId: string) {
    await this.row(keyId)
      .getByRole("button", { name: `Delete key ${keyId}` })
      .click();
    const dialog = this.page.getByRole("alertdialog", { name: "Delete Confirmation" });
    await expect(dialog).toContainText(keyId);
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(dialog).toBeHidden();
  }

  /** Finds `keyId` (any type, any date) and deletes it: a test's clean-up of the keys it made. */
  async findAndDelete(keyId: string, params: Record<string, string> = {}) {
    await this.goto({ expiresIn: "all", keyId, ...params });
    for (const type of ["ALL", "PGP", "SECURE_ACCEPTANCE", "REST_RESPONSE_MLE", "TOKEN_MANAGEMENT_MLE"]) {
      if (type !== "ALL") await this.goto({ expiresIn: "all", keyId, type, ...params });
      if ((await this.row(keyId).count()) > 0) return this.deleteKey(keyId);
    }
  }
}
