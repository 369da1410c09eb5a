/** Next.js start-up hook: fill the in-memory RSA key pair pool in the background, so the
 * first certificate issuance does not wait for key generation. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { warmKeyPairPool } = await import("@/lib/crypto/keypair");
  void Promise.resolve(warmKeyPairPool()).catch(() => {});
}
