// The page's one sampling worker, shared by every <char-rnn>: started by the first widget that
// samples, found next to this script (import.meta.url) so the widget folder works wherever it is
// copied.
import * as Comlink from 'comlink';

let remote = null;

// A page may only start workers from its own origin. When the widget is served from another
// (a CDN), a same-origin blob that imports the real worker script does the same job; the script
// is already fetched with CORS, as the module that holds this line was.
function startWorker(url) {
  if (url.origin === location.origin) return new Worker(url, { type: 'module' });
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(blob), { type: 'module' });
}

/** { sample(request, onChunk), inspect(request) }: see sampler-worker.js. Rejects if the worker cannot run. */
export function samplerWorker() {
  if (remote) return remote;
  let worker;
  let failed;
  try {
    worker = startWorker(new URL('./sampler-worker.js', import.meta.url));
    // Comlink never answers calls to a worker whose script failed to load: race them against this.
    failed = new Promise((_, reject) => worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new Error('The sampler could not start (its script failed to load).'));
    }, { once: true }));
  } catch (e) {
    failed = Promise.reject(new Error(`The sampler could not start (${e.message}).`));
  }
  failed.catch(() => {}); // reported through the calls, not as an unhandled rejection
  const api = worker && Comlink.wrap(worker);
  remote = {
    sample: (request, onChunk) => Promise.race([failed, api ? api.sample(request, Comlink.proxy(onChunk)) : failed]),
    inspect: (request) => Promise.race([failed, api ? api.inspect(request) : failed]),
  };
  return remote;
}
