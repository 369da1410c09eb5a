import { generate } from "otplib";

/** A TOTP code as an authenticator app computes it for the user's enrolled secret, `ahead` steps from now. */
export async function totp(userId: string, ahead = 0) {
  const { prisma } = await import("@/lib/db");
  const { openSecret } = await import("@/lib/crypto/secrets");
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const secret = openSecret(user.totpSecret!, `totp:${userId}`).toString("utf8");
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + ahead * 30 });
}
