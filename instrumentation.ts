/** Next.js start-up hook: fill the in-memory RSA key pair pool in the background, so the
 * first certificate issuance does not wait for key generation; start the expiry-alert
 * runner (B2; KEYCENTER_ALERTS=0 turns it off, KEYCENTER_ALERTS_INTERVAL_MS sets its pace). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { warmKeyPairPool } = await import("@/lib/crypto/keypair");
  void Promise.resolve(warmKeyPairPool()).catch(() => {});

  const { alertsEnabled, alertsIntervalMs, startAlertRunner } = await import("@/lib/alerts/runner");
  if (!alertsEnabled()) return;
  const globalForRunner = globalThis as unknown as { keycenterAlertRunner?: unknown };
  if (globalForRunner.keycenterAlertRunner) return; // once per process, also across hot reloads
  const [{ prisma }, { defaultTransports }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/alerts/transports"),
  ]);
  globalForRunner.keycenterAlertRunner = startAlertRunner({
    db: prisma,
    transports: defaultTransports(),
    intervalMs: alertsIntervalMs(),
  });
}
