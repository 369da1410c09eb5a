import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CoverageTree } from "@/components/keys/coverage-tree";
import { EditMetaForm } from "@/components/keys/edit-meta-form";
import { coverageTree } from "@/lib/keys/coverage-tree";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { keyWithOrg } from "@/lib/keys/queries";
import { keyType } from "@/lib/keys/types";
import { mayActFor } from "@/lib/orgs/hierarchy";
import { pathId } from "@/lib/validation";

export const metadata: Metadata = { title: "Edit Key" };

export default async function EditKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const session = await requirePageSession("keys.meta");
  const keyId = pathId((await params).keyId);
  const key = keyId ? await keyWithOrg(keyId) : null;
  if (!key || key.deletedAt || !mayActFor(session.userOrg, key.org) || !hasPermission(session, "keys.meta", key.org)) {
    notFound();
  }
  const spec = keyType(key.type);
  const eligible = spec.metaCapable && key.org.type !== "MERCHANT";
  const tree = eligible ? await coverageTree(key, key.org) : null;
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/keys" className="text-brand-700 underline">
          Key Management
        </Link>{" "}
        /{" "}
        <Link href={`/keys/${encodeURIComponent(key.id)}`} className="text-brand-700 underline">
          Key Information
        </Link>{" "}
        / Edit Key
      </nav>
      <h1 className="text-2xl font-semibold">Edit Key</h1>
      <p className="text-sm text-slate-600">
        <span className="font-mono">{key.id}</span> · {key.name} · {spec.label} · owned by{" "}
        <span className="font-mono">{key.orgId}</span>
      </p>
      {eligible ? (
        <>
          <EditMetaForm keyId={key.id} scope={key.metaScope} />
          {tree && (
            <CoverageTree key={`${key.metaScope}-${tree.total}-${tree.covered}`} keyId={key.id} initial={tree} />
          )}
        </>
      ) : (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          Only REST, Simple Order and SOAP keys of a portfolio or merchant account can be meta keys.
        </p>
      )}
    </div>
  );
}
