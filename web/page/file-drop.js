// Files dropped anywhere on the page. A browser's own answer to a dropped file is to open it in
// place of the page, which would end a training run: every drag of files is taken here instead.
// A text file becomes the training text, a .safetensors file the model; anything else is refused
// with a message. Text dragged into the text area or a text box drops there as usual.
import { showMessage, closeMessage } from '../views/messages.js';

const MODEL_FILE = /\.safetensors$/i;
// Types a text file comes with. An empty type (an extension the system does not know) is tried as
// text too: the engine refuses a file that is not UTF-8, with its own message.
const TEXT_TYPE = /^(text\/.*|application\/(json|ld\+json|xml|javascript|x-javascript|x-sh|x-tex|x-subrip))?$/;

/** 'model', 'text', or null for a file the page cannot use. */
export function kindOfFile(file) {
  if (MODEL_FILE.test(file.name)) return 'model';
  if (TEXT_TYPE.test(file.type)) return 'text';
  return null;
}

const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
const takesText = (el) => el instanceof HTMLElement &&
  (el.isContentEditable || (el.matches('textarea, input') && !el.readOnly && !el.disabled));

/** onText(file) and onModel(file) load what was dropped. */
export function initFileDrop({ onText, onModel }) {
  let depth = 0; // dragenter minus dragleave: 0 once the drag has left the window
  const highlight = (on) => document.body.classList.toggle('dropping', on);

  window.addEventListener('dragenter', (event) => {
    if (carriesFiles(event)) highlight(++depth > 0);
  });
  window.addEventListener('dragleave', (event) => {
    if (carriesFiles(event) && --depth <= 0) {
      depth = 0;
      highlight(false);
    }
  });
  window.addEventListener('dragend', () => {
    depth = 0;
    highlight(false);
  });
  window.addEventListener('dragover', (event) => {
    if (carriesFiles(event)) {
      event.preventDefault(); // the page takes the files: the browser does not open them
      event.dataTransfer.dropEffect = 'copy';
      highlight(true);
    } else if (!takesText(event.target)) {
      event.preventDefault(); // a link or text dropped outside a text box: nothing happens
      event.dataTransfer.dropEffect = 'none';
    }
  });
  window.addEventListener('drop', (event) => {
    depth = 0;
    highlight(false);
    if (!carriesFiles(event)) {
      if (!takesText(event.target)) event.preventDefault();
      return;
    }
    event.preventDefault();
    closeMessage('drop');
    const files = [...event.dataTransfer.files];
    if (files.length !== 1) {
      showMessage({ id: 'drop', kind: 'error', title: 'Drop one file at a time.',
        text: `${files.length ? `${files.length} files were` : 'Nothing that can be read was'} dropped: nothing changed. ` +
          'Drop a text file to train on it, or a .safetensors model to load it.' });
      return;
    }
    const [file] = files;
    const kind = kindOfFile(file);
    if (kind === 'model') onModel(file);
    else if (kind === 'text') onText(file);
    else {
      showMessage({ id: 'drop', kind: 'error', title: `“${file.name}” is not a text file.`,
        text: `It is ${file.type}, and the trainer reads text (.txt) to train on and .safetensors models: ` +
          'nothing changed.' });
    }
  });
}
