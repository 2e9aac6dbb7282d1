// The embed snippet the trainer page offers (web/page/embed-snippet.js): the tags a blogger pastes,
// with every attribute value escaped so a priming text with quotes or markup stays one attribute.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { embedSnippet, escapeAttribute } from '../../web/page/embed-snippet.js';

test('the snippet names the widget script and the model with the priming text and temperature', () => {
  assert.equal(embedSnippet({ modelFile: 'm.safetensors', prime: 'ROMEO:', temperature: 0.8, length: 400 }),
    '<script type="module" src="widget/char-rnn.js"></script>\n' +
    '<char-rnn src="models/m.safetensors" prime="ROMEO:" temperature="0.8" length="400"></char-rnn>\n');
});

test('an empty priming text is left out, and the temperature has two decimals at most', () => {
  const s = embedSnippet({ modelFile: 'm.safetensors', prime: '', temperature: 1.2345 });
  assert.match(s, /<char-rnn src="models\/m.safetensors" temperature="1.23"><\/char-rnn>/);
  assert.doesNotMatch(s, /prime=/);
});

test('quotes, ampersands and markup in a priming text are escaped; line breaks kept', () => {
  assert.equal(escapeAttribute('a "b" & <c>\nd'), 'a &quot;b&quot; &amp; &lt;c&gt;\nd');
  const prime = '"><script>alert(1)</script>';
  const s = embedSnippet({ modelFile: 'm.safetensors', prime, temperature: 0.8 });
  assert.ok(s.includes('prime="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
  assert.equal(s.match(/<script/g).length, 1); // the widget's own tag only
});

test('the attributes decode back to exactly the values given (every escape undone)', () => {
  const prime = 'He said "yes" & <left>\nthen: \u00e9\u{1F600}';
  const s = embedSnippet({ modelFile: 'a b&c.safetensors', prime, temperature: 0.5 });
  const element = s.split('\n<char-rnn ')[1];
  const attr = (name) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(element)[1];
  const decode = (v) => v.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  assert.equal(decode(attr('prime')), prime);
  assert.equal(decode(attr('src')), 'models/a b&c.safetensors');
});
