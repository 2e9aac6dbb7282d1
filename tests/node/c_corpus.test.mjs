// scripts/c-corpus.mjs: the C corpus is the same bytes on every run, carries musl's licence, and
// with Debian's Emscripten 3.1.6 (musl 1.2.2) is exactly the text the shipped c-code model was
// trained on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const emscriptenVersion = '/usr/share/emscripten/emscripten-version.txt';
const recorded = { emscripten: '3.1.6', files: 1322, bytes: 1502527,
  sha256: 'd85dfba9a7149777bbf7e6152693ce6df7807d7fd987438ad424490db2447d12' };

function build(dir) {
  execFileSync('node', [path.join(root, 'scripts/c-corpus.mjs'), dir], { stdio: 'pipe' });
  return fs.readFileSync(path.join(dir, 'c-code.txt'));
}

test('the C corpus is deterministic, licensed and the recorded text', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c-corpus-'));
  try {
    const first = build(path.join(tmp, 'a')), second = build(path.join(tmp, 'b'));
    assert.ok(first.equals(second), 'two runs wrote different bytes');
    assert.match(first.subarray(0, 40).toString(), /^#include <aio\.h>\n/, 'starts with src/aio/aio.c');
    assert.match(first.subarray(-60).toString(), /return syscall_cp\(SYS_writev, fd, iov, count\);\n#endif\n}\n\n$/,
      'ends with src/unistd/writev.c and a blank line');
    assert.match(fs.readFileSync(path.join(tmp, 'a/c-code.COPYRIGHT'), 'utf8'), /Rich Felker/);
    const files = fs.readFileSync(path.join(tmp, 'a/c-code.files'), 'utf8').trim().split('\n');
    assert.deepEqual(files, [...files].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))), 'files in byte order');
    const version = fs.existsSync(emscriptenVersion) ? fs.readFileSync(emscriptenVersion, 'utf8').trim() : '';
    if (version !== recorded.emscripten) return;  // another musl: deterministic, but other bytes
    assert.equal(files.length, recorded.files);
    assert.equal(first.length, recorded.bytes);
    assert.equal(crypto.createHash('sha256').update(first).digest('hex'), recorded.sha256);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
