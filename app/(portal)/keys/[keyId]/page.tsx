import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeactivateKeyButton, DeleteKeyButton } from "@/components/keys/key-actions";
import { StatusBadge } from "@/components/keys/results-table";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { ENVIRONMENT_LABEL, formatDate, formatDateTime } from "@/lib/format";
import { custodianCandidates, getKeyInformation, keyPeople } from "@/lib/keys/lifecycle";
import { CustodianForm } from "@/components/keys/custodian-form";
import { RegenerateMetaKey } from "@/components/keys/regenerate-meta-key";
import { keyStatus } from "@/lib/keys/status";
import { keyType } from "@/lib/keys/types";
import { mayActFor } from "@/lib/orgs/hierarchy";
import { buttonClass } from "@/components/ui/button";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { metaCoverage } from "@/lib/keys/meta";
import { coverageTree } from "@/lib/keys/coverage-tree";
import { CoverageTree } from "@/components/keys/coverage-tree";
import { regenerationOf } from "@/lib/keys/queries";
import { pathId } from "@/lib/validation";

export const metadata: Metadata = { title: "Key Information" };

const ACTION_LABELS: Record<string, string> = {
  "key.create": "Created",
  "key.download": "Downloaded",
  "key.deactivate": "Deactivated",
  "key.delete": "Deleted",
  "key.meta.update": "Assignments changed",
  "key.custodian": "Custodian changed",
};

/** Type-specific attributes kept in `details`, in words; the PGP ones as the guide names them. */
const DETAIL_LABELS: Record<string, string> = {
  pgpKeyId: "Key ID",
  userIds: "User IDs",
  algorithm: "Algorithm",
  bits: "Key size (bits)",
  keyCreatedAt: "Key created",
  keyExpiresAt: "Key expires",
  encryptionKeyId: "Encryption subkey ID",
  encryptionKeyBits: "Encryption subkey size (bits)",
  encryptionKeyExpiresAt: "Encryption subkey expires",
  signatureVersion: "Signature Version",
  signatureMethod: "Signature Method",
  subject: "Subject",
  issuer: "Issuer",
  serialNumber: "Serial number",
  subjectSerialNumber: "Subject serial number",
  notBefore: "Valid from",
  notAfter: "Valid until",
  fingerprintSha256: "SHA-256 fingerprint",
  keyAlgorithm: "Key algorithm",
  keyBits: "Key size (bits)",
  format: "Format",
  source: "Source",
};
const DATE_DETAILS = new Set(["keyCreatedAt", "keyExpiresAt", "encryptionKeyExpiresAt", "notBefore", "notAfter"]);

function detailValue(k: string, v: unknown): string {
  if (DATE_DETAILS.has(k) && typeof v === "string" && !Number.isNaN(Date.parse(v))) return formatDateTime(new Date(v));
  return Array.isArray(v) ? v.join(", ") : String(v);
}

function detailRows(details: unknown): [string, string][] {
  if (!details || typeof details !== "object") return [];
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => [
      DETAIL_LABELS[k] ?? k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()),
      detailValue(k, v),
    ]);
}

export default async function KeyInformationPage({ params }: { params: Promise<{ keyId: string }> }) {
  const session = await requirePageSession("keys.view");
  const keyId = pathId((await params).keyId);
  const info = keyId ? await getKeyInformation(keyId) : null;
  // A key outside the caller's scope is "not found": no hint that it exists.
  if (!info || !mayActFor(session.userOrg, info.key.org)) notFound();
  const { key, history } = info;
  const spec = keyType(key.type);
  const status = keyStatus(key);
  // PGP keys also need Merchant Settings Permissions > PGP Security Settings (the server checks it too).
  const canDeactivate =
    spec.deactivatable &&
    status === "Active" &&
    hasPermission(session, "keys.deactivate", key.org) &&
    (!spec.extraPermission || hasPermission(session, spec.extraPermission, key.org));
  const canSetCustodian = hasPermission(session, "keys.create", key.org);
  const people = await keyPeople(key);
  const candidates = canSetCustodian ? await custodianCandidates(key.org) : [];
  const canDelete = hasPermission(session, "keys.delete", key.org);
  const canMeta =
    spec.metaCapable &&
    key.org.type !== "MERCHANT" &&
    hasPermission(session, "keys.meta", key.org) &&
    hasPermission(session, "keys.create", key.org);
  const coverage = await metaCoverage(key, key.org);
  const regeneratedAs = await regenerationOf(key.id);
  const tree = await coverageTree(key, key.org);

  const rows: [string, React.ReactNode][] = [
    [
      "Key ID",
      <span key="id" className="font-mono">
        {key.id}
      </span>,
    ],
    ["Name", key.name],
    ["Key Type", spec.label],
    [
      "Merchant",
      <span key="org" className="font-mono">
        {key.orgId}
      </span>,
    ],
    ["Environment", ENVIRONMENT_LABEL[key.environment]],
    ["Status", <StatusBadge key="status" status={status} />],
    ["Created", formatDateTime(key.createdAt)],
    ["Created by", people.createdBy ?? "—"],
    [
      "Custodian",
      canSetCustodian ? (
        <CustodianForm
          key="custodian"
          keyId={key.id}
          current={key.custodianId}
          currentEmail={people.custodian}
          candidates={candidates}
        />
      ) : (
        (people.custodian ?? "None")
      ),
    ],
    ["Expires", formatDateTime(key.expiresAt)],
    ...(key.deactivatedAt ? ([["Deactivated", formatDateTime(key.deactivatedAt)]] as [string, string][]) : []),
    [
      "Meta Key",
      coverage
        ? coverage.all
          ? `Yes: All current and future MIDs (${coverage.text} today)`
          : `Yes: Custom MID selection (${coverage.text})`
        : "No",
    ],
    ...(spec.kmsApi
      ? ([
          [
            "Key Management API",
            key.kmsApi ? "Yes: may create, find and retire keys through the Key Management API" : "No",
          ],
        ] as [string, string][])
      : []),
    ...(key.regeneratedFromId
      ? ([
          [
            "Regenerated from",
            <Link
              key="from"
              href={`/keys/${encodeURIComponent(key.regeneratedFromId)}`}
              className="font-mono underline"
            >
              {key.regeneratedFromId}
            </Link>,
          ],
        ] as [string, React.ReactNode][])
      : []),
    ...(regeneratedAs
      ? ([
          [
            "Regenerated as",
            <Link key="as" href={`/keys/${encodeURIComponent(regeneratedAs.id)}`} className="font-mono underline">
              {regeneratedAs.id}
            </Link>,
          ],
        ] as [string, React.ReactNode][])
      : []),
    ...(key.fingerprint ? ([["Fingerprint", key.fingerprint]] as [string, string][]) : []),
    ...(spec.detailsHeading ? [] : detailRows(key.details)),
    ["Last used", key.lastUsedAt ? `${formatDateTime(key.lastUsedAt)} (${key.useCount} requests)` : "Never"],
  ];

  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/keys" className="text-brand-700 underline">
          Key Management
        </Link>{" "}
        / Key Information
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Key Information</h1>
        <div className="ml-auto flex gap-2">
          {canMeta && (
            <Link href={`/keys/${encodeURIComponent(key.id)}/edit`} className={buttonClass("secondary")}>
              Edit Key
            </Link>
          )}
          {canMeta && key.metaScope && !key.deletedAt && (
            // Keyed by the key: View key information in its window opens another key's page.
            <RegenerateMetaKey
              key={key.id}
              target={{
                keyId: key.id,
                typeLabel: spec.label,
                instant: spec.createForm === "instant",
                scope: key.metaScope,
                assigned: coverage && !coverage.all ? coverage.text : undefined,
                expires: formatDate(key.expiresAt),
                done: regeneratedAs !== null,
              }}
            />
          )}
          {canDeactivate && <DeactivateKeyButton keyId={key.id} />}
          {canDelete && <DeleteKeyButton keyId={key.id} afterDelete="/keys" />}
        </div>
      </div>
      <section aria-labelledby="attributes" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="attributes" className="sr-only">
          Attributes
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-medium text-slate-500">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
        {key.certificatePem && (
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer text-brand-700">Certificate (PEM)</summary>
            <ScrollRegion label="Certificate (PEM)" className="mt-2 rounded bg-slate-50">
              <pre className="p-3 text-xs">{key.certificatePem}</pre>
            </ScrollRegion>
          </details>
        )}
        {key.publicKey && (
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer text-brand-700">Public key</summary>
            <ScrollRegion label="Public key" className="mt-2 rounded bg-slate-50">
              <pre className="p-3 text-xs">{key.publicKey}</pre>
            </ScrollRegion>
          </details>
        )}
      </section>
      {spec.detailsHeading && detailRows(key.details).length > 0 && (
        <section aria-labelledby="type-details" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="type-details" className="mb-3 text-lg font-semibold">
            {spec.detailsHeading}
          </h2>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
            {detailRows(key.details).map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="font-medium text-slate-500">{label}</dt>
                <dd className="break-all">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      {tree && <CoverageTree key={`${key.metaScope}-${tree.total}-${tree.covered}`} keyId={key.id} initial={tree} />}
      <section aria-labelledby="history" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="history" className="mb-3 text-lg font-semibold">
          History
        </h2>
        {history.length === 0 ? (
          <p className="text-sm text-slate-500">No recorded changes yet.</p>
        ) : (
          <ol className="flex flex-col gap-2 text-sm">
            {history.map((h) => (
              <li key={String(h.seq)} className="flex flex-wrap gap-x-3">
                <span className="text-slate-500">{formatDateTime(h.at)}</span>
                <span className="font-medium">{ACTION_LABELS[h.action] ?? h.action}</span>
                <span>by {h.actorEmail ?? "system"}</span>
                {h.result !== "success" && <span className="text-red-700">({h.result})</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
      <p className="text-xs text-slate-500">Dates are in UTC. Expires: {formatDate(key.expiresAt)}.</p>
    </div>
  );
}
