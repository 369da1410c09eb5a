import { describe, expect, it } from "vitest";
import { instanceInfo } from "@/lib/info";
import pkg from "@/package.json";

describe("instance info (/api/info)", () => {
  it("says a production server without KEYCENTER_ALLOW_LOCAL_WEBHOOKS refuses local webhooks", () => {
    const info = instanceInfo({ NODE_ENV: "production" });
    expect(info).toEqual({
      app: "KeyCenter",
      version: pkg.version,
      mode: "production",
      switches: { localWebhooks: false, alertRunner: true, smtp: false, embeddedDatabase: false },
    });
  });

  it("reports the switches the e2e server sets", () => {
    const info = instanceInfo({
      NODE_ENV: "production",
      KEYCENTER_ALLOW_LOCAL_WEBHOOKS: "1",
      KEYCENTER_ALERTS: "0",
      KEYCENTER_EMBEDDED_DB: "1",
    });
    expect(info.switches).toEqual({ localWebhooks: true, alertRunner: false, smtp: false, embeddedDatabase: true });
    expect(instanceInfo({ NODE_ENV: "development" }).switches.localWebhooks).toBe(true);
  });

  it("never carries a value from the environment, only whether it is set", () => {
    const secrets = {
      NODE_ENV: "production",
      SMTP_URL: "smtp://user:s3cret-pass@mail.example.com:587",
      DATABASE_URL: "postgresql://admin:db-pass@db.example.com/keycenter",
      KEYCENTER_MASTER_KEY: "bWFzdGVyLWtleS1tYXN0ZXIta2V5LW1hc3Rlci1rZXkh",
      BETTER_AUTH_SECRET: "auth-secret-auth-secret",
    };
    const text = JSON.stringify(instanceInfo(secrets));
    expect(instanceInfo(secrets).switches.smtp).toBe(true);
    for (const value of Object.values(secrets).slice(1)) expect(text).not.toContain(value);
    expect(text).not.toMatch(/s3cret|db-pass|example\.com/);
  });
});
