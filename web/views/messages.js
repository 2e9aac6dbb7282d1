// Messages in the page (what went wrong and what to do, with buttons for the fix), and the
// confirmation dialog. Message text is always inserted as text, never as HTML.

const list = () => document.getElementById('notices');
const shown = new Map(); // id -> the message element on show with that id

/**
 * Shows a message; a later message with the same id replaces it. kind: 'error' | 'warning' |
 * 'info' | 'success'. actions: [{ label, onClick, primary }] (each click also closes the message
 * unless it returns false). Good news without buttons goes away by itself after a while.
 * Returns { close, element }.
 */
export function showMessage({ id, kind = 'info', title, text, actions = [],
  autoCloseMs = (kind === 'success' || kind === 'info') && !actions.length ? 15000 : 0 }) {
  if (id) closeMessage(id);
  const box = document.createElement('div');
  box.className = `notice notice-${kind}`;
  if (id) {
    box.dataset.message = id; // an output: the tests find a message by it
    shown.set(id, box);
  }
  // #notices is a polite live region: a screen reader reads each message added to it when it has
  // finished what it was saying. Errors and warnings interrupt it (role alert).
  if (kind === 'error' || kind === 'warning') box.setAttribute('role', 'alert');

  const body = document.createElement('div');
  body.className = 'notice-body';
  if (title) {
    const strong = document.createElement('strong');
    strong.textContent = title;
    body.append(strong, ' ');
  }
  const span = document.createElement('span');
  span.className = 'notice-text';
  span.textContent = text;
  body.append(span);
  box.append(body);

  const buttons = document.createElement('div');
  buttons.className = 'notice-actions';
  const close = () => {
    box.remove();
    if (shown.get(id) === box) shown.delete(id);
  };
  for (const action of actions) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = action.label;
    if (action.primary) b.className = 'primary';
    b.addEventListener('click', async () => {
      if ((await action.onClick()) !== false) close();
    });
    buttons.append(b);
  }
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'notice-close';
  dismiss.setAttribute('aria-label', 'Dismiss message');
  dismiss.textContent = '×';
  dismiss.addEventListener('click', close);
  buttons.append(dismiss);
  box.append(buttons);

  list().prepend(box);
  // Messages sit at the top of the page, often far from the control that caused them: one that
  // needs the reader (an error, a warning, a choice) is brought into view.
  if (kind === 'error' || kind === 'warning' || actions.length) box.scrollIntoView?.({ block: 'nearest' });
  if (autoCloseMs) setTimeout(close, autoCloseMs);
  return { close, element: box };
}

export function closeMessage(id) {
  shown.get(id)?.remove();
  shown.delete(id);
}

/** A modal question; resolves true for the confirm button, false for cancel or Escape. */
export function askConfirm({ title, text, confirmLabel, cancelLabel = 'Cancel' }) {
  const dialog = document.getElementById('confirm');
  dialog.querySelector('#confirm-title').textContent = title;
  dialog.querySelector('#confirm-text').textContent = text;
  const ok = dialog.querySelector('#confirm-ok');
  const cancel = dialog.querySelector('#confirm-cancel');
  ok.textContent = confirmLabel;
  cancel.textContent = cancelLabel;
  return new Promise((resolve) => {
    const finish = (answer) => {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onOk = () => finish(true);
    const onCancel = () => finish(false);
    const onClose = () => finish(false);
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    cancel.focus(); // the safe answer has the focus
  });
}
