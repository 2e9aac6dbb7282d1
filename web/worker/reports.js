// Reports to the page: plain one-way messages beside Comlink's calls (which have an id; these do
// not, so Comlink ignores them). A few a second, and none waits for an answer. Their types and
// fields: REPORT in web/shared/worker-protocol.js.
import { reportMessage } from '../shared/worker-protocol.js';

export const emit = (type, fields) => self.postMessage(reportMessage(type, fields));
