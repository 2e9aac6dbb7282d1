#!/usr/bin/env node
// The C code corpus for the "interpretable cells" model: musl's C sources as Debian's Emscripten
// package ships them (system/lib/libc/musl/src/**/*.c, MIT), concatenated into one text.
//
//   node scripts/c-corpus.mjs [OUT_DIR]   (default build/corpora)
//
// Writes OUT_DIR/c-code.txt, OUT_DIR/c-code.COPYRIGHT (musl's licence, which must travel with the
// text) and OUT_DIR/c-code.files (the files in the order they were read). Deterministic: the
// files are sorted by their path relative to src/ in byte order, empty files are skipped, and each
// file is followed by one extra "\n" so files are separated by a blank line. Headers (.h) are left
// out: musl's 78 internal headers under src/ are mostly declarations and macros, which would only
// dilute the statements, ifs and nested blocks the model is meant to learn.
import fs from 'node:fs';
import path from 'node:path';

const muslDir = process.env.MUSL_DIR || '/usr/share/emscripten/system/lib/libc/musl';
const outDir = process.argv[2] || 'build/corpora';
const srcDir = path.join(muslDir, 'src');
if (!fs.existsSync(srcDir)) {
  console.error(`c-corpus: ${srcDir} not found. Install Debian's emscripten package (apt-get install emscripten) or set MUSL_DIR.`);
  process.exit(1);
}

function cFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return cFiles(full);
    return entry.isFile() && entry.name.endsWith('.c') ? [full] : [];
  });
}

const byteOrder = (a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));
const files = cFiles(srcDir).map((f) => path.relative(srcDir, f).split(path.sep).join('/')).sort(byteOrder);
const parts = [];
const used = [];
for (const rel of files) {
  const bytes = fs.readFileSync(path.join(srcDir, rel));
  if (bytes.length === 0) continue;
  parts.push(bytes, Buffer.from(bytes[bytes.length - 1] === 0x0a ? '\n' : '\n\n'));
  used.push(rel);
}
const text = Buffer.concat(parts);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'c-code.txt'), text);
fs.copyFileSync(path.join(muslDir, 'COPYRIGHT'), path.join(outDir, 'c-code.COPYRIGHT'));
fs.writeFileSync(path.join(outDir, 'c-code.files'), used.map((f) => `src/${f}\n`).join(''));
console.log(`c-corpus: ${used.length} files, ${text.length} bytes -> ${path.join(outDir, 'c-code.txt')}`);
