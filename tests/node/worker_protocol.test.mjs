// The messages between the trainer page and its worker are listed once (web/shared/worker-protocol.js):
// the page makes each call by its CALL name and the worker exposes exactly those; the worker posts
// each report by its REPORT name and the page handles each one; no side spells a name as a string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALL, REPORT } from '../../web/shared/worker-protocol.js';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const sources = (dir) => fs.readdirSync(path.join(web, dir)).filter((f) => f.endsWith('.js'))
  .map((f) => ({ file: `web/${dir}/${f}`, text: fs.readFileSync(path.join(web, dir, f), 'utf8') }));
const page = [...sources('page'), ...sources('views')];
const worker = sources('worker');
const uses = (files, pattern) => files.filter((f) => pattern.test(f.text)).map((f) => f.file);

test('the worker exposes every call in CALL, by its name', () => {
  const api = fs.readFileSync(path.join(web, 'worker', 'api.js'), 'utf8');
  for (const key of Object.keys(CALL)) {
    assert.match(api, new RegExp(`\\[CALL\\.${key}\\]:`), `worker/api.js has CALL.${key}`);
  }
});

test('the page makes every call in CALL, by its name', () => {
  for (const key of Object.keys(CALL)) {
    assert.ok(uses(page, new RegExp(`CALL\\.${key}\\b`)).length > 0, `the page calls CALL.${key}`);
  }
});

test('the worker posts every report in REPORT, and the page handles each', () => {
  for (const key of Object.keys(REPORT)) {
    assert.ok(uses(worker, new RegExp(`emit\\(REPORT\\.${key}\\b`)).length > 0, `the worker emits REPORT.${key}`);
    assert.ok(uses(page, new RegExp(`REPORT\\.${key}\\b`)).length > 0, `the page handles REPORT.${key}`);
  }
});

test('no call or report is named by a string literal', () => {
  const literalCall = /\bcall\(\s*['"`]|remote(\.\w+|\[['"`])\s*\(/;
  const quoted = `['"\`]`;
  const literalReport = new RegExp([`\\.type\\s*===?\\s*${quoted}`, `case\\s+${quoted}[a-z-]+${quoted}\\s*:`,
    `type:\\s*${quoted}(${Object.values(REPORT).join('|')})${quoted}`].join('|'));
  const literalEmit = /\bemit\(\s*['"`{]/;
  assert.deepEqual(uses(page, literalCall), [], 'worker calls by string');
  assert.deepEqual(uses([...page, ...worker], literalReport), [], 'reports by string');
  assert.deepEqual(uses(worker, literalEmit), [], 'reports posted by string');
});
