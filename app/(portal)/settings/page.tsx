import type { Metadata } from "next";
import { MetaSwitch } from "@/components/settings/meta-switch";
import { MfaRequirement } from "@/components/settings/mfa-requirement";
import { SecurityProfilesTable } from "@/components/settings/security-profiles-table";
import { WebhookSettings } from "@/components/settings/webhook-settings";
import { ALERT_THRESHOLDS_TEXT } from "@/lib/alerts/thresholds";
import { requirePageSession } from "@/lib/auth/page";
import { metaKeyImpact, mfaRequiredBy, orgSettingsOf, securityProfilesOf } from "@/lib/orgs/settings";
import { Panel } from "@/components/ui/panel";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await requirePageSession("settings.manage");
  const org = session.actingOrg;
  const [settings, profiles, mfaBy] = await Promise.all([
    orgSettingsOf(org.id),
    securityProfilesOf(org.id),
    mfaRequiredBy(org),
  ]);
  const mfaHere = settings?.requireMfa === true;
  const enabled = settings?.metaKeysEnabled !== false;
  const impact = org.type !== "MERCHANT" ? await metaKeyImpact(org) : null;
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <p className="text-sm text-slate-600">
        For <span className="font-mono">{org.id}</span> · {org.name}
      </p>
      {impact && (
        <Panel id="meta" title="Meta keys">
          <p className="text-sm" role="status">
            The meta key feature is <strong>{enabled ? "on" : "off"}</strong>.{" "}
            {enabled
              ? `${impact.keys} active meta key${impact.keys === 1 ? " serves" : "s serve"} ${impact.midsText}.`
              : "Nobody here can create meta keys, and the gateway refuses transactions signed with them."}
          </p>
          <div>
            <MetaSwitch enabled={enabled} keys={impact.keys} mids={impact.midsText} />
          </div>
        </Panel>
      )}
      <Panel id="mfa" title="Two-step verification">
        <p className="text-sm" role="status">
          {mfaHere ? (
            <>
              Required of everyone in <span className="font-mono">{org.id}</span> and below it.
            </>
          ) : mfaBy ? (
            <>
              Required by <span className="font-mono">{mfaBy}</span> for everyone below it, including{" "}
              <span className="font-mono">{org.id}</span>.
            </>
          ) : (
            <>Not required: people choose whether to set up a second factor under Account &gt; Security.</>
          )}
        </p>
        <div>
          <MfaRequirement orgId={org.id} required={mfaHere} />
        </div>
      </Panel>
      <Panel id="webhook" title="Expiry alert webhook">
        <p className="text-sm text-slate-600">
          {ALERT_THRESHOLDS_TEXT} days before a key expires, KeyCenter notifies the organization&apos;s administrators
          by email and in Notifications, and POSTs a signed event to this webhook when one is set up (retried with
          backoff).
        </p>
        <WebhookSettings
          url={settings?.webhookUrl ?? null}
          hasSecret={Boolean(settings?.webhookSecret)}
          secretCreatedAt={settings?.webhookSecretCreatedAt?.toISOString() ?? null}
        />
      </Panel>
      <Panel id="profiles" title="Security profiles">
        {profiles.length === 0 ? (
          <p className="text-sm text-slate-600">No Secure Acceptance security profiles for this organization.</p>
        ) : (
          <SecurityProfilesTable rows={profiles.map((p) => ({ id: p.id, name: p.name }))} />
        )}
      </Panel>
    </div>
  );
}
