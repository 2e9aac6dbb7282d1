// Serves the built page (build/web) as plain static files, on PORT (default 8000).
// sirv does the static serving; the COOP/COEP headers make the page cross-origin isolated,
// so a threaded WASM build could use SharedArrayBuffer where the browser allows it. Every file
// goes out with the site's Content-Security-Policy (web/csp.mjs): the pages' own, and the
// workers', which a worker script takes from its own response.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { policyFor } from '../web/csp.mjs';

export function createStaticServer(root) {
  const serve = sirv(root, {
    dev: true, // files read from disk on each request: a new build shows at once
    // ETags: the browser keeps files and checks them (no-cache), as with a static host; its cache
    // also keeps the compiled engine for the next visit (a no-store response would not).
    etag: true,
    extensions: ['html'],
    setHeaders: (res, pathname) => {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      res.setHeader('Content-Security-Policy', policyFor(pathname));
      if (pathname.endsWith('.safetensors')) res.setHeader('Content-Type', 'application/octet-stream');
    },
  });
  return http.createServer((req, res) => serve(req, res, () => {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`Not found: ${req.url}\n`);
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'web');
  const port = Number(process.env.PORT || 8000);
  createStaticServer(root).listen(port, () => {
    console.log(`Serving ${root}\nOpen http://localhost:${port}/ (Ctrl-C to stop)`);
  });
}
