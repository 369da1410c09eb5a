/** Reading request bodies on standard Request, for the gateway's route handlers. */

/**
 * Reads at most `max` bytes of the body; null when there is more (a Content-Length over `max`
 * is refused before reading, a streamed body as soon as it passes `max`).
 */
export async function readLimited(request: Request, max: number): Promise<Uint8Array | null> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
