// The trainer page's first script: a small classic script in the page's <head>, run while the
// page is still being parsed, long before the page's bundle has loaded, parsed and drawn the page.
// It starts the training worker (which at once fetches and compiles the engine) and the fetch of
// the default training text: the first training step waits for both. early-start-handover.js hands
// them to the page's code (worker-client.js, main.js), which starts them itself if this has not run.
import { DEFAULT_PRESET, PRESETS } from '../settings/defaults.js';

// Start-up that fails where the page's code cannot catch it (a script that throws or does not
// load, a locale Intl refuses) would leave "Loading the engine…" for ever: the status says what failed.
function startupFailed(what) {
  const status = document.getElementById('status');
  if (status?.dataset.state !== 'loading') return;
  status.dataset.state = 'failed';
  status.textContent = `The page could not start: ${what}. Reload the page.`;
}
addEventListener('error', (e) => startupFailed(e.message || `${e.target?.src || e.target?.href || 'a file'} did not load`), true);
addEventListener('unhandledrejection', (e) => startupFailed(e.reason?.message ?? String(e.reason)));

if (!globalThis.charrnnEarlyStart) {
  const here = document.currentScript?.src ?? location.href; // a classic script: no import.meta
  const worker = new Worker(new URL('worker.js', here), { type: 'module' });
  const early = { worker, failed: null };
  // A worker that fails before the page listens: the page is told when it takes the worker over.
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    early.failed ??= event.message || 'its script failed to load';
  });
  const { file } = PRESETS.find((p) => p.id === DEFAULT_PRESET);
  const response = fetch(new URL(file, here));
  response.catch(() => {}); // the page reports a failed fetch when it reads the text
  globalThis.charrnnEarlyStart = { early, text: { file, response } };
}
