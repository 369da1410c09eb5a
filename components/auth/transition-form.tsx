"use client";

import { startTransition } from "react";

/**
 * A form whose submit calls `action` (useActionState's dispatcher) in a transition rather
 * than through the `action` prop, which would reset the fields: what was typed stays after an error.
 */
export function TransitionForm({
  action,
  className = "flex flex-col gap-4",
  children,
}: {
  action: (data: FormData) => void;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className={className}
      noValidate
    >
      {children}
    </form>
  );
}
