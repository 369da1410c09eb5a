import { describe, expect, it } from "vitest";
import { hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_ALPHABET } from "@/lib/auth/mfa";

describe("recovery codes", () => {
  it("use 32 distinct characters that cannot be mistaken for one another: 5 bits each, 80 bits a code", () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_ALPHABET).not.toMatch(/[ilo1]/);
    const code = newRecoveryCode();
    expect(code).toMatch(/^[0a-hjkmnp-z2-9]{4}(-[0a-hjkmnp-z2-9]{4}){3}$/);
    expect(code.replace(/-/g, "")).toHaveLength(16);
  });

  it("draw every character equally often (no modulo bias)", () => {
    const counts = new Map<string, number>();
    const codes = 20_000;
    for (let i = 0; i < codes; i++)
      for (const c of newRecoveryCode().replace(/-/g, "")) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join("")).toBe([...RECOVERY_CODE_ALPHABET].sort().join(""));
    // 320,000 characters: 10,000 expected each, standard deviation ~98. A byte taken modulo 31
    // (the old alphabet) makes 8 characters 12.5% likelier: 11,100 against 9,870.
    const expected = (codes * 16) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(600);
    // Chi-square with 31 degrees of freedom (mean 31): above 80 one time in a million; the old
    // alphabet (31 characters, a byte modulo 31) gives about 900 against its own 31.
    const chi2 = [...counts.values()].reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(80);
  });

  it("are read without regard to case, dashes, spaces, or an o typed for a zero", () => {
    expect(hashRecoveryCode("K7QD-M2XA 9FPZ-W3OC")).toBe(hashRecoveryCode("k7qdm2xa9fpzw30c"));
  });
});
