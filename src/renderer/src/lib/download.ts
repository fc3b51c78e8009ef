/**
 * Offers bytes or text as a file download (the browser or Electron asks where, or uses Downloads).
 * The web bridge has no save dialog, so files, logs and reports all leave through here.
 */
export function download(name: string, bytes: Uint8Array | string, type = 'application/octet-stream'): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started by then; the object URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Text as a UTF-8 file download. */
export function downloadText(name: string, text: string, type = 'text/plain'): void {
  download(name, text, `${type};charset=utf-8`);
}
