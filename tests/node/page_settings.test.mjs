// The trainer page's settings against the engine's settings table (charrnn.schema): the recipe the
// page fills its form from (engine.recipe(), core/training/recipe.h) names only settings the engine
// has, in the right group, with values the engine takes, and each one it changes from the engine's
// defaults has a place in the form (and the worker asks it with the text's characters, as the CLI
// counts them); the settings form (web/settings/form.js) shows only settings of
// the model and training, each in an element of the page, and its lists offer the engine's choices.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { loadEngine, root } from './support.mjs';
import { SETTING_ELEMENTS } from '../../web/settings/form.js';

let schema;
let engine;
before(async () => { ({ engine } = await loadEngine()); ({ schema } = engine); });

const settingOf = (group, key) => schema.find((s) => s.group === group && s.js === key);

// Why `value` is not a value of the setting `s` takes, or null.
function problem(s, value) {
  switch (s.type) {
    case 'bool': return typeof value === 'boolean' ? null : 'not true or false';
    case 'choice': return s.choices.includes(value) ? null : `not one of ${s.choices.join(', ')}`;
    case 'int list': return Array.isArray(value) && value.every((v) => Number.isInteger(v) && v >= s.min && v <= s.max)
      ? null : `not a list of whole numbers from ${s.min} to ${s.max}`;
    default:
      if (typeof value !== 'number') return 'not a number';
      if (s.type === 'int' && !Number.isInteger(value)) return 'not a whole number';
      return value >= s.min && value <= s.max ? null : `outside ${s.min} to ${s.max}`;
  }
}

// The recipes the page asks for: small, medium and large texts, lines mode, each budget.
const recipes = () => {
  const out = [];
  for (const chars of [30000, 400000, 1100000]) {
    for (const lines of [false, true]) {
      for (const minutes of [0, 3, 10, 60, Infinity]) {
        const { model, train } = engine.recipe(chars, { lines, minutes });
        const name = `recipe(${chars}, ${lines ? 'lines' : 'text'}, ${minutes} min)`;
        out.push([`${name}.model`, 'model', model], [`${name}.train`, 'train', train]);
      }
    }
  }
  return out;
};

function checkRecipe(parts) {
  const wrong = [];
  for (const [name, group, settings] of parts) {
    for (const [key, value] of Object.entries(settings)) {
      const s = settingOf(group, key);
      if (!s) {
        const elsewhere = schema.find((e) => e.js === key);
        const why = elsewhere ? `a ${elsewhere.group} setting, not a ${group} one` : 'no such setting';
        wrong.push(`${name}.${key}: ${why}`);
      } else if (problem(s, value)) {
        wrong.push(`${name}.${key} = ${JSON.stringify(value)}: ${problem(s, value)} (the ${s.label})`);
      }
    }
  }
  return wrong;
}

test('every setting of the page\'s recipe is the engine\'s, of its group and in its range', () => {
  const parts = recipes();
  assert.deepEqual(checkRecipe(parts), []);
  assert.ok(parts.length >= 60, 'the recipes are read');
});

test('each setting a recipe changes from the engine\'s defaults has a place in the form', () => {
  const hidden = [];
  for (const [name, group, settings] of recipes()) {
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'hiddenSizes') continue; // the Hidden size field shows both
      const engineValue = engine.defaults[group][key];
      const same = typeof value === 'number' ? Math.fround(value) === Math.fround(engineValue)
        : JSON.stringify(value) === JSON.stringify(engineValue);
      if (!same && !(key in SETTING_ELEMENTS)) {
        hidden.push(`${name}.${key}`);
      }
    }
  }
  assert.deepEqual(hidden, []);
});

test('a misspelt, misplaced or out-of-range setting in a recipe is named', () => {
  const wrong = checkRecipe([['MODEL', 'model', { hiddensize: 192 }], ['TRAINING', 'train', { dropout: 0.1 }],
    ['LINES.train', 'train', { seqLen: 0, optimizer: 'sgd', lines: 'yes' }]]);
  assert.deepEqual(wrong, [
    'MODEL.hiddensize: no such setting',
    'TRAINING.dropout: a model setting, not a train one',
    'LINES.train.seqLen = 0: outside 1 to 65536 (the sequence length)',
    'LINES.train.optimizer = "sgd": not one of rmsprop, adam, adagrad (the optimiser)',
    'LINES.train.lines = "yes": not true or false (the lines mode)',
  ]);
});

test('the form shows model and training settings, each in an element of the page', () => {
  const html = fs.readFileSync(path.join(root, 'web', 'page', 'index.html'), 'utf8');
  for (const [key, id] of Object.entries(SETTING_ELEMENTS)) {
    const s = schema.find((e) => e.js === key && (e.group === 'model' || e.group === 'train'));
    assert.ok(s, `form.js shows '${key}', which is no model or training setting`);
    assert.match(html, new RegExp(`id="${id}"`), `index.html has no element #${id} for ${key}`);
    if (s.type !== 'choice') continue;
    // A list's options are the engine's choices (their labels are the page's).
    const select = html.match(new RegExp(`<select id="${id}">([\\s\\S]*?)</select>`));
    assert.ok(select, `#${id} is a <select>`);
    const values = [...select[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(values.sort(), [...s.choices].sort(), `#${id}'s options`);
  }
});

test('the worker asks the recipe for a text not counted yet by its characters, as the CLI counts', async () => {
  const { recipe } = await import('../../web/worker/budget.js');
  const { state } = await import('../../web/worker/state.js');
  // 150,000 characters of two bytes each: a small text by its characters, a medium one by its bytes.
  const text = 'я'.repeat(150000);
  state.engine = engine;
  state.staged = { bytes: new TextEncoder().encode(text), name: 'cyrillic.txt', info: null, error: null };
  try {
    assert.deepEqual(recipe({ minutes: 10 }), engine.recipe(150000, { minutes: 10 }));
    assert.notDeepEqual(engine.recipe(150000, { minutes: 10 }), engine.recipe(300000, { minutes: 10 }),
      'the two counts give different recipes');
  } finally {
    state.engine = null;
    state.staged = null;
  }
});
