"use client";

import { useId } from "react";
import { FieldNotes } from "@/components/ui/field";

/** A labelled .p12 file input with its hint and error beside it (aria-invalid + aria-describedby). */
export function P12Field({ label, name, hint, error }: { label: string; name: string; hint?: string; error?: string }) {
  const id = useId();
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="file"
        name={name}
        accept=".p12,application/x-pkcs12"
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className="text-sm"
      />
      <div className="break-words">
        <FieldNotes id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}
