#!/usr/bin/env node
// The seeds' interpretable cells in a code model: ranks every unit of MODEL by how well it tracks
// each text property (`charrnn neurons`), on two texts it never trained on, and prints one JSON
// line per property and text with the best unit. `charrnn neurons` reads at most 20,000
// characters at a time, so each text is cut into excerpts of that size, each read from a fresh
// state; a unit's r is the mean of its r over the excerpts in which the property varies
// (weighted by their length), and r_min, r_max give the spread. The texts:
//   - validation: the C corpus's validation split (its last 10%, as `charrnn train` holds out);
//   - compiler-rt: compiler-rt's builtins from Emscripten's package (lib/builtins/*.c in byte
//     order, the first --chars characters), C from another code base in another style.
//
//   node bench/code_cells.mjs [--model examples/models/c-code.safetensors] [--charrnn build/native/cli/charrnn]
//     [--corpus build/corpora/c-code.txt] [--chars 100000] >> bench/results/code_cells.jsonl
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO, parseOptions } from './lib.mjs';

const USAGE = 'usage: node bench/code_cells.mjs [--model FILE] [--charrnn CLI] [--corpus FILE] [--chars N]';
const { o } = parseOptions(import.meta.url, USAGE, { defaults: { model: 'examples/models/c-code.safetensors',
  charrnn: 'build/native/cli/charrnn', corpus: 'build/corpora/c-code.txt', chars: 100000 } });

const builtins = '/usr/share/emscripten/system/lib/compiler-rt/lib/builtins';
const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const corpus = fs.readFileSync(path.resolve(REPO, o.corpus), 'latin1');  // ASCII: bytes are characters
const texts = {
  validation: corpus.slice(corpus.length - Math.floor(corpus.length * 0.1)),
  'compiler-rt': fs.readdirSync(builtins).filter((f) => f.endsWith('.c')).sort(byteOrder)
    .map((f) => fs.readFileSync(path.join(builtins, f), 'latin1')).join('\n').slice(0, Number(o.chars)),
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cells-'));
const date = new Date().toISOString().slice(0, 10);
try {
  for (const [name, text] of Object.entries(texts)) {
    const excerpt = 20000;
    const scores = new Map();  // property -> "layer:unit:state" -> [{r, chars}]
    for (let start = 0; start < text.length; start += excerpt) {
      const part = text.slice(start, start + excerpt);
      const file = path.join(tmp, `${name}.txt`);
      fs.writeFileSync(file, part, 'latin1');
      const out = execFileSync(path.resolve(REPO, o.charrnn),
        ['neurons', '--model', o.model, '--text', file, '--json', '--per-property', '100000'],
        { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
      for (const line of out.trim().split('\n')) {
        const p = JSON.parse(line);
        if (!scores.has(p.property)) scores.set(p.property, new Map());
        for (const b of p.best) {
          const key = `${b.layer}:${b.unit}:${b.state}`;
          const list = scores.get(p.property).get(key) ?? [];
          list.push({ r: b.r, chars: part.length });
          scores.get(p.property).set(key, list);
        }
      }
    }
    const command = `charrnn neurons --model ${o.model} --text <each ${excerpt}-character excerpt of ${name}> --json --per-property 100000`;
    const round = (x) => Math.round(x * 1000) / 1000;
    for (const [property, units] of scores) {
      let best = null;
      for (const [key, list] of units) {
        const chars = list.reduce((s, x) => s + x.chars, 0);
        const r = list.reduce((s, x) => s + x.r * x.chars, 0) / chars;
        if (!best || Math.abs(r) > Math.abs(best.r)) best = { key, r, list, chars };
      }
      const [layer, unit, state] = best ? best.key.split(':') : [null, null, null];
      console.log(JSON.stringify({ model: o.model, text: name, chars: text.length, property,
        layer: best ? Number(layer) : null, unit: best ? Number(unit) : null, state,
        r: best ? round(best.r) : null, r_min: best ? round(Math.min(...best.list.map((x) => x.r))) : null,
        r_max: best ? round(Math.max(...best.list.map((x) => x.r))) : null,
        excerpts_varying: best ? best.list.length : 0, chars_varying: best ? best.chars : 0, date, command }));
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
