/** Saves text or bytes made in the browser as a file: nothing secret goes into a URL or a server file. */
export function saveFile(filename: string, content: string | Uint8Array, contentType = "application/octet-stream") {
  const blob = new Blob([content as BlobPart], { type: contentType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
