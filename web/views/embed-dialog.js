// The "Copy embed snippet" dialog: the tags for the <char-rnn> widget (page/embed-snippet.js) in a
// read-only text box, a Copy button, where to put the files, and a button that saves the model
// file the snippet names. Everything goes in as text.
const $ = (id) => document.getElementById(id);

/**
 * Shows the snippet. modelFile: the file name it names; weights: what the file holds, as text (which
 * weights and why); onSaveModel(): saves that file. Resolves when the dialog closes.
 */
export function showEmbedDialog({ snippet, modelFile, weights, widgetDir, modelDir, onSaveModel }) {
  const dialog = $('embed-dialog');
  const box = $('embed-snippet');
  box.value = snippet;
  $('embed-status').textContent = '';
  $('embed-note').textContent = `The model file holds ${weights}. ` +
    `Put it (${modelFile}, float16: press “Save the model file”) in a ` +
    `${modelDir}/ folder beside your page, and the widget's three files (below; the same as build/web/widget/) ` +
    `in a ${widgetDir}/ folder; or change the two paths in the snippet. Any static host works.`;
  const copy = async () => {
    box.select();
    try {
      await navigator.clipboard.writeText(snippet);
      $('embed-status').textContent = 'Copied.';
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the text is selected instead.
      $('embed-status').textContent = 'The browser did not allow copying: the snippet is selected, press Ctrl+C (⌘C).';
    }
  };
  const save = () => onSaveModel();
  const close = () => dialog.close();
  return new Promise((resolve) => {
    const onClose = () => {
      $('embed-copy').removeEventListener('click', copy);
      $('embed-save').removeEventListener('click', save);
      $('embed-close').removeEventListener('click', close);
      dialog.removeEventListener('close', onClose);
      resolve();
    };
    $('embed-copy').addEventListener('click', copy);
    $('embed-save').addEventListener('click', save);
    $('embed-close').addEventListener('click', close);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    $('embed-copy').focus();
  });
}
