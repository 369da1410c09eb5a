"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState } from "react";
import { withStepUp } from "@/components/auth/step-up";
import type { ActionResult } from "@/lib/action-result";
import { confirmChange } from "./toaster";

/**
 * A form (or button) that runs one server action, the one way (DESIGN.md "Server actions"):
 * React 19's useActionState, the step-up retry ("Confirm it's you" when a change answers
 * STEP_UP_REQUIRED, then once more), field errors beside the fields, the form-level message,
 * and a success toast that survives a navigation (the Toaster is in the root layout); with
 * `navigate`, its time starts only once the page it leads to is shown.
 *
 * ```tsx
 * const form = useActionForm(createRoleAction, {
 *   success: "Role saved",
 *   navigate: (data) => `/roles/${data.roleId}`,
 * });
 * <form {...form.formProps} className="…">
 *   <FormError message={form.error} />
 *   <TextField name="name" error={form.fields.name} />
 *   <Button type="submit" pending={form.pending}>Save</Button>
 * </form>
 * ```
 *
 * The submit handler keeps what was typed (no form reset) and submits a FormData; an action
 * taking an object gets it through `fromForm`. `run(input)` submits without a form.
 */
export function useActionForm<I, T>(
  action: (input: I) => Promise<ActionResult<T>>,
  options: {
    /** The toast once it worked: a sentence, or one made from the answer ("Key abc deleted"). */
    success?: string | ((data: T, input: I) => string | undefined);
    /** Where to go once it worked (undefined: stay); the toast waits for that page. */
    navigate?: (data: T, input: I) => string | undefined;
    /** After the toast (and the navigation): refresh, show a result. */
    onSuccess?: (data: T, input: I) => void;
    /** A form's FormData as the action's input (default: the FormData itself). */
    fromForm?: (data: FormData) => I;
  } = {},
) {
  const router = useRouter();
  const [result, dispatch, pending] = useActionState(
    async (_previous: ActionResult<T> | null, payload: { input: I } | null): Promise<ActionResult<T> | null> => {
      if (!payload) return null;
      const r = await withStepUp(() => action(payload.input));
      if (r.ok) {
        const message =
          typeof options.success === "function" ? options.success(r.data, payload.input) : options.success;
        confirmChange(message, options.navigate?.(r.data, payload.input), (href) => router.push(href));
        options.onSuccess?.(r.data, payload.input);
      }
      return r;
    },
    null,
  );
  const failure = result && !result.ok ? result.error : undefined;
  const run = (input: I) => startTransition(() => dispatch({ input }));
  return {
    /** The last answer (null before the first, and after reset). */
    result,
    /** The answer's data once it worked. */
    data: result?.ok ? result.data : undefined,
    pending,
    /** The form-level message of the last failure ("Please correct the highlighted fields.", …). */
    error: failure?.message,
    /** Field errors by input name; empty when none. */
    fields: failure?.fields ?? ({} as Record<string, string>),
    run,
    /** Back to no answer (e.g. "Create another"). */
    reset: () => startTransition(() => dispatch(null)),
    /** Spread on the <form>: submits in a transition, keeps what was typed, no browser validation bubbles. */
    formProps: {
      noValidate: true,
      onSubmit: (e: React.FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        run(options.fromForm ? options.fromForm(data) : (data as I));
      },
    },
  };
}
