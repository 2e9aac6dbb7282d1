// The loss chart's points, kept bounded for a tab left training for days: beyond `max` points the
// older half is thinned (every other point goes). Training points (one per report, 4 a second)
// always; validation points (one every few seconds) only once they are a quarter of the limit,
// so the validation curve keeps every point for the first hours and the chart stays bounded after.

/** Returns the indices of the points to keep: all of them while there are at most `max`. */
export function keptPoints(val, max) {
  const n = val.length;
  if (n <= max) return null;
  const half = n >> 1;
  let valPoints = 0;
  for (const v of val) if (v != null) valPoints++;
  const keepEveryVal = valPoints < max / 4;
  const idx = [];
  for (let i = 0; i < n; i++) if (i >= half || i % 2 === 0 || (keepEveryVal && val[i] != null)) idx.push(i);
  return idx;
}
