// The readers' journeys (journeys.mjs) in firefox: one browser for the file.
import { journeys } from './journeys.mjs';

journeys('firefox');
