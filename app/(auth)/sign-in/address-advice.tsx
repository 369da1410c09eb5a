import type { AddressMismatch } from "@/lib/public-url";

/**
 * Why signing in does not stick at this address, and what to set instead. `dropped`: the
 * browser just lost the session cookie after a correct password (lib/auth/auth.ts's marker);
 * `mismatch`: how the address this page was opened at differs from BETTER_AUTH_URL.
 */
export function AddressAdvice({ dropped, mismatch }: { dropped: boolean; mismatch: AddressMismatch | null }) {
  if (!dropped && !mismatch) return null;
  const minor = !dropped && mismatch?.kind === "https-for-http";
  return (
    <div
      role={minor ? "status" : "alert"}
      aria-label={dropped ? "Sign-in did not stick" : "Address warning"}
      className="mb-4 space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      {dropped && (
        <p>
          <strong>
            Your email and password were right, but this browser did not keep KeyCenter&apos;s session cookie
          </strong>
          , so you are back at sign-in.
        </p>
      )}
      {mismatch ? <Reason mismatch={mismatch} /> : <Generic />}
    </div>
  );
}

const Code = ({ children }: { children: React.ReactNode }) => <code className="font-mono text-xs">{children}</code>;

const OpenSignIn = ({ href }: { href: string }) => (
  <>
    Open{" "}
    <a href={href} className="font-medium underline">
      {href}
    </a>
  </>
);

function Reason({ mismatch: { kind, opened, expected } }: { mismatch: AddressMismatch }) {
  const signIn = `${expected}/sign-in`;
  if (kind === "http-for-https") {
    return (
      <>
        <p>
          This page was opened over plain http (<Code>{opened}</Code>), but <Code>BETTER_AUTH_URL</Code> is{" "}
          <Code>{expected}</Code>: the session cookie is <Code>Secure</Code>, and browsers keep it only over https.
        </p>
        <p>
          <OpenSignIn href={signIn} />. Behind a reverse proxy that terminates TLS, add the proxy&apos;s address to{" "}
          <Code>KEYCENTER_TRUSTED_PROXIES</Code> so that KeyCenter believes its <Code>X-Forwarded-Proto</Code>. For a
          test environment without TLS, set <Code>BETTER_AUTH_URL={opened}</Code> instead.
        </p>
      </>
    );
  }
  if (kind === "https-for-http") {
    return (
      <p>
        This page was opened over https (<Code>{opened}</Code>), but <Code>BETTER_AUTH_URL</Code> is{" "}
        <Code>{expected}</Code>: the session cookie is not <Code>Secure</Code> and no HSTS is sent. Set{" "}
        <Code>BETTER_AUTH_URL={opened}</Code>.
      </p>
    );
  }
  return (
    <>
      <p>
        This page was opened at <Code>{opened}</Code>, but <Code>BETTER_AUTH_URL</Code> is <Code>{expected}</Code>:
        KeyCenter&apos;s links, its session cookie and its gateway expect that address.
      </p>
      <p>
        <OpenSignIn href={signIn} />, or set <Code>BETTER_AUTH_URL={opened}</Code> if this is the address people use.
      </p>
    </>
  );
}

function Generic() {
  return (
    <p>
      Check that this browser accepts cookies from this site. The session cookie is <Code>Secure</Code> when{" "}
      <Code>BETTER_AUTH_URL</Code> is https: then open KeyCenter over https, at that address.
    </p>
  );
}
