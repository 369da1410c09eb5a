import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * GnuPG in a throw-away home directory: PGP keys made by a tool nobody here wrote.
 * `gpg --quick-gen-key <uid> rsa3072 ...` makes a primary key only ([SC]); add an
 * encryption subkey with `addKey(fpr, "rsa3072", "encr")`.
 */
export class Gpg {
  readonly home = mkdtempSync(path.join(tmpdir(), "kc-gpg-"));

  run(args: string[], input?: string): string {
    return execFileSync(
      "/usr/bin/gpg",
      ["--batch", "--homedir", this.home, "--passphrase", "", "--pinentry-mode", "loopback", ...args],
      { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
    );
  }

  /** Creates a primary key and returns its fingerprint (uppercase hex). */
  genKey(uid: string, algo: string, usage: string, expire: string, opts: { fakedTime?: string } = {}): string {
    const faked = opts.fakedTime ? ["--faked-system-time", opts.fakedTime] : [];
    this.run([...faked, "--quick-gen-key", uid, algo, usage, expire]);
    const fpr = this.run(["--with-colons", "--list-keys", uid])
      .split("\n")
      .find((l) => l.startsWith("fpr:"))
      ?.split(":")[9];
    if (!fpr) throw new Error(`gpg made no key for ${uid}`);
    return fpr;
  }

  addKey(fpr: string, algo: string, usage: string, expire: string, opts: { fakedTime?: string } = {}): void {
    const faked = opts.fakedTime ? ["--faked-system-time", opts.fakedTime] : [];
    this.run([...faked, "--quick-add-key", fpr, algo, usage, expire]);
  }

  exportPublic(fpr: string): string {
    return this.run(["--armor", "--export", fpr]);
  }

  exportSecret(fpr: string): string {
    return this.run(["--armor", "--export-secret-keys", fpr]);
  }

  /** Imports the revocation certificate gpg stored at key creation; the key is revoked from then on. */
  revoke(fpr: string): void {
    const rev = readFileSync(path.join(this.home, "openpgp-revocs.d", `${fpr}.rev`), "utf8").replace(
      /^:-----/m,
      "-----",
    );
    const file = path.join(this.home, "revoke.asc");
    writeFileSync(file, rev);
    this.run(["--import", file]);
  }

  /** Decrypts an armored OpenPGP message with the secret keys in this home. */
  decrypt(armored: string): string {
    return this.run(["--decrypt"], armored);
  }

  cleanup(): void {
    try {
      execFileSync("/usr/bin/gpgconf", ["--homedir", this.home, "--kill", "gpg-agent"], { stdio: "ignore" });
    } catch {
      // no agent was started
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}
