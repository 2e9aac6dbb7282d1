// Formatting in a fixed locale, with a fallback: a browser whose default locale Intl refuses
// (WebKit in a process with the C locale: "RangeError: invalid language tag: C") still starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, formatNumber } from '../../web/shared/format.js';

const moment = new Date(Date.UTC(2026, 11, 5, 20, 15, 4));

test('a moment is written in English whatever the default locale', () => {
  assert.match(formatTime(moment), /^Dec 5, 2026, \d{1,2}:15 [AP]M$/);
  assert.match(formatTime(moment, { timeOnly: true }), /^\d{1,2}:15:04 [AP]M$/);
  assert.equal(formatNumber(1115394), '1,115,394');
});

test('where Intl refuses to format, ISO 8601 rather than an exception', () => {
  const original = Date.prototype.toLocaleString;
  Date.prototype.toLocaleString = () => { throw new RangeError('invalid language tag: C'); };
  try {
    assert.equal(formatTime(moment), '2026-12-05 20:15:04');
    assert.equal(formatTime(moment, { timeOnly: true }), '20:15:04');
  } finally {
    Date.prototype.toLocaleString = original;
  }
});
