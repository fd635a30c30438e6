import type { Checked } from '../input/validation';

/**
 * A year: far beyond any pairing (a remote pairing link lives 24 h), and well inside what a date
 * can hold. Beyond a date's range the webhook mode's deadline is an "Invalid time value", and an
 * Infinity would make the polling mode poll for ever.
 */
export const MAX_GIVE_UP_AFTER_MINUTES = 365 * 24 * 60;

/** Give Up After (Minutes), checked before anything is sent, in both modes of Wait for Connection. */
export function checkGiveUpAfter(minutes: unknown): Checked<number> {
	if (typeof minutes !== 'number' || !(minutes > 0)) {
		return { problem: `Give Up After (Minutes) is ${String(minutes)}; use a positive number.` };
	}
	if (!(minutes <= MAX_GIVE_UP_AFTER_MINUTES)) {
		return {
			problem: `Give Up After (Minutes) is ${String(minutes)}; use at most ${MAX_GIVE_UP_AFTER_MINUTES} (a year).`,
		};
	}
	return { value: minutes };
}
