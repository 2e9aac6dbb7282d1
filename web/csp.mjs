// The Content-Security-Policy of the site, in one place: scripts/serve.mjs sends it as a header
// with every file, and web/build.mjs writes it into the pages as a <meta http-equiv> tag, so a
// static host that sends no headers still applies it.
//
// Scripts and workers come only from the page's own origin: no inline script, no eval (the
// Emscripten modules are built with -sDYNAMIC_EXECUTION=0, so Embind makes no functions from
// strings); 'wasm-unsafe-eval' lets WebAssembly compile, and nothing else. Data is fetched from the
// same origin only; the favicon is a data: URL.
//
// Styles: the trainer page has none inline (uPlot sizes its elements through the CSSOM, which a
// policy does not govern), so it takes style sheets from its own origin only. The widget's example
// page allows inline styles: it stands for someone else's blog, whose theme has a <style> block
// and style attributes, and the <char-rnn> widget puts its style sheet into its shadow root as a
// <style> element. Styles run no script; scripts stay as strict as on the trainer page.
// (frame-ancestors is left out: a <meta> policy may not carry it, and the two should agree.)

const common = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const TRAINER_POLICY = [...common, "style-src 'self'"].join('; ');
export const EMBED_POLICY = [...common, "style-src 'self' 'unsafe-inline'"].join('; ');

/** The policy for a path of the site (/embed/… is the widget's example page). */
export function policyFor(pathname) {
  return pathname.startsWith('/embed/') || pathname === '/embed' ? EMBED_POLICY : TRAINER_POLICY;
}

/** The <meta> tag that carries a policy in a page. */
export function metaTag(policy) {
  return `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
}
