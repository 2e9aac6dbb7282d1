// What choosing a preset does to the settings: a list to memorise (a preset with lines: true)
// turns the lines mode on, another text turns it off; the recipe for the text (web/page/recipe.js)
// then fills in the rest, the memorising one in lines mode.
export function applyPresetSettings(preset) {
  document.getElementById('lines-mode').checked = !!preset.lines;
}
