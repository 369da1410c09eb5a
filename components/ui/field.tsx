import clsx from "clsx";
import { useId } from "react";

type Notes = { label: string; error?: string; hint?: string; className?: string };

/** What a field hands its control: the id its label names, and aria-invalid + aria-describedby for its notes. */
type ControlProps = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/**
 * The one shape of every field here: a label, the control it names, and its hint and error
 * beside it. `props` are the field's (label, error, hint, className: the wrapper's) and its
 * control's; `control` renders the control from its own props and the ids.
 */
function Field<P extends Notes>({
  props: { label, error, hint, className, ...rest },
  control,
}: {
  props: P;
  control: (props: Omit<P, keyof Notes>, aria: ControlProps) => React.ReactNode;
}) {
  const id = useId();
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={clsx("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {control(rest, { id, "aria-invalid": error ? true : undefined, "aria-describedby": described })}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A text control's box, red-bordered while it has an error. */
const box = (look: string, error?: string) =>
  clsx("rounded-md border px-3 py-2", look, error ? "border-red-500" : "border-slate-300");

/** A labelled input with its error next to it (aria-invalid + aria-describedby). */
export function TextField(props: React.InputHTMLAttributes<HTMLInputElement> & Notes) {
  return (
    <Field
      props={props}
      control={(input, aria) => <input {...input} {...aria} className={box("text-sm shadow-sm", props.error)} />}
    />
  );
}

/** A labelled text box for what is pasted (a PEM, a public key, a JSON body): monospace, not spell-checked. */
export function TextAreaField(props: React.TextareaHTMLAttributes<HTMLTextAreaElement> & Notes) {
  return (
    <Field
      props={props}
      control={(textarea, aria) => (
        <textarea spellCheck={false} {...textarea} {...aria} className={box("font-mono text-xs", props.error)} />
      )}
    />
  );
}

/**
 * A labelled select of `options`: the first is chosen, or with `placeholder` an empty choice
 * that comes first (and a required field's schema refuses).
 */
export function SelectField({
  options,
  placeholder,
  ...props
}: React.SelectHTMLAttributes<HTMLSelectElement> &
  Notes & { options: readonly { value: string; label: string }[]; placeholder?: string }) {
  return (
    <Field
      props={props}
      control={(select, aria) => (
        <select
          defaultValue={placeholder ? "" : options[0]?.value}
          {...select}
          {...aria}
          className={box("bg-white text-sm", props.error)}
        >
          {placeholder && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A labelled file input (`accept` says which files); a long file name in its error wraps. */
export function FileField(props: Omit<React.InputHTMLAttributes<HTMLInputElement>, "type"> & Notes) {
  return (
    <Field
      props={{ ...props, className: clsx("break-words", props.className) }}
      control={(input, aria) => <input type="file" {...input} {...aria} className="text-sm" />}
    />
  );
}

/** A field's hint and error lines, with the ids its control names in aria-describedby. */
export function FieldNotes({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}
