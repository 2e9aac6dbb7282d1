// The soak's rule for the page's long tasks, shared by bench/soak.mjs (its verdict) and
// bench/table.mjs (the soak table in bench/README.md): each task is counted once, in the minute whose
// reading collected it; one that overlaps the forced collection and heap snapshot taken right
// after the minute before (that row's gc_window) is the measurement's, not the page's. Minute 0's
// are the page's loading (before the first step), not a stall of training: left out.
export function splitLongTasks(rows) {
  const page = [];
  const measuring = [];
  for (let i = 1; i < rows.length; i++) {
    const w = rows[i - 1].gc_window;
    for (const t of rows[i].long_tasks) {
      const overlaps = w && t.start <= w[1] && t.start + t.ms >= w[0];
      (overlaps ? measuring : page).push({ minute: rows[i].minute, ...t });
    }
  }
  return { page, measuring };
}
