import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MetaAwareForm } from "@/components/keys/create/meta-aware-form";
import { CreateKeyChooser, type ChoosableType } from "@/components/keys/create/chooser";
import { PublicKeyForm } from "@/components/keys/create/public-key-form";
import { SecureAcceptanceForm } from "@/components/keys/create/secure-acceptance-form";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { creatability, SHARED_SECRET_MERCHANT_ONLY } from "@/lib/keys/secret-keys";
import { META_DISABLED_MESSAGE } from "@/lib/keys/meta";
import { custodianCandidates } from "@/lib/keys/lifecycle";
import { metaKeyToRegenerate } from "@/lib/keys/queries";
import { KEY_TYPES, keyType, type KeyTypeSpec } from "@/lib/keys/types";
import { orgSettingsOf, securityProfilesOf } from "@/lib/orgs/settings";
import { mayActFor, orgRef, type OrgRef } from "@/lib/orgs/hierarchy";
import { firstParam, hasUnsupportedCharacters } from "@/lib/validation";

export const metadata: Metadata = { title: "Create Key" };

export default async function CreateKeyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("keys.create");
  const params = await searchParams;
  const type = firstParam(params, "type");
  const regenerate = firstParam(params, "regenerate");
  // A key ID no key can have (too long, unsupported characters) is not found, like a missing one.
  if (regenerate && (regenerate.length > 200 || hasUnsupportedCharacters(regenerate))) notFound();
  // Regenerate meta key: same type, org and assignments as a meta key of the org acted for or
  // one below it, for a person who may manage meta keys and create keys there.
  const original = regenerate ? await metaKeyToRegenerate(regenerate) : null;
  if (
    regenerate &&
    (!original ||
      !mayActFor(session.userOrg, original.org) ||
      !hasPermission(session, "keys.meta", original.org) ||
      !hasPermission(session, "keys.create", original.org))
  )
    notFound();
  const org: OrgRef = original ? orgRef(original.org) : session.actingOrg;
  const requested = original ? keyType(original.type) : KEY_TYPES.find((t) => t.type === type && t.creatable);
  const settings = await orgSettingsOf(org.id);
  const metaOn = settings?.metaKeysEnabled !== false;
  // Portfolio and account users may make meta keys (the feature on, Manage meta keys in the role).
  const mayMeta = org.type !== "MERCHANT" && hasPermission(session, "keys.meta") && metaOn;
  const metaEligible = !original && !!requested?.metaCapable && mayMeta;
  // Their REST – Shared Secret can only be a meta key (the registry's metaOnlyAboveMerchant):
  // said before Generate key, never after.
  const metaOnlyRefusal =
    org.type !== "MERCHANT" && !mayMeta
      ? `${SHARED_SECRET_MERCHANT_ONLY} ${metaOn ? "Your role does not include Manage meta keys." : META_DISABLED_MESSAGE}`
      : undefined;
  const metaOffNote =
    org.type !== "MERCHANT" && !metaOn ? (
      <p role="note" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        Meta keys are turned off for <span className="font-mono">{org.id}</span>: keys created here are not meta keys,
        and a REST – Shared Secret key cannot be created here. An administrator can turn meta keys on under Settings.
      </p>
    ) : null;

  const header = (
    <div className="flex flex-col gap-1">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/keys" className="text-brand-700 underline">
          Key Management
        </Link>{" "}
        / Create Key
      </nav>
      <h1 className="text-2xl font-semibold">
        {original ? "Regenerate meta key" : requested ? `Create Key: ${requested.label}` : "Create Key"}
      </h1>
      <p className="text-sm text-slate-600">
        For <span className="font-mono">{org.id}</span> in the {session.environment === "TEST" ? "test" : "production"}{" "}
        environment.
      </p>
    </div>
  );

  if (!requested) {
    const types: ChoosableType[] = KEY_TYPES.filter((t) => t.creatable).map((t) => {
      const c = creatability({ type: t.type, environment: session.environment });
      const permitted = !t.extraPermission || hasPermission(session, t.extraPermission);
      return {
        type: t.type,
        label: t.label,
        description: t.description,
        group: t.label.startsWith("REST") ? "REST APIs" : "Other key types",
        notice:
          t.metaOnlyAboveMerchant && org.type !== "MERCHANT" && mayMeta
            ? `Portfolio and account users create a ${t.label} key as a meta key: after Generate key you choose its merchant IDs.`
            : undefined,
        kmsApi: t.kmsApi === true,
        // Portfolio and account users get the Key options window on the type's page.
        createForm:
          t.createForm === "instant" && t.metaCapable && org.type !== "MERCHANT" ? "certificate" : t.createForm,
        unavailable: !c.creatable
          ? c.message
          : !permitted
            ? "Your role does not include PGP Security Settings."
            : t.metaOnlyAboveMerchant
              ? metaOnlyRefusal
              : undefined,
      };
    });
    return (
      <div className="flex flex-col gap-6">
        {header}
        {metaOffNote}
        <CreateKeyChooser types={types} />
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      {header}
      <p className="text-sm text-slate-600">{requested.description}</p>
      {original && (
        <p className="rounded-md border border-violet-200 bg-violet-50 p-3 text-sm text-violet-900" role="note">
          A new {requested.label} key for the same merchant IDs as <span className="font-mono">{original.id}</span> (
          {original.metaScope === "ALL"
            ? "All current and future Merchant IDs"
            : `${original._count.assignments} merchant IDs`}
          ). The original stays active until its own expiration date.
        </p>
      )}
      {metaOffNote}
      {original?.regeneratedAs ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          Meta key <span className="font-mono">{original.id}</span> was already regenerated as{" "}
          <Link href={`/keys/${encodeURIComponent(original.regeneratedAs.id)}`} className="font-mono underline">
            {original.regeneratedAs.id}
          </Link>
          .
        </p>
      ) : requested.metaOnlyAboveMerchant && !original && metaOnlyRefusal ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          {metaOnlyRefusal}
        </p>
      ) : (
        <CreateForm
          type={requested.type}
          org={org}
          metaEligible={metaEligible}
          metaRequired={requested.metaOnlyAboveMerchant === true && org.type !== "MERCHANT"}
          extra={original ? { regenerateFrom: original.id } : undefined}
        />
      )}
      <p className="text-sm">
        <Link href="/keys/new" className="text-brand-700 underline">
          Choose another key type
        </Link>
      </p>
    </div>
  );
}

async function CreateForm({
  type,
  org,
  metaEligible,
  metaRequired,
  extra,
}: {
  type: KeyTypeSpec["type"];
  org: OrgRef;
  metaEligible: boolean;
  metaRequired: boolean;
  extra?: Record<string, string>;
}) {
  const spec = keyType(type);
  const custodians = (await custodianCandidates(org)).map(({ id, email, name }) => ({ id, email, name }));
  switch (spec.createForm) {
    case "instant":
      return (
        <MetaAwareForm
          metaEligible={metaEligible}
          metaRequired={metaRequired}
          extra={extra}
          instant={{ label: spec.label }}
        />
      );
    case "secure-acceptance": {
      const profiles = await securityProfilesOf(org.id);
      return (
        <SecureAcceptanceForm profiles={profiles.map((p) => ({ id: p.id, name: p.name }))} custodians={custodians} />
      );
    }
    case "public-key":
      return (
        <PublicKeyForm
          type={spec.type}
          typeLabel={spec.label}
          pasteLabel={spec.pasteLabel ?? "Public key"}
          submitLabel={spec.createButton ?? "Create key"}
          custodians={custodians}
        />
      );
    case "certificate":
      return (
        <MetaAwareForm
          metaEligible={metaEligible}
          extra={extra}
          certificate={{
            type: spec.type,
            typeLabel: spec.label,
            passwordTitle: spec.passwordTitle ?? "Set a Password",
            generateLabel: spec.createButton ?? "Generate key",
            pasteLabel: spec.pasteLabel,
            custodians,
            kmsApi: spec.kmsApi,
          }}
        />
      );
    default:
      return <p role="alert">Keys of this type cannot be created here.</p>;
  }
}
