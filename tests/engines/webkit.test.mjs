// The readers' journeys (journeys.mjs) in webkit: one browser for the file.
import { journeys } from './journeys.mjs';

journeys('webkit');
