"use client";

import { startTransition, useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { signInAction } from "./actions";

export function SignInForm() {
  const [state, action, pending] = useActionState(signInAction, null);
  const fields = state && !state.ok ? state.error.fields : undefined;
  return (
    <form
      // Submitting through a transition (not the `action` prop) keeps what was typed after an error.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="flex flex-col gap-4"
      noValidate
    >
      <FormError message={state && !state.ok && !fields ? state.error.message : undefined} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={fields?.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fields?.password}
      />
      <Button type="submit" pending={pending}>
        Sign in
      </Button>
    </form>
  );
}
