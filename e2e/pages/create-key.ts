import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

/** The type names on Create Key, as the guide writes them. */
export type KeyTypeLabel =
  | "REST – Certificate"
  | "REST – Shared Secret"
  | "REST – API Response MLE"
  | "PGP"
  | "Secure Acceptance"
  | "Simple Order API"
  | "SOAP Toolkit"
  | "Message-Level Encryption";

/** + Generate key (Create Key): choose a type, then that type's form. Each `create…` returns what the page showed once. */
export class CreateKeyPage {
  constructor(readonly page: Page) {}

  readonly ready = (typeLabel: string) =>
    this.page.getByRole("status").filter({ hasText: `Your ${typeLabel} key is ready` });
  readonly shown = (label: string) => this.page.getByLabel(label, { exact: true });

  /**
   * Create Key → the type's radio → Generate key (the type's form, or for instant types the key
   * itself); `kmsApi` checks "Key Management API" first (an instant type's box is on Create Key).
   */
  async choose(typeLabel: KeyTypeLabel, { kmsApi = false }: { kmsApi?: boolean } = {}) {
    await this.page.goto("/keys/new");
    await this.page.getByRole("radio", { name: new RegExp(`^${typeLabel}`) }).check();
    if (kmsApi) await this.page.getByLabel("Key Management API").check();
    await this.page.getByRole("button", { name: "Generate key" }).click();
  }

  /** The Key options window of portfolio and account users: Create as a Meta-Key or not, then Continue. */
  async keyOptions(meta: boolean) {
    const dialog = this.page.getByRole("dialog", { name: "Key options" });
    await expect(dialog).toBeVisible();
    // A portfolio or account REST – Shared Secret is always a meta key: its box is checked and fixed.
    const box = dialog.getByLabel("Create as a Meta-Key");
    if (meta && !(await box.isChecked())) await box.check();
    if (!meta) await expect(box).not.toBeChecked();
    await dialog.getByRole("button", { name: "Continue" }).click();
  }

  /**
   * REST – Shared Secret for a transacting MID user: the key ID and the secret, shown once;
   * `kmsApi`: made with "Key Management API" checked (a KmsApi fixture can then use it).
   */
  async createSharedSecret(options: { kmsApi?: boolean } = {}): Promise<{ keyId: string; secret: string }> {
    await this.choose("REST – Shared Secret", options);
    await expect(this.ready("REST – Shared Secret")).toBeVisible();
    return {
      keyId: (await this.shown("Key").textContent())!,
      secret: (await this.shown("Shared Secret").textContent())!,
    };
  }

  /** PGP: pastes an ASCII-armored public key, optionally named. Returns the key ID. */
  async createPgp(armored: string, name?: string): Promise<string> {
    await this.choose("PGP");
    if (name) await this.page.getByLabel("Key Name (optional)").fill(name);
    await this.page.getByLabel("PGP public key (ASCII-armored)").fill(armored);
    await this.page.getByRole("button", { name: "Create key" }).click();
    await expect(this.ready("PGP")).toBeVisible();
    return (await this.shown("Key ID").textContent())!;
  }

  /** Secure Acceptance: Key Name and Security Profile; returns the access key and the secret key. */
  async createSecureAcceptance(name: string, profile: string): Promise<{ accessKey: string; secretKey: string }> {
    await this.choose("Secure Acceptance");
    await this.page.getByLabel("Key Name").fill(name);
    await this.page.getByLabel("Security Profile").selectOption({ label: profile });
    await this.page.getByRole("button", { name: "Generate Key" }).click();
    await expect(this.ready("Secure Acceptance")).toBeVisible();
    return {
      accessKey: (await this.shown("Access Key").textContent())!,
      secretKey: (await this.shown("Secret Key").textContent())!,
    };
  }

  /**
   * Certificate types (REST – Certificate, REST – API Response MLE, Simple Order API): Download key →
   * the password window (`title`, `button` as the guide names them) → a .p12 saved to a temporary file.
   */
  async createP12(
    typeLabel: "REST – Certificate" | "REST – API Response MLE" | "Simple Order API",
    password: string,
  ): Promise<{ keyId: string; file: string; filename: string }> {
    const simpleOrder = typeLabel === "Simple Order API";
    await this.choose(typeLabel);
    await expect(this.page.getByRole("heading", { name: `Create Key: ${typeLabel}` })).toBeVisible();
    await this.page.getByRole("button", { name: "Download key" }).first().click();
    const dialog = this.page.getByRole("dialog", { name: simpleOrder ? "Set Password" : "Set a Password" });
    await dialog.getByLabel("New Password").fill(password);
    await dialog.getByLabel("Confirm Password").fill(password);
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      dialog.getByRole("button", { name: simpleOrder ? "Generate Key" : "Generate key" }).click(),
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "kc-p12-")), download.suggestedFilename());
    await download.saveAs(file);
    return { keyId: (await this.shown("Key ID").textContent())!, file, filename: download.suggestedFilename() };
  }
}
