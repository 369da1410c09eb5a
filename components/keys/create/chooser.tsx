"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createSharedSecretAction } from "@/lib/actions/keys/create-shared-secret-key";
import { KmsApiField, kmsApiChoice } from "./kms-api-field";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { CreateForm } from "@/lib/keys/types";
import { InstantKeyPanel } from "./instant-form";

export interface ChoosableType {
  type: string;
  label: string;
  description: string;
  createForm: CreateForm;
  /** Why it cannot be created now (retired, not allowed), shown instead of creating it. */
  unavailable?: string;
  /** What to know before Generate key (a portfolio user's shared secret is a meta key). */
  notice?: string;
  /** The guide's group on Create Key: "REST APIs", then the others. */
  group: string;
  /** May be created with "Key Management API" checked (the registry's `kmsApi`). */
  kmsApi?: boolean;
}

type Created = Extract<Awaited<ReturnType<typeof createSharedSecretAction>>, { ok: true }>["data"];

/** The Create Key page: choose a key type, click Generate key. */
export function CreateKeyChooser({ types }: { types: ChoosableType[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const [created, setCreated] = useState<Created>();
  const chosen = types.find((t) => t.type === selected);

  if (created) return <InstantKeyPanel label="REST – Shared Secret" created={created} />;

  function generate() {
    setError(undefined);
    if (!chosen) return setError("Choose a key type.");
    if (chosen.unavailable) return setError(chosen.unavailable);
    if (chosen.createForm !== "instant") return router.push(`/keys/new?type=${chosen.type}`);
    start(async () => {
      const r = await withStepUp(() => createSharedSecretAction(kmsApiChoice()));
      if (r.ok) setCreated(r.data);
      else setError(r.error.message);
    });
  }

  return (
    <div className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-5">
        <legend className="mb-2 text-sm font-medium text-slate-700">Key Type</legend>
        {groupsOf(types).map(([group, members]) => (
          <div key={group} role="group" aria-labelledby={`group-${group.replace(/\W+/g, "-")}`}>
            <h2 id={`group-${group.replace(/\W+/g, "-")}`} className="mb-2 text-base font-semibold">
              {group}
            </h2>
            <div className="grid gap-3 sm:grid-cols-2">
              {members.map((t) => (
                <label
                  key={t.type}
                  className={`flex cursor-pointer items-start gap-3 rounded-lg border bg-white p-4 ${selected === t.type ? "border-brand-600 ring-2 ring-brand-100" : "border-slate-200"}`}
                >
                  <input
                    type="radio"
                    name="type"
                    value={t.type}
                    checked={selected === t.type}
                    onChange={() => setSelected(t.type)}
                    className="mt-1"
                  />
                  <span>
                    <span className="block font-medium">{t.label}</span>
                    <span className="block text-sm text-slate-600">{t.description}</span>
                    {t.notice && <span className="mt-1 block text-sm text-violet-900">{t.notice}</span>}
                    {t.unavailable && <span className="mt-1 block text-sm text-amber-800">{t.unavailable}</span>}
                  </span>
                </label>
              ))}
            </div>
          </div>
        ))}
      </fieldset>
      {chosen?.notice && (
        <p role="note" className="rounded-md border border-violet-200 bg-violet-50 p-3 text-sm text-violet-900">
          {chosen.notice}
        </p>
      )}
      {chosen?.kmsApi && chosen.createForm === "instant" && !chosen.unavailable && <KmsApiField />}
      <FormError message={error} />
      <div>
        <Button onClick={generate} pending={pending}>
          Generate key
        </Button>
      </div>
    </div>
  );
}

/** The types by group, in the order of their first member ("REST APIs" first). */
function groupsOf(types: ChoosableType[]): [string, ChoosableType[]][] {
  const groups = new Map<string, ChoosableType[]>();
  for (const t of types) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  return [...groups];
}
