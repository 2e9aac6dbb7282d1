// charrnn.schema is the engine's own settings table (core/model/settings.cpp): its defaults are
// the ones the engine gives (charrnn.defaults, and a trainer made from them), every number just
// outside its range is refused with a message naming the setting, and `charrnn schema` and the
// sampling module give the same table.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadEngine, runCli, sentences } from './support.mjs';

let api, engine;
before(async () => { ({ api, engine } = await loadEngine()); });

// A float setting's value as the engine holds it (a float32): the schema writes 0.002, JS gets
// 0.0020000000949949026 back from the engine.
const held = (s, v) => (s.type === 'float' ? Math.fround(v) : v);
const settingsOf = (group) => engine.schema.filter((s) => s.group === group);
const defaultsOf = (group) => Object.fromEntries(settingsOf(group).map((s) => [s.js, held(s, s.default)]));

test('the schema lists every setting with its names, type and default', () => {
  assert.ok(engine.schema.length >= 26, `only ${engine.schema.length} settings`);
  for (const s of engine.schema) {
    assert.ok(['model', 'train', 'sample'].includes(s.group), `${s.key}: group ${s.group}`);
    assert.ok(['int', 'float', 'bool', 'choice', 'int list'].includes(s.type), `${s.key}: type ${s.type}`);
    assert.ok(s.label && s.help && s.js, `${s.key}: label, help and JS name`);
    // vocabSize's default 0: not set until a text gives the vocabulary.
    if ((s.type === 'int' || s.type === 'float') && s.key !== 'vocab_size') assert.ok(s.min <= s.default && s.default <= s.max, `${s.key}: default in range`);
    if (s.type === 'choice') assert.ok(s.choices.includes(s.default), `${s.key}: default among the choices`);
  }
  const lr = engine.schema.find((s) => s.key === 'learning_rate');
  assert.deepEqual({ json: lr.json, js: lr.js, cli: lr.cli, label: lr.label, default: lr.default },
    { json: 'learning_rate', js: 'learningRate', cli: '--lr', label: 'learning rate', default: 0.002 });
  assert.ok(Object.isFrozen(engine.schema) && Object.isFrozen(lr));
});

test('the schema\'s defaults are the engine\'s, and a trainer made from them keeps them', () => {
  const { vocabSize, ...model } = defaultsOf('model'); // the text sets the vocabulary
  assert.equal(vocabSize, 0);
  assert.deepEqual(model, { ...engine.defaults.model });
  assert.deepEqual(defaultsOf('train'), { ...engine.defaults.train });
  assert.deepEqual(defaultsOf('sample'), { ...engine.defaults.sample });

  const text = sentences.repeat(4);
  const trainer = engine.createTrainer(text, model, defaultsOf('train'));
  try {
    const { vocabSize: v, ...made } = trainer.modelConfig;
    assert.ok(v > 1);
    assert.deepEqual(made, model);
    assert.deepEqual(trainer.trainConfig, defaultsOf('train'));
  } finally {
    trainer.dispose();
  }
});

// For every number the table bounds: one step below its min and above its max is refused with a
// CharRnnError naming it (by the engine, or by charrnn.js's whole-number check, which uses the
// same label). Skipped: vocabSize (the text sets it) and maxima beyond a 32-bit int (seeds,
// top-k: no bound of their own).
test('every number just outside its range is refused, naming the setting', () => {
  const small = { hiddenSize: 16, embedSize: 8, layers: 1 };
  const smallTrain = { batchSize: 4, seqLen: 16, seed: 1 };
  const trainer = engine.createTrainer(sentences, small, smallTrain);
  const tried = [];
  try {
    for (const s of engine.schema) {
      if ((s.type !== 'int' && s.type !== 'float') || s.key === 'vocab_size') continue;
      const outside = [s.type === 'int' ? s.min - 1 : s.min - 0.5];
      if (s.max < 2 ** 31 - 1) outside.push(s.type === 'int' ? s.max + 1 : s.max * 1.5 + 1);
      for (const v of outside) {
        const attempt = {
          model: () => engine.createTrainer(sentences, { ...small, [s.js]: v }, smallTrain),
          train: () => engine.createTrainer(sentences, small, { ...smallTrain, [s.js]: v }),
          sample: () => trainer.sample({ [s.js]: v, length: 1 }),
        }[s.group];
        const label = s.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        assert.throws(attempt, (e) => e instanceof api.CharRnnError && new RegExp(`The ${label} must be`).test(e.message),
          `${s.group}.${s.js} = ${v} should be refused naming the ${s.label}`);
        tried.push(`${s.js}=${v}`);
      }
    }
  } finally {
    trainer.dispose();
  }
  assert.ok(tried.length >= 30, `only ${tried.length} refusals tried: ${tried.join(' ')}`);
});

test('`charrnn schema` and the sampling module give the same table', async () => {
  assert.deepEqual(JSON.parse(runCli(['schema']).toString()), engine.schema);
  const sampling = await api.load({ module: 'sampling' });
  assert.deepEqual(sampling.schema, engine.schema);
});
