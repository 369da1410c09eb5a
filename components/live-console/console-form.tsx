"use client";

import { useId, useState, useTransition } from "react";
import { sendLiveConsoleAction } from "@/lib/actions/live-console/send-live-console";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { ScrollRegion } from "@/components/ui/scroll-region";

type Result = Awaited<ReturnType<typeof sendLiveConsoleAction>>;

export function LiveConsoleForm({ merchantId, sample }: { merchantId: string; sample: string }) {
  const bodyId = useId();
  const fileId = useId();
  const [auth, setAuth] = useState<"http_signature" | "jwt">("http_signature");
  const [result, setResult] = useState<Result>();
  const [pending, start] = useTransition();
  const fields = result && !result.ok ? result.error.fields : undefined;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <form
        className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          start(async () => setResult(await sendLiveConsoleAction(data)));
        }}
      >
        <h2 className="font-semibold">POST /pts/v2/payments</h2>
        <fieldset className="flex gap-4 text-sm">
          <legend className="mb-1 font-medium">Authentication</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="authType"
              value="http_signature"
              checked={auth === "http_signature"}
              onChange={() => setAuth("http_signature")}
            />
            HTTP Signature
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="authType" value="jwt" checked={auth === "jwt"} onChange={() => setAuth("jwt")} />
            JSON Web Token (.p12)
          </label>
        </fieldset>
        <TextField label="Organization ID" name="merchantId" defaultValue={merchantId} error={fields?.merchantId} />
        <TextField
          label="Meta key owner (optional)"
          name="metaKeyOwner"
          hint="With a meta key: the portfolio or account ID that owns it. Organization ID stays the transacting MID."
          error={fields?.metaKeyOwner}
        />
        {auth === "http_signature" ? (
          <>
            <TextField label="Key" name="keyId" autoComplete="off" error={fields?.keyId} />
            <TextField
              label="Shared Secret"
              name="sharedSecret"
              type="password"
              autoComplete="off"
              error={fields?.sharedSecret}
            />
          </>
        ) : (
          <>
            <div className="flex flex-col gap-1">
              <label htmlFor={fileId} className="text-sm font-medium text-slate-700">
                .p12 file
              </label>
              <input
                id={fileId}
                type="file"
                name="p12"
                accept=".p12,application/x-pkcs12"
                aria-invalid={fields?.p12 ? true : undefined}
                aria-describedby={fields?.p12 ? `${fileId}-error` : undefined}
                className="text-sm"
              />
              {fields?.p12 && (
                <p id={`${fileId}-error`} className="text-sm text-red-700">
                  {fields.p12}
                </p>
              )}
            </div>
            <TextField label="Password" name="password" type="password" autoComplete="off" error={fields?.password} />
          </>
        )}
        <div className="flex flex-col gap-1">
          <label htmlFor={bodyId} className="text-sm font-medium text-slate-700">
            Request body
          </label>
          <textarea
            id={bodyId}
            name="body"
            rows={16}
            defaultValue={sample}
            spellCheck={false}
            aria-invalid={fields?.body ? true : undefined}
            className="rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
          />
          {fields?.body && <p className="text-sm text-red-700">{fields.body}</p>}
        </div>
        <FormError message={result && !result.ok && !fields ? result.error.message : undefined} />
        <div>
          <Button type="submit" pending={pending}>
            Send
          </Button>
        </div>
      </form>
      <Panel id="response" title="Response">
        {!result?.ok ? (
          <p className="text-sm text-slate-500">Send a request to see the gateway&apos;s answer.</p>
        ) : (
          <>
            <p className="text-sm" data-testid="response-status">
              Status <strong>{result.data.response.status}</strong> · {result.data.response.elapsedMs} ms
            </p>
            <details className="text-sm">
              <summary className="cursor-pointer">Response headers</summary>
              <ScrollRegion label="Response headers" className="mt-2 rounded bg-slate-50">
                <pre className="p-3 text-xs">{JSON.stringify(result.data.response.headers, null, 2)}</pre>
              </ScrollRegion>
            </details>
            <ScrollRegion label="Response body" className="rounded bg-slate-50">
              <pre className="p-3 text-xs" data-testid="response-body">
                {prettyJson(result.data.response.body)}
              </pre>
            </ScrollRegion>
            <details className="text-sm">
              <summary className="cursor-pointer">Request headers sent</summary>
              <ScrollRegion label="Request headers sent" className="mt-2 rounded bg-slate-50">
                <pre className="p-3 text-xs">{JSON.stringify(result.data.request.headers, null, 2)}</pre>
              </ScrollRegion>
            </details>
          </>
        )}
      </Panel>
    </div>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
