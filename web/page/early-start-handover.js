// What early-start.js started before the page's bundle ran: the training worker and the fetch of
// the default text. Each is handed over once; null when early-start.js has not run (then the page
// starts its own), and from then on early-start.js starts nothing.
const started = () => {
  globalThis.charrnnEarlyStart ??= { early: null, text: null };
  return globalThis.charrnnEarlyStart;
};

/** The worker early-start.js started: { worker, failed } (failed: why it died before the page listened), or null. */
export function takeEarlyWorker() {
  const p = started();
  const { early } = p;
  p.early = null;
  return early;
}

/** The Response promise of early-start.js's fetch of `file`, or null. */
export function takeEarlyText(file) {
  const p = started();
  if (p.text?.file !== file) return null;
  const { response } = p.text;
  p.text = null;
  return response;
}
