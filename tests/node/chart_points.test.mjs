// The loss chart stays bounded however long a tab trains (web/views/chart-points.js): a day of reports
// (4 training points a second, a validation point every 6 s) never holds more than the limit plus
// one thinning's worth, keeps the newest points and, for the first hours, every validation point.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { keptPoints } from '../../web/views/chart-points.js';

function simulate(seconds, max) {
  let val = [];
  let pushed = 0;
  let largest = 0;
  for (let t = 0; t < seconds * 4; t++) {
    const isVal = t % 24 === 0;
    val.push(isVal ? 1 : null);
    if (isVal) pushed++;
    const idx = keptPoints(val, max);
    if (idx) val = idx.map((i) => val[i]);
    largest = Math.max(largest, val.length);
  }
  return { largest, kept: val.filter((v) => v != null).length, pushed };
}

test('nothing is thinned below the limit', () => {
  assert.equal(keptPoints([1, null, null, 1], 4), null);
});

test('the older half loses every other training point, and no validation point at first', () => {
  const val = Array.from({ length: 11 }, (_, i) => (i === 1 ? 1 : null));
  assert.deepEqual(keptPoints(val, 10), [0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
});

test('a day of training keeps the chart bounded, validation points included', () => {
  const hour = simulate(3600, 8000);
  assert.equal(hour.kept, hour.pushed, 'the first hour keeps every validation point');
  const day = simulate(24 * 3600, 8000);
  assert.ok(day.largest <= 8001, `at most the limit (largest ${day.largest})`);
  assert.ok(day.kept < day.pushed, 'validation points are thinned too after some hours');
  assert.ok(day.kept > 500, `but a dense curve is left (${day.kept})`);
});
