// Calls to a worker that can die (wasm_bindings/worker_calls.js, used for the helper workers of
// threads and the page's training worker): answers pass through, a death rejects the calls
// waiting and every later one, and no call is remembered once it is answered (racing calls
// against one long-lived promise kept a reaction per call: the leak this replaced).
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { watchWorker } = await import(new URL('../../build/wasm/worker_calls.js', import.meta.url));

test('answers and failures pass through, and answered calls are forgotten', async () => {
  const life = watchWorker();
  assert.equal(await life.guard(() => Promise.resolve(42)), 42);
  await assert.rejects(life.guard(() => Promise.reject(new Error('no'))), /no/);
  await assert.rejects(life.guard(() => { throw new Error('thrown'); }), /thrown/);
  const many = [];
  for (let i = 0; i < 10000; i++) many.push(life.guard(() => new Promise((r) => setImmediate(() => r(i)))));
  assert.equal(life.waiting, 10000);
  assert.equal((await Promise.all(many)).at(-1), 9999);
  await new Promise((r) => setImmediate(r)); // the bookkeeping runs just after each answer
  assert.equal(life.waiting, 0);
  assert.equal(life.death, null);
});

test('the call is made at once, not a microtask later (its message goes out before long work)', () => {
  const life = watchWorker();
  let called = false;
  life.guard(() => { called = true; return new Promise(() => {}); });
  assert.equal(called, true);
});

test('a death rejects the calls waiting and every later one, without calling it', async () => {
  const life = watchWorker();
  const waiting = [life.guard(() => new Promise(() => {})), life.guard(() => new Promise(() => {}))];
  const died = new Error('The training thread stopped.');
  assert.equal(life.die(died), true);
  assert.equal(life.die(new Error('again')), false); // the first death stays
  for (const p of waiting) await assert.rejects(p, (e) => e === died);
  assert.equal(life.waiting, 0);
  let called = false;
  await assert.rejects(life.guard(() => { called = true; return Promise.resolve(1); }), (e) => e === died);
  assert.equal(called, false);
  assert.equal(life.death, died);
});

test('an answer after the death changes nothing', async () => {
  const life = watchWorker();
  let answer;
  const p = life.guard(() => new Promise((r) => { answer = r; }));
  life.die(new Error('gone'));
  answer('late');
  await assert.rejects(p, /gone/);
});
