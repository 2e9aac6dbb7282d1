// Every default of the trainer page, in one place: where the page's model and training settings
// differ from the engine's own defaults (core/model/config.h, which fill in the rest), how often the
// worker reports, validates, samples and autosaves, and the page's limits. Tuning time-to-quality
// means changing numbers here and nowhere else.

/**
 * Train for: the time budget a new model gets (the engine's schedule follows it,
 * core/training/schedule.h; the model and training settings follow the text and the budget,
 * core/training/recipe.h, the CLI's recipe too). The default is 10 minutes: long enough for
 * samples that read like the text (about 1.45 nats/char on Shakespeare with two threads), short
 * enough that a visitor watches it end, with the rate falling as it does; a visitor leaving the tab
 * open picks 1 hour or "until I stop", and may change it while training (the model goes on).
 * minutes: Infinity is "until I stop".
 */
export const BUDGET = Object.freeze({
  defaultMinutes: 10,
  choices: Object.freeze([
    Object.freeze({ minutes: 3, label: '3 minutes' }),
    Object.freeze({ minutes: 10, label: '10 minutes' }),
    Object.freeze({ minutes: 60, label: '1 hour' }),
    Object.freeze({ minutes: Infinity, label: 'until I stop' }),
  ]),
});

/**
 * Threads: workers that train (each batch split over them; see wasm_bindings/shard_helpers.js).
 * The default is the cores but one, which the page's own thread keeps; but at least two on a
 * two-core machine: the page's thread uses about 1 s of CPU a minute while training (bench/run
 * soak: main_cpu_ms), so keeping a core for it would halve the training speed for almost nothing.
 * More than maxDefault cost memory (a model replica each) for little: the batch of 32 streams
 * split 8 ways leaves 4 a shard, where a step's fixed costs start to dominate. max: the most the
 * Threads control takes.
 */
export const THREADS = Object.freeze({ maxDefault: 8, max: 32 });

export function defaultThreads(cores) {
  if (!(cores >= 2)) return 1;
  return Math.min(THREADS.maxDefault, Math.max(2, cores - 1));
}

/** Samples: the temperature slider, the priming text and the sample length. */
export const SAMPLING = Object.freeze({
  temperature: 0.8,
  minTemperature: 0.1,
  maxTemperature: 2,
  /** One arrow key press on the slider: a change a reader sees in the samples. */
  temperatureStep: 0.05,
  prime: '',
  length: 300,
  maxLength: 10000,
  /** Periodic samples while training are never longer than this, whatever the length setting. */
  maxPeriodicLength: 600,
  /** Characters in the greedy (argmax) line. */
  greedyLength: 150,
  /** Earlier samples kept in the history list. */
  historyLength: 60,
  /** Lines mode: whole lines per automatic sample (RecurrentJS shows five). */
  lines: 5,
  /** Lines mode: a sampled line without a line break by then is cut. */
  maxLineChars: 200,
  /** Lines mode: the share from the text / new is over this many latest lines. */
  linesShareOver: 100,
});

/** The worker's rhythm while training. */
export const LOOP = Object.freeze({
  /** Training steps run back to back for about this long before the worker reads its messages. */
  chunkMs: 60,
  /** Progress messages to the page (a few per second). */
  reportEveryMs: 250,
  /** A fresh sample and greedy line. */
  sampleEveryMs: 4000,
  /** Validation loss on a slice of the validation text; each one also snapshots the model. */
  valEveryMs: 6000,
  /** ...or less often, so that validating takes at most this share of the training time. */
  valMaxShare: 0.1,
  /** The slice: the first this-many characters of the validation split (the full split on demand). */
  valSliceChars: 10000,
  /** Snapshots after a validation also go to IndexedDB, at most this often. */
  autosaveEveryMs: 6000,
  /** An upper bound on the steps of one chunk (the chunk's time ends it long before). */
  maxStepsPerChunk: 100000,
});

/** The "Inside the network" card. */
export const INSPECT = Object.freeze({
  /** The default text: about this many characters from the start of the validation part. */
  excerptChars: 2000,
  /** ...cut at a line end when that keeps at least this many. */
  excerptMinChars: 1000,
  /** The most characters a reader's own text may have (each one is a coloured element). */
  maxChars: 5000,
  /** Next-character guesses shown per character. */
  topK: 5,
  /** ...picked from the first this-many characters of it (see inspect-data.js: validationExcerpt). */
  excerptScanChars: 200000,
  /** Units listed per property by "Find interpretable neurons". */
  neuronsPerProperty: 3,
  /**
   * The cells by name: the properties of the seeds' pictures (Karpathy's blog post, CS231n
   * lecture 10), as the engine names them (core/inspection/neurons.h), each shown by its best unit.
   */
  namedCells: Object.freeze(['inside quotes', 'inside a comment', 'bracket depth', 'line position',
    'inside an if statement']),
  /** While training and in view, the card refreshes this often. */
  refreshEveryMs: 5000,
  /** Quiet after typing in "Text to inspect" before it is inspected. */
  typingDebounceMs: 600,
});

/** What the page accepts. */
export const LIMITS = Object.freeze({
  /** Larger files are refused before reading (a 50 MB file gets a message, not a frozen tab). */
  maxFileBytes: 20 * 1024 * 1024,
  /**
   * The text area shows at most this many characters of a loaded text; training uses all of it
   * (unless the reader edits the text area). Chromium lays out a text area's whole text whenever
   * it is set, at about 0.5 ms per 1,000 characters here: 100 KB would block the page for ~50 ms,
   * 20 KB (some 600 lines) takes a few.
   */
  textAreaChars: 20000,
  /** Memory a training configuration may take in a tab (WASM32 tops out at 4 GiB, tabs often at less). */
  memoryBudgetBytes: 1024 * 1024 * 1024,
  /** Milliseconds of quiet after typing in the text area before its statistics are refreshed. */
  textEditDebounceMs: 700,
});

/**
 * Built-in texts (served from corpora/) and the pretrained models trained on them (models/).
 * lines: choosing the preset turns the lines mode on with the LINES settings (others turn it off).
 * credit: where the text comes from and its licence (shown under the text while it is in use).
 * cell: the property whose best unit "Inside the network" opens on with the pretrained model.
 */
export const PRESETS = Object.freeze([
  { id: 'shakespeare', label: 'Shakespeare', file: 'corpora/tinyshakespeare.txt',
    model: 'models/shakespeare.safetensors', prime: 'ROMEO:' },
  { id: 'names', label: 'Names', file: 'corpora/proper-names.txt', model: 'models/names.safetensors', prime: '',
    lines: true },
  { id: 'c-code', label: 'C code', file: 'corpora/c-code.txt', model: 'models/c-code.safetensors', prime: 'int ',
    cell: 'inside quotes',
    credit: { text: 'The C sources of musl libc 1.2.2 (src/**/*.c), MIT licence:', licence: 'corpora/c-code.COPYRIGHT' } },
  { id: 'sentences', label: 'Sentences to memorise', file: 'corpora/sentences.txt', model: null, prime: 'The ',
    lines: true },
]);

/** The preset the page trains on when it opens. */
export const DEFAULT_PRESET = 'shakespeare';
