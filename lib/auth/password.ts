import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to argon2id (19 MiB, t=2, p=1: OWASP's minimum profile).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
