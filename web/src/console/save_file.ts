// Hands a downloaded file to the browser's "save" (an object URL on a transient link,
// revoked at once): for files fetched by the app itself, which a plain link cannot do when
// the server first wants a fresh code.
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
