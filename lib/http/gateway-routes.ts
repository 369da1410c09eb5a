import { readLimited } from "@/lib/gateway/http";
import { gatewayPaymentsHandler } from "@/lib/gateway/payments";
import { processSecureAcceptance, type SecureAcceptanceOutcome } from "@/lib/gateway/secure-acceptance";
import { simpleOrderHandler } from "@/lib/gateway/simple-order";
import { requestLogger } from "@/lib/log";
import { clientIp } from "./client-ip";
import { CHECKOUT_PAGE_CSP, withGatewayHeaders } from "./security-headers";

/**
 * The test gateway's machine endpoints as Web-standard handlers (Request → Response), with
 * their security headers. Two servers call them: lib/http/server.ts on its direct path (the
 * served app: `npm start`), and the route.ts files under app/ when Next.js itself receives
 * the request (`next dev` without the direct path, tests that mount the routes).
 */

/** `POST /pts/v2/payments` (lib/gateway/payments.ts). */
export async function paymentsRoute(request: Request): Promise<Response> {
  return withGatewayHeaders(await gatewayPaymentsHandler(request, { environment: "TEST" }));
}

/** `POST /commerce/1.x/transactionProcessor`: Simple Order API and SOAP Toolkit (lib/gateway/simple-order.ts). */
export async function simpleOrderRoute(request: Request): Promise<Response> {
  return withGatewayHeaders(await simpleOrderHandler(request, { environment: "TEST", now: new Date() }));
}

/**
 * Secure Acceptance hosted checkout (G7): the merchant's form POST, authenticated by its
 * access key and signature (no session). Answers with a receipt or an error page that never
 * says which check failed; the reason goes to the server log and the transaction row.
 */
const MAX_CHECKOUT_BODY_BYTES = 64 * 1024;

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(status: number, title: string, body: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – KeyCenter Secure Acceptance (test)</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#0f172a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:#475569}dd{margin:0;font-family:ui-monospace,monospace}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.25rem;background:#e2e8f0}</style></head>
<body><p class="badge">Test environment</p><h1>${escape(title)}</h1>${body}</body></html>`;
  const response = new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers },
  });
  return withGatewayHeaders(response, CHECKOUT_PAGE_CSP);
}

function render(result: SecureAcceptanceOutcome): Response {
  if (!result.ok && result.httpStatus === 429) {
    const retryAfter = String(result.retryAfterSeconds ?? 60);
    return page(
      429,
      "Payment not processed",
      `<p>Too many failed payment requests came from your address. Try again in ${escape(retryAfter)} seconds.</p>`,
      { "retry-after": retryAfter },
    );
  }
  if (!result.ok) {
    const body =
      result.httpStatus === 401
        ? "<p>The payment request could not be authenticated. Check the access key, the profile ID, the signature and its date, and use a new transaction UUID for each request.</p>"
        : "<p>The payment request is incomplete or not valid. Check the signed fields and their values.</p>";
    return page(
      result.httpStatus,
      "Payment not processed",
      `${body}<dl><dt>Decision</dt><dd>ERROR</dd><dt>Request ID</dt><dd>${escape(result.requestId)}</dd></dl>`,
    );
  }
  const rows: [string, string][] = [
    ["Decision", result.decision],
    ["Amount", `${result.amount} ${result.currency}`],
    ["Reference number", result.referenceNumber],
    ["Transaction type", result.transactionType],
    ["Transaction UUID", result.transactionUuid],
    ["Request ID", result.requestId],
  ];
  return page(
    200,
    "Payment receipt",
    `<dl aria-label="Receipt">${rows.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join("")}</dl>`,
  );
}

/** `POST /pay`: Secure Acceptance (lib/gateway/secure-acceptance.ts), answered with an HTML receipt. */
export async function checkoutRoute(request: Request): Promise<Response> {
  let fields: Record<string, string>;
  try {
    const body = await readLimited(request, MAX_CHECKOUT_BODY_BYTES);
    if (body === null) return page(413, "Payment not processed", "<p>The request is too large.</p>");
    fields = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(body)));
  } catch {
    return page(400, "Payment not processed", "<p>The request could not be read.</p>");
  }
  const result = await processSecureAcceptance(fields, { clientAddress: clientIp(request.headers) });
  const log = requestLogger(result.requestId);
  if (result.ok) log.info({ merchantId: result.merchantId }, "secure acceptance accepted");
  else log.warn({ status: result.httpStatus, reason: result.reason }, "secure acceptance refused");
  return render(result);
}
