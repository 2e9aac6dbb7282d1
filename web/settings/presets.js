// What choosing a preset does to the settings: a list to memorise (a preset with lines: true)
// turns the lines mode on, another text turns it off; the recipe for the text (web/page/recipe.js)
// then fills in the rest once the text is staged, the memorising one in lines mode. A preset that
// turns the mode on or off writes the recipe into the form even with a model on show (the next
// Train is of the other kind); another text leaves a model's own settings on show until Train.
let modeChanged = false;

export function applyPresetSettings(preset) {
  const box = document.getElementById('lines-mode');
  modeChanged = box.checked !== !!preset.lines;
  box.checked = !!preset.lines;
}

/** Whether the last preset turned the lines mode on or off (asked once, when its text is staged). */
export function takeModeChange() {
  const changed = modeChanged;
  modeChanged = false;
  return changed;
}
