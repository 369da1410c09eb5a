"use client";

/**
 * "Key Management API" on Create Key (REST – Shared Secret, REST – Certificate; off by
 * default): a key created with it checked may create, find and retire keys through the Key
 * Management API (/kms/v2, lib/kms). One checkbox per page; the forms add its choice to the
 * request with `kmsApiChoice()`, so that each form needs only a one-line insertion.
 */
const FIELD_ID = "kms-api";

export function KmsApiField() {
  return (
    <div className="flex items-start gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <input id={FIELD_ID} type="checkbox" name="kmsApi" aria-describedby={`${FIELD_ID}-hint`} className="mt-1" />
      <div>
        <label htmlFor={FIELD_ID} className="font-medium">
          Key Management API
        </label>
        <p id={`${FIELD_ID}-hint`} className="text-sm text-slate-600">
          Lets this key create, find and retire keys through the Key Management API
        </p>
      </div>
    </div>
  );
}

/** The checkbox's choice as request fields: `{ kmsApi: "on" }` when checked, `{}` otherwise. */
export function kmsApiChoice(): Record<string, string> {
  const box = typeof document === "undefined" ? null : (document.getElementById(FIELD_ID) as HTMLInputElement | null);
  return box?.checked ? { kmsApi: "on" } : {};
}
