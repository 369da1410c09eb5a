import { useId } from "react";
import { FieldNotes } from "@/components/ui/field";

export interface CustodianOption {
  id: string;
  email: string;
  name: string;
}

/** Custodian (B6) on the Create Key forms: who will look after the key (optional). */
export function CustodianField({
  options,
  error,
  value,
  onChange,
}: {
  options: CustodianOption[];
  error?: string;
  /** Controlled use (forms that add the choice to another request); otherwise submitted as `custodianId`. */
  value?: string;
  onChange?: (value: string) => void;
}) {
  const id = useId();
  const described = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="flex max-w-md flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        Custodian (optional)
      </label>
      <select
        id={id}
        name="custodianId"
        {...(onChange ? { value: value ?? "", onChange: (e) => onChange(e.target.value) } : { defaultValue: "" })}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className={`rounded-md border bg-white px-3 py-2 text-sm ${error ? "border-red-500" : "border-slate-300"}`}
      >
        <option value="">No custodian</option>
        {options.map((u) => (
          <option key={u.id} value={u.id}>
            {u.email} ({u.name})
          </option>
        ))}
      </select>
      <FieldNotes
        id={id}
        hint="The person who looks after this key and its renewal. It can be changed on Key Information."
        error={error}
      />
    </div>
  );
}
