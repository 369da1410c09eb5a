import clsx from "clsx";
import { useId } from "react";
import { FieldNotes } from "@/components/ui/field";

export function SelectField(props: {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  placeholder?: string;
  error?: string;
  hint?: string;
}) {
  const id = useId();
  const described = [props.error && `${id}-error`, props.hint && `${id}-hint`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {props.label}
      </label>
      <select
        id={id}
        name={props.name}
        defaultValue={props.placeholder ? "" : props.options[0]?.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described}
        className={clsx(
          "rounded-md border bg-white px-3 py-2 text-sm",
          props.error ? "border-red-500" : "border-slate-300",
        )}
      >
        {props.placeholder && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={props.hint} error={props.error} />
    </div>
  );
}
