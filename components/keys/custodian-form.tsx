"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { setKeyCustodianAction } from "@/lib/actions/keys/set-key-custodian";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";

/** Custodian (B6) on Key Information: pick the person who looks after the key, or nobody. */
export function CustodianForm({
  keyId,
  current,
  currentEmail,
  candidates,
}: {
  keyId: string;
  current: string | null;
  currentEmail: string | null;
  candidates: { id: string; email: string; name: string }[];
}) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(current ?? "");
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();

  function save() {
    setError(undefined);
    setSaved(false);
    start(async () => {
      const result = await withStepUp(() => setKeyCustodianAction({ keyId, custodianId: value }));
      if (!result.ok) {
        setError(result.error.fields?.custodianId ?? result.error.message);
        return;
      }
      setSaved(true);
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Custodian
        </label>
        <select
          id={id}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        >
          <option value="">No custodian</option>
          {current && !candidates.some((u) => u.id === current) && (
            <option value={current}>{currentEmail ?? current} (no longer available)</option>
          )}
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.email} ({u.name})
            </option>
          ))}
        </select>
        <Button variant="secondary" pending={pending} disabled={value === (current ?? "")} onClick={save}>
          Save custodian
        </Button>
        {saved && (
          <span role="status" className="text-sm text-green-700">
            Custodian saved.
          </span>
        )}
      </div>
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
