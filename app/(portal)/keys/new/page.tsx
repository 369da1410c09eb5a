import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";
import { KEY_TYPES } from "@/lib/keys/types";

export const metadata: Metadata = { title: "Create Key" };

export default async function CreateKeyPage() {
  await requirePageSession("keys.create");
  return (
    <div className="flex flex-col gap-6">
      <ComingSoon
        title="Create Key"
        what="choose a key type and click Generate key. Certificate, shared-secret, PGP, Secure Acceptance and MLE keys are being wired into this page."
      />
      <section aria-labelledby="types" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="types" className="mb-3 font-semibold">
          Key types
        </h2>
        <ul className="grid gap-3 sm:grid-cols-2">
          {KEY_TYPES.filter((t) => t.creatable).map((t) => (
            <li key={t.type} className="rounded-md border border-slate-200 p-3">
              <p className="font-medium">{t.label}</p>
              <p className="text-sm text-slate-600">{t.description}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
