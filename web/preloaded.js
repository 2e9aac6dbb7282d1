// What web/preload.js started before the page's bundle ran: the training worker and the fetch of
// the default text. Each is handed over once; null when preload.js has not run (then the page
// starts its own), and from then on preload.js starts nothing.
const preload = () => {
  globalThis.charrnnPreload ??= { early: null, text: null };
  return globalThis.charrnnPreload;
};

/** The worker preload.js started: { worker, failed } (failed: why it died before the page listened), or null. */
export function takeEarlyWorker() {
  const p = preload();
  const { early } = p;
  p.early = null;
  return early;
}

/** The Response promise of preload.js's fetch of `file`, or null. */
export function takeEarlyText(file) {
  const p = preload();
  if (p.text?.file !== file) return null;
  const { response } = p.text;
  p.text = null;
  return response;
}
