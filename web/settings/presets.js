// What choosing a preset does to the settings form: a list to memorise (a preset with lines: true)
// turns the lines mode on with the page's LINES settings; another text, picked while the lines mode
// is on, turns it off again with the page's usual settings. Applied when Train is pressed.
import { LINES } from './defaults.js';
import { defaults, readSettings, writeSettings } from './form.js';

export function applyPresetSettings(preset) {
  const base = defaults();
  if (preset.lines) {
    writeSettings({ model: { ...base.model, ...LINES.model }, train: { ...base.train, ...LINES.train } });
    return;
  }
  let linesOn = false;
  try {
    linesOn = readSettings().train.lines;
  } catch {
    linesOn = document.getElementById('lines-mode').checked; // another field is not a number
  }
  if (linesOn) writeSettings(base);
}
