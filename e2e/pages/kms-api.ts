import { type APIRequestContext, expect } from "@playwright/test";
import { type KmsCreds, signedHeaders } from "../../tests/helpers/kms";

interface Entry {
  organizationId: string;
  keyId?: string;
  key?: string;
  status: string;
  message?: string;
}

/**
 * The Key Management API from a flow (issue 15): a flow sets its keys up with requests signed
 * as the official SDK signs them (HTTP Signature, Host apitest.cybersource.com, as the SDK sends
 * to an intermediate host) instead of clicking through Create Key for each. Its key is one made
 * in the portal with "Key Management API" checked.
 */
export class KmsApi {
  constructor(
    private readonly request: APIRequestContext,
    private readonly creds: KmsCreds,
  ) {}

  private async send(method: "GET" | "POST", path: string, body?: unknown) {
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), "utf8");
    const response = await this.request.fetch(path, {
      method,
      headers: signedHeaders(this.creds, method, path, bytes),
      data: body === undefined ? undefined : bytes,
    });
    const text = await response.text();
    return { status: response.status(), text, json: JSON.parse(text || "null") as Record<string, unknown> | null };
  }

  /** A REST – Shared Secret for each organization, in one call (SymmetricKeyManagementApi.createV2SharedSecretKeys). */
  async createSharedSecrets(
    organizationIds: string[],
    referenceNumber: string,
  ): Promise<{ organizationId: string; keyId: string; secret: string }[]> {
    const r = await this.send("POST", "/kms/v2/keys-sym", {
      keyInformation: organizationIds.map((organizationId) => ({ organizationId, referenceNumber })),
    });
    expect(r.status, r.text).toBe(201);
    const entries = r.json!.keyInformation as Entry[];
    expect(
      entries.map((e) => e.status),
      r.text,
    ).toEqual(organizationIds.map(() => "ACTIVE"));
    return entries.map((e) => ({ organizationId: e.organizationId, keyId: e.keyId!, secret: e.key! }));
  }

  /** Deletes shared secrets (POST /kms/v2/keys-sym/deletes); every entry must succeed. */
  async deleteSharedSecrets(keys: { organizationId: string; keyId: string }[]): Promise<void> {
    const r = await this.send("POST", "/kms/v2/keys-sym/deletes", {
      keyInformation: keys.map(({ organizationId, keyId }) => ({ organizationId, keyId })),
    });
    expect(r.status, r.text).toBe(200);
    expect(
      (r.json!.keyInformation as Entry[]).every((e) => e.status !== "FAILED"),
      r.text,
    ).toBe(true);
  }
}
