// How the page (and its worker) writes numbers: counts with thousands separators, byte sizes in
// binary units (KiB, MiB, GiB: 1024-based, and named so), and losses per character in nats or
// bits. One place, so a size or a loss reads the same in every message.
const LN2 = Math.log(2);
// A fixed locale, not the browser's default: that comes from the process, and WebKit's can be "C",
// which Intl refuses (RangeError). Where Intl cannot format at all, plain digits.
function numberFormat(options) {
  try {
    return new Intl.NumberFormat('en', options);
  } catch {
    return { format: (n) => String(Math.round(n * 10) / 10) };
  }
}
const whole = numberFormat();
const upToOneDecimal = numberFormat({ maximumFractionDigits: 1 });

/** A moment as "Dec 5, 2026, 8:15 PM" (timeOnly: "8:15:04 PM"); ISO 8601 where Intl cannot format it. */
export function formatTime(date, { timeOnly = false } = {}) {
  try {
    return date.toLocaleString('en', timeOnly ? { timeStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return date.toISOString().slice(timeOnly ? 11 : 0, 19).replace('T', ' ');
  }
}

/** 1115394 -> "1,115,394". */
export function formatNumber(n) {
  return whole.format(n);
}

/** 5576970 -> "5.3 MiB", 20971520 -> "20 MiB", 2048 -> "2 KiB", 12 -> "12 bytes". */
export function formatBytes(n) {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const [size, unit] = n < 1024 ** 2 ? [1024, 'KiB'] : n < 1024 ** 3 ? [1024 ** 2, 'MiB'] : [1024 ** 3, 'GiB'];
  return `${upToOneDecimal.format(n / size)} ${unit}`;
}

/** The unit of a loss per character. */
export function lossUnit(bits) {
  return bits ? 'bits/char' : 'nats/char';
}

/** A loss the engine measured (always nats per character) in the unit on show; a number. */
export function lossValue(nats, bits) {
  return bits ? nats / LN2 : nats;
}

/**
 * A loss in nats per character as text: "1.5432 nats/char", "2.2264 bits/char" (unit: false
 * leaves the unit off), or "not measured" when there is none.
 */
export function formatLoss(nats, { bits = false, digits = 4, unit = true } = {}) {
  if (!Number.isFinite(nats)) return 'not measured';
  const value = lossValue(nats, bits).toFixed(digits);
  return unit ? `${value} ${lossUnit(bits)}` : value;
}

/** A learning rate: 0.003, 2.5e-5. */
export function formatRate(lr) {
  return lr < 1e-3 || lr >= 1e3 ? lr.toExponential(2) : String(Number(lr.toPrecision(3)));
}
