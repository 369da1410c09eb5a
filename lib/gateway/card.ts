/** Card numbers as both payment endpoints (REST payments.ts, Simple Order simple-order.ts) check them. */

/** The Luhn check digit test of a card number (digits only). */
export function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Cybersource's card type code for a card number: 001 Visa, 002 Mastercard, 003 American Express. */
export function cardTypeOf(card: string): string {
  if (card.startsWith("4")) return "001";
  if (/^5[1-5]|^2[2-7]/.test(card)) return "002";
  return card.startsWith("3") ? "003" : "000";
}
