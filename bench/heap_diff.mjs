#!/usr/bin/env node
// Compares two heap snapshots (.heapsnapshot, as DevTools or bench/soak.mjs --heap-snapshots write
// them) by what their objects are: for each node type and constructor name (for strings, "string";
// for closures, the function's name), the count and the bytes (self size) in each, and what grew,
// largest growth first. A leak shows as a name whose count keeps rising between two snapshots taken
// minutes apart in a steady state.
//
// With --code, only V8's compiled code (nodes of type "code"), grouped by the function that owns
// it: the nearest closure or SharedFunctionInfo among its retainers (up to 5 edges away).
//
//   node bench/heap_diff.mjs BEFORE.heapsnapshot AFTER.heapsnapshot [--top 30] [--code]
import fs from 'node:fs';

import { parseOptions } from './lib.mjs';

function summarise(file, { code }) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (code) return codeByOwner(snap);
  const { node_fields: fields, node_types: [types] } = snap.snapshot.meta;
  const width = fields.length;
  const at = (f) => fields.indexOf(f);
  const [iType, iName, iSize] = [at('type'), at('name'), at('self_size')];
  const groups = new Map();
  const nodes = snap.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]];
    // Strings' names are their text: group them all under their type.
    const name = ['string', 'concatenated string', 'sliced string', 'number'].includes(type)
      ? type : `${type}: ${String(snap.strings[nodes[i + iName]]).slice(0, 80)}`;
    const g = groups.get(name) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += nodes[i + iSize];
    groups.set(name, g);
  }
  return groups;
}

// Compiled code grouped by owning function (see the top of the file).
function codeByOwner(snap) {
  const { node_fields: nf, edge_fields: ef, node_types: [types] } = snap.snapshot.meta;
  const [w, we] = [nf.length, ef.length];
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f));
  const iTo = ef.indexOf('to_node');
  const n = snap.nodes.length / w;
  const retainers = Array.from({ length: n }, () => []);
  for (let i = 0, e = 0; i < n; i++) {
    for (const end = e + snap.nodes[i * w + iEdges] * we; e < end; e += we) retainers[snap.edges[e + iTo] / w].push(i);
  }
  const type = (i) => types[snap.nodes[i * w + iType]];
  const name = (i) => String(snap.strings[snap.nodes[i * w + iName]]);
  const owner = (start) => {
    const seen = new Set([start]);
    let frontier = [start];
    for (let depth = 0; depth < 5 && frontier.length; depth++) {
      const next = [];
      for (const f of frontier) {
        for (const r of retainers[f]) {
          if (seen.has(r)) continue;
          seen.add(r);
          if (type(r) === 'closure') return `function ${name(r) || '(anonymous)'}`;
          const sfi = /SharedFunctionInfo(?: \/ (.*))?$/.exec(name(r));
          if (sfi) return `function ${sfi[1] || '(anonymous)'}`;
          next.push(r);
        }
      }
      frontier = next;
    }
    return '(no function found)';
  };
  const groups = new Map();
  for (let i = 0; i < n; i++) {
    if (type(i) !== 'code') continue;
    const key = `code of ${owner(i)}`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i * w + iSize];
    groups.set(key, g);
  }
  return groups;
}

function main() {
  const { o: { top, code }, positionals, fail } = parseOptions(import.meta.url,
    'usage: node bench/heap_diff.mjs BEFORE.heapsnapshot AFTER.heapsnapshot [--top N] [--code]',
    { defaults: { top: 30 }, flags: ['code'], positionals: true });
  if (positionals.length !== 2) fail('name two heap snapshots, before and after');
  if (!(top > 0)) fail('--top must be above 0');
  const [a, b] = positionals.map((file) => summarise(file, { code }));
  const total = (m) => [...m.values()].reduce((s, g) => s + g.bytes, 0);
  const rows = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name) ?? { count: 0, bytes: 0 };
    const y = b.get(name) ?? { count: 0, bytes: 0 };
    if (x.count !== y.count || x.bytes !== y.bytes) rows.push({ name, count: y.count - x.count, bytes: y.bytes - x.bytes, before: x, after: y });
  }
  rows.sort((p, q) => q.bytes - p.bytes);
  console.log(`self size: ${total(a)} → ${total(b)} bytes (${total(b) - total(a) >= 0 ? '+' : ''}${total(b) - total(a)})`);
  console.log('bytes Δ\tcount Δ\tcount before → after\twhat');
  for (const r of rows.slice(0, top)) console.log(`${r.bytes}\t${r.count}\t${r.before.count} → ${r.after.count}\t${r.name}`);
  console.log('…shrank most:');
  for (const r of rows.slice(-Math.min(10, rows.length)).reverse()) console.log(`${r.bytes}\t${r.count}\t${r.before.count} → ${r.after.count}\t${r.name}`);
}

main();
