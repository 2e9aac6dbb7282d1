// The HTML a blogger pastes to show the current model with the <char-rnn> widget: pure text in,
// text out (the page puts it in a text box, never into its own DOM as HTML).

/** An attribute value safe inside double quotes: & < > " escaped (line breaks are kept). */
export function escapeAttribute(value) {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The temperature as an attribute: 0.8, 1.25 (two decimals at most). */
function temperatureText(t) {
  return String(Math.round(t * 100) / 100);
}

/**
 * The <script> and <char-rnn> tags for a model file (a name relative to the blog page, under
 * modelDir) with a priming text, temperature and length; the widget's script under widgetDir.
 */
export function embedSnippet({ modelFile, prime = '', temperature, length, widgetDir = 'widget', modelDir = 'models' }) {
  const attributes = [['src', `${modelDir}/${modelFile}`]];
  if (prime) attributes.push(['prime', prime]);
  if (Number.isFinite(temperature)) attributes.push(['temperature', temperatureText(temperature)]);
  if (Number.isFinite(length)) attributes.push(['length', String(length)]);
  const tag = attributes.map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ');
  return `<script type="module" src="${escapeAttribute(`${widgetDir}/char-rnn.js`)}"></script>\n` +
    `<char-rnn ${tag}></char-rnn>\n`;
}

/** The widget's files, as the site serves them (each to go into the blog's widgetDir). */
export const WIDGET_FILES = ['char-rnn.js', 'sampler-worker.js', 'charrnn_sampling.wasm'];
