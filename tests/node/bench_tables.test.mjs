// The docs stay true to their sources: every table of figures is what bench/table.mjs writes from
// bench/results/*.jsonl (so a hand edit fails here), and every relative link in every Markdown
// file leads to a file that exists and, for #anchors, to a heading there.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { markdownFiles, renderFile } from '../../bench/table.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('every figures table in the docs is what bench/results gives', () => {
  const run = spawnSync(process.execPath, [path.join(REPO, 'bench', 'table.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `node bench/table.mjs --check failed:\n${run.stderr}`);
});

test('a table edited by hand is named by the check', () => {
  const [file] = markdownFiles().filter((f) => fs.readFileSync(f, 'utf8').includes('<!-- table:engines -->'));
  assert.ok(file, 'no Markdown file holds the engines table');
  // A copy of the file with one figure of the table changed, checked as the script checks it.
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- table:engines -->');
  const edited = text.slice(0, start) + text.slice(start).replace(/\| (\d[\d,]*) \|/, '| 1$1 |');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tables-'));
  try {
    const copy = path.join(dir, 'edited.md');
    fs.writeFileSync(copy, edited);
    assert.notEqual(edited, text);
    assert.ok(renderFile(copy).differs.includes('engines'), 'the edited engines table was not named');
    assert.equal(renderFile(copy).rendered, renderFile(file).rendered, 'writing the table puts the figure back');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The Markdown files git tracks (the walker's list where git is missing).
function trackedMarkdown() {
  try {
    return execFileSync('git', ['ls-files', '*.md'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean)
      .map((f) => path.join(REPO, f)).filter((f) => fs.existsSync(f));
  } catch {
    return markdownFiles();
  }
}

// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function anchors(file) {
  const seen = new Map();
  const out = new Set();
  for (const m of proseOf(fs.readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(m[1].replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

// The text outside code blocks and inline code, where a link is a link.
const proseOf = (text) => text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

test('every relative link in every Markdown file resolves', () => {
  const files = trackedMarkdown();
  assert.ok(files.length > 5, `only ${files.length} Markdown files found`);
  const dead = [];
  for (const file of files) {
    const prose = proseOf(fs.readFileSync(file, 'utf8'));
    for (const [, target] of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;  // http:, https:, mailto:
      const [rel, anchor] = target.split('#');
      const dest = rel ? path.resolve(path.dirname(file), decodeURIComponent(rel)) : file;
      const where = `${path.relative(REPO, file)}: (${target})`;
      if (!fs.existsSync(dest)) dead.push(`${where}: no such file`);
      else if (anchor && dest.endsWith('.md') && !anchors(dest).has(anchor)) dead.push(`${where}: no heading #${anchor}`);
    }
  }
  assert.deepEqual(dead, [], `dead links:\n${dead.join('\n')}`);
});
