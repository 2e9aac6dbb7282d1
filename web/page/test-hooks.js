// The page's test hooks, behind one switch. Opened with `?test` in its address (the browser tests
// and the page benchmark open it so), the page writes exact figures for them into data-*
// attributes: raw losses in nats, iterations, character counts, when the first step arrived.
// Without it the page writes none of these. The page never reads any of them back.
export const TEST_HOOKS = typeof location !== 'undefined' && new URLSearchParams(location.search).has('test');

/**
 * What the training worker is told: to pretend (`?test&no-nested-workers`: a browser whose workers
 * cannot start workers, so the page's threads fall back to one), and that this is a test page (its
 * CALL.crashForTest works; the page's charrnnCrashForTest() makes that call).
 */
export function workerTestOptions() {
  if (!TEST_HOOKS) return {};
  return { noNestedWorkers: new URLSearchParams(location.search).has('no-nested-workers'), testHooks: true };
}

/** Sets data-* attributes of `el` for the tests (null or undefined removes one); nothing without ?test. */
export function testData(el, values) {
  if (!TEST_HOOKS) return;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) delete el.dataset[key];
    else if (el.dataset[key] !== String(value)) el.dataset[key] = String(value);
  }
}

let firstStepSeen = false;
let firstLossSeen = false;

/**
 * A training report: the first one of the page records when it arrived (ms since the page was
 * opened: data-first-step-ms on #figures), the first finite loss of each model that loss
 * (data-first-loss). With threads, where a step's time went (stepMs: data-step-send-ms,
 * -own-shard-ms, -wait-ms, -finish-ms; bench/page_threads.mjs reads them).
 */
export function noteProgress(loss, stepMs = null) {
  if (!TEST_HOOKS) return;
  const figures = document.getElementById('figures');
  const ms = (key) => (stepMs ? stepMs[key].toFixed(2) : null);
  testData(figures, { stepSendMs: ms('send'), stepOwnShardMs: ms('ownShard'), stepWaitMs: ms('wait'),
    stepFinishMs: ms('finish') });
  if (!firstStepSeen) {
    firstStepSeen = true;
    testData(figures, { firstStepMs: Math.round(performance.now()) });
  }
  if (!firstLossSeen && Number.isFinite(loss)) {
    firstLossSeen = true;
    testData(figures, { firstLoss: loss });
  }
}

/** A new model: its first loss is recorded afresh. */
export function noteNewModel() {
  firstLossSeen = false;
  testData(document.getElementById('figures'), { firstLoss: null });
}

/**
 * A start-up milestone (the engine ready, the default text fetched, ...): the first time each is
 * reached, data-startup-<name>-ms on <html> records when (ms since the page opened).
 * bench/startup.mjs reads them.
 */
export function noteStartup(name) {
  if (!TEST_HOOKS) return;
  const key = `startup${name[0].toUpperCase()}${name.slice(1)}Ms`;
  const { dataset } = document.documentElement;
  if (!(key in dataset)) dataset[key] = String(Math.round(performance.now()));
}
