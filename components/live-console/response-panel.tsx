"use client";

import clsx from "clsx";
import type { sendLiveConsoleAction } from "@/lib/actions/live-console/send-live-console";
import { Panel } from "@/components/ui/panel";
import { ScrollRegion } from "@/components/ui/scroll-region";

type Sent = Extract<Awaited<ReturnType<typeof sendLiveConsoleAction>>, { ok: true }>["data"];

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Body({ label, testId, text }: { label: string; testId: string; text: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <h3 className="text-sm font-medium">{label}</h3>
      <ScrollRegion label={label} className="max-h-[32rem] overflow-y-auto rounded bg-slate-50">
        <pre className="whitespace-pre-wrap break-all p-3 text-xs" data-testid={testId}>
          {prettyJson(text)}
        </pre>
      </ScrollRegion>
    </div>
  );
}

/** The gateway's answer: status, headers, the body as it came and, when it came encrypted, decrypted beside it. */
export function LiveConsoleResponse({ result, className }: { result?: Sent; className?: string }) {
  const decrypted = result?.decrypted;
  const mle = result?.request.mle;
  return (
    <Panel id="response" title="Response" className={clsx("min-w-0", className)}>
      {!result ? (
        <p className="text-sm text-slate-500">Send a request to see the gateway&apos;s answer.</p>
      ) : (
        <>
          <p className="text-sm" data-testid="response-status">
            {result.response.status < 300 ? "Success: " : ""}HTTP Status Code: <strong>{result.response.status}</strong>{" "}
            · {result.response.elapsedMs} ms
          </p>
          {mle && (
            <p className="text-sm text-slate-600" data-testid="request-mle">
              Sent with Message Level Encryption: the body encrypted to CyberSource_SJC_US (kid {mle.requestKid}, from{" "}
              {mle.certificateFrom === "p12" ? "your .p12" : "this environment's certificate"})
              {mle.responseMleKeyId
                ? `; the response requested encrypted to Response MLE key ${mle.responseMleKeyId}`
                : ""}
              .
            </p>
          )}
          <details className="text-sm">
            <summary className="cursor-pointer">Response headers</summary>
            <ScrollRegion label="Response headers" className="mt-2 rounded bg-slate-50">
              <pre className="p-3 text-xs">{JSON.stringify(result.response.headers, null, 2)}</pre>
            </ScrollRegion>
          </details>
          {decrypted ? (
            <div className="grid gap-4 lg:grid-cols-2">
              <Body label="Raw response (encrypted)" testId="response-body" text={result.response.body} />
              {"body" in decrypted ? (
                <Body label="Decrypted response" testId="response-decrypted" text={decrypted.body} />
              ) : (
                <div className="flex flex-col gap-1">
                  <h3 className="text-sm font-medium">Decrypted response</h3>
                  <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                    {decrypted.error}
                  </p>
                </div>
              )}
            </div>
          ) : (
            <Body label="Response body" testId="response-body" text={result.response.body} />
          )}
          <details className="text-sm">
            <summary className="cursor-pointer">Request headers sent</summary>
            <ScrollRegion label="Request headers sent" className="mt-2 rounded bg-slate-50">
              <pre className="p-3 text-xs">{JSON.stringify(result.request.headers, null, 2)}</pre>
            </ScrollRegion>
          </details>
          {result.request.encryptedBody && (
            <details className="text-sm">
              <summary className="cursor-pointer">Request body sent (encrypted)</summary>
              <ScrollRegion label="Request body sent" className="mt-2 rounded bg-slate-50">
                <pre className="whitespace-pre-wrap break-all p-3 text-xs">{result.request.encryptedBody}</pre>
              </ScrollRegion>
            </details>
          )}
        </>
      )}
    </Panel>
  );
}
