// The benchmark's configurations. A name spells its shape: <cell>-<layers>x<hidden>-b<batch>-t<seq>;
// every configuration uses embedding size 32 on tinyshakespeare.
export const DEFAULT_CONFIGS = [
  'lstm-2x128-b32-t50',
  'lstm-2x512-b32-t50',
  'gru-1x256-b32-t50',
  'rnn-1x256-b32-t50',
  'lstm-2x20-b1-t25', // the RecurrentJS demo's size
];

export function parseConfigName(name) {
  const m = /^(lstm|gru|rnn)-(\d+)x(\d+)-b(\d+)-t(\d+)$/.exec(name);
  if (!m) throw new Error(`'${name}' is not a configuration name (<lstm|gru|rnn>-<layers>x<hidden>-b<batch>-t<seq>)`);
  return { cell: m[1], layers: +m[2], hidden: +m[3], batch: +m[4], seq: +m[5] };
}
