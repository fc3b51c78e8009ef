/** Offers text as a file download (the browser or Electron asks where, or uses Downloads). */
export function downloadText(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
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
