// The text the "Inside the network" card inspects by default (web/shared/inspect-data.js): whole
// lines of the validation part, ~2,000 characters, chosen where strings, comments, nested brackets
// and ifs vary when the text has them; prose keeps the start of the validation part.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { validationExcerpt, excerptWindow, syntaxFeatures } from '../../web/shared/inspect-data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bytes = (text) => new TextEncoder().encode(text);
const kinds = (text) => Object.fromEntries(Object.entries(syntaxFeatures(Array.from(text))).map(([k, v]) => [k, v.length]));

// C without strings or comments for `lines` lines, then a function that has them.
function cText(lines) {
  const plain = Array.from({ length: lines }, (_, i) => `\tx${i} = y${i} + ${i};\n`).join('');
  const rich = 'int f(int a)\n{\n\t/* a comment */\n\tif (g(h(a))) return puts("a string");\n\treturn 0;\n}\n';
  return `${plain}${rich}${plain}`;
}

test('syntaxFeatures reads strings, comments, brackets and ifs as C does', () => {
  assert.deepEqual(kinds('puts("/* not a comment */");'), { 'string literal': 1, comment: 0, 'nested brackets': 0, if: 0 });
  assert.deepEqual(kinds('/* "not a string" (( */ x'), { 'string literal': 0, comment: 1, 'nested brackets': 0, if: 0 });
  assert.deepEqual(kinds("c = '\"'; d = '\\''; // ok\n"), { 'string literal': 0, comment: 1, 'nested brackets': 0, if: 0 });
  assert.deepEqual(kinds('if (f(x)) { gif(y); ifdef(z); }'), { 'string literal': 0, comment: 0, 'nested brackets': 2, if: 1 });
  // Prose: an apostrophe opens nothing, an unclosed quote is no string, curly quotes are one.
  assert.deepEqual(kinds("Call'd Katharina, 'tis \"so\nsaid “she”"), { 'string literal': 1, comment: 0, 'nested brackets': 0, if: 0 });
});

test('prose: the excerpt is the start of the validation part, cut at a line end', () => {
  const text = Array.from({ length: 200 }, (_, i) => `Line ${i} of a play, said he.\n`).join('');
  const valChars = 3000;
  const excerpt = validationExcerpt(bytes(text), valChars);
  const valStart = text.length - valChars;
  const firstLine = text.indexOf('\n', valStart - 1) + 1;
  assert.ok(text.slice(firstLine).startsWith(excerpt), 'from the first line start of the validation part');
  assert.ok(excerpt.endsWith('\n') && excerpt.length <= 2000 && excerpt.length >= 1000, `${excerpt.length} characters`);
});

test('code: a later window with a string, a comment, nested brackets and an if is chosen', () => {
  const text = cText(150);
  const { start, end } = excerptWindow(Array.from(text));
  const chosen = text.slice(start, end);
  assert.ok(start === 0 || text[start - 1] === '\n', 'from a line start');
  assert.ok(chosen.endsWith('\n') && chosen.length >= 1000 && chosen.length <= 2000, `${chosen.length} characters`);
  assert.deepEqual(Object.values(kinds(chosen)).map((k) => k > 0), [true, true, true, true], JSON.stringify(kinds(chosen)));
  // The earliest such window: one line earlier leaves the function out.
  const earlier = text.lastIndexOf('\n', start - 2) + 1;
  const { end: earlierEnd } = excerptWindow(Array.from(text.slice(earlier)));
  assert.ok(!text.slice(earlier, earlier + earlierEnd).includes('}\n'), 'the window one line earlier ends before the function does');
  // Through validationExcerpt, on the bytes, with all of the text held out.
  assert.equal(validationExcerpt(bytes(text), text.length), chosen);
});

test('a window never starts at an empty line, and a short text is all of it', () => {
  assert.equal(validationExcerpt(bytes('\n\nint a;\n'), 8), 'int a;\n');
  const { start } = excerptWindow(Array.from(`${'a\n'.repeat(10)}\n\n${'/* c */ "s" f(g(x)); if (a) b;\n'.repeat(3)}`),
    { maxChars: 100, minChars: 10 });
  assert.equal(start, 0, 'the first window already holds every kind');
});

test('the C-code corpus (when built): the excerpt has a string, a comment and nested brackets', (t) => {
  const file = path.join(root, 'build/corpora/c-code.txt');
  if (!fs.existsSync(file)) return t.skip('build/corpora/c-code.txt not built (scripts/build.sh corpus)');
  const data = new Uint8Array(fs.readFileSync(file));
  const excerpt = validationExcerpt(data, 150252); // the engine's 10% split of its 1,502,527 characters
  const found = kinds(excerpt);
  for (const kind of ['string literal', 'comment', 'nested brackets']) assert.ok(found[kind] > 0, `${kind}: ${JSON.stringify(found)}`);
  assert.ok(excerpt.length >= 1000 && excerpt.length <= 2000);
});
