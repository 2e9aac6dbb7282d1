// The readers' journeys (journeys.mjs) in chromium: one browser for the file.
import { journeys } from './journeys.mjs';

journeys('chromium');
