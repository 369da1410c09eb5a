"use client";

import Link from "next/link";
import { useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { saveFile } from "./download";

/** A value with a copy button. */
export function CopyField({ label, value, secret }: { label: string; value: string; secret?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-col gap-1">
      <span className="text-sm font-medium text-slate-700" id={`copy-${label.replace(/\W+/g, "-")}`}>
        {label}
      </span>
      <div className="flex items-start gap-2">
        <output
          aria-labelledby={`copy-${label.replace(/\W+/g, "-")}`}
          className={`min-w-0 flex-1 break-all rounded-md border px-3 py-2 font-mono text-sm ${secret ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-slate-50"}`}
        >
          {value}
        </output>
        <Button
          variant="secondary"
          aria-label={`Copy ${label}`}
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => {});
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}

/** After a creation: the new key, its one-time secrets, Download key and Generate another key. */
export function CreatedKeyPanel({
  title,
  keyId,
  fields,
  download,
  oneTime,
  children,
}: {
  title: string;
  keyId: string;
  fields: { label: string; value: string; secret?: boolean }[];
  download?: { filename: string; content: string | Uint8Array; contentType: string };
  oneTime?: boolean;
  /** What comes next, under the values (the CSR's .p12 commands). */
  children?: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby="created"
      className="flex flex-col gap-4 rounded-lg border border-emerald-200 bg-white p-6"
    >
      <div role="status">
        <h2 id="created" className="text-lg font-semibold text-emerald-800">
          {title}
        </h2>
      </div>
      {oneTime && (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Treat these like passwords. This is the only time KeyCenter shows them: copy them or click Download key now.
        </p>
      )}
      {fields.map((f) => (
        <CopyField key={f.label} {...f} />
      ))}
      {children}
      <div className="flex flex-wrap gap-3">
        {download && (
          <Button onClick={() => saveFile(download.filename, download.content, download.contentType)}>
            Download key
          </Button>
        )}
        <Link href="/keys/new" className={buttonClass("secondary")}>
          Generate another key
        </Link>
        <Link href={`/keys/${encodeURIComponent(keyId)}`} className={buttonClass("ghost")}>
          View key information
        </Link>
      </div>
    </section>
  );
}
