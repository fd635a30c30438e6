import type { IDataObject } from 'n8n-workflow';

import { quote } from '../input/validation';
import type { Checked } from '../input/validation';

// A run's messages spread over time by Pilot Status's own scheduling (deliverAt): every message is
// accepted (QUEUED) at once and the service sends each at its time, so no n8n worker waits.

export const RATE_FIELD = 'Pace: Messages per Minute';
export const WINDOW_FIELD = 'Pace: Spread Over (Minutes)';

/**
 * Above this the sending itself is the pace (the node has about 8 sends in flight), and WhatsApp's
 * anti-ban advice is far below it: a higher number would only hide a mistake.
 */
export const MAX_PER_MINUTE = 600;
/** A message may wait QUEUED up to 7 days before Pilot Status gives up on it (messaging-api §2.4). */
export const MAX_SPAN_MINUTES = 7 * 24 * 60;
/**
 * A paced run starts this long after it begins sending (unless Deliver At says when), so that the
 * first messages keep their times while the sends are on their way. A 429 waited out for longer
 * is no failure: each try sets deliverAt anew (MIN_LEAD_MS).
 */
export const START_LEAD_MS = 5_000;
/**
 * A message whose time is closer than this when a try's request is built (the sending fell behind
 * the pace, or a 429 was waited out) goes without deliverAt: at once, which is its time anyway.
 */
export const MIN_LEAD_MS = 1_000;

export type Pace =
	| { perMinute: number; minutes?: undefined }
	| { minutes: number; perMinute?: undefined };

function given(value: unknown): boolean {
	return value !== undefined && value !== null && String(value).trim() !== '';
}

function positive(value: unknown, field: string, max: number, example: string): Checked<number> {
	const number = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(number) || number <= 0) {
		return {
			problem: `${field} ${quote(typeof value === 'number' ? String(value) : value)} is not a positive number. Enter ${example}, or remove it to send at once.`,
		};
	}
	if (number > max) {
		return {
			problem: `${field} is ${number}; the most it takes is ${max}. Enter ${example}, or remove it to send at once.`,
		};
	}
	return { value: number };
}

/** The Options' pace, checked; undefined when neither field is set. */
export function paceOf(options: IDataObject): Checked<Pace | undefined> {
	const rate = options.messagesPerMinute;
	const window = options.spreadOverMinutes;
	if (given(rate) && given(window)) {
		return {
			problem: `${RATE_FIELD} and ${WINDOW_FIELD} are both set; they are two ways to say the same pace. Keep one of them.`,
		};
	}
	if (given(rate)) {
		const perMinute = positive(
			rate,
			RATE_FIELD,
			MAX_PER_MINUTE,
			'how many messages a minute, e.g. 20',
		);
		return perMinute.problem !== undefined ? perMinute : { value: { perMinute: perMinute.value } };
	}
	if (given(window)) {
		const minutes = positive(
			window,
			WINDOW_FIELD,
			MAX_SPAN_MINUTES,
			`the minutes to spread the run's messages over, e.g. 120 (at most ${MAX_SPAN_MINUTES}, 7 days)`,
		);
		return minutes.problem !== undefined ? minutes : { value: { minutes: minutes.value } };
	}
	return { value: undefined };
}

function typed(value: unknown): string {
	return given(value) ? String(value).trim() : '';
}

/**
 * One pace for the run: a pace mapped to a different value on some item is refused, since every
 * message's time follows from the one before it (there is no pace of one item).
 */
export function samePace(
	run: IDataObject,
	items: Array<{ itemIndex: number; options: IDataObject }>,
	runItemIndex = 0,
): Checked<true> {
	for (const [name, field] of [
		['messagesPerMinute', RATE_FIELD],
		['spreadOverMinutes', WINDOW_FIELD],
	]) {
		const expected = typed(run[name]);
		const other = items.find((item) => typed(item.options[name]) !== expected);
		if (other === undefined) continue;
		const shown = (value: string) => (value === '' ? 'empty' : value);
		return {
			problem: `${field} is ${shown(expected)} for item index ${runItemIndex} but ${shown(typed(other.options[name]))} for item index ${other.itemIndex}; a pace is one pace for the whole run (each message's time follows from the one before). Enter one value for every item, or send the items in separate runs with one pace each.`,
		};
	}
	return { value: true };
}

/** Milliseconds between two messages of a run of `count` messages. */
export function spacingMs(pace: Pace, count: number): number {
	return pace.perMinute !== undefined
		? 60_000 / pace.perMinute
		: (pace.minutes * 60_000) / Math.max(count, 1);
}

/** A rate that would take a run past the 7 days a queued message waits: refused before sending. */
export function checkSpan(pace: Pace, count: number): Checked<true> {
	if (pace.perMinute === undefined) return { value: true };
	const minutes = (count - 1) / pace.perMinute;
	if (minutes <= MAX_SPAN_MINUTES) return { value: true };
	const days = Math.round((minutes / 1440) * 10) / 10;
	return {
		problem: `${RATE_FIELD} ${pace.perMinute} spreads these ${count} messages over ${days} days; Pilot Status keeps a queued message up to 7 days. Raise the rate to at least ${Math.ceil(((count - 1) / MAX_SPAN_MINUTES) * 10_000) / 10_000}, or send fewer items per run.`,
	};
}

/** When a paced run's first message goes: its Deliver At, else a moment from `now`. */
export function startOf(deliverAt: string | undefined, now: number): number {
	return deliverAt ? Date.parse(deliverAt) : now + START_LEAD_MS;
}

/** When the message in `position` (from 0) of the run goes: `start` plus its place at the pace. */
export function slotOf(pace: Pace, count: number, start: number, position: number): number {
	return start + Math.round(position * spacingMs(pace, count));
}

/** deliverAt for a slot, or undefined when the slot is (almost) now: the message goes at once. */
export function deliverAtFor(slot: number, now: number): string | undefined {
	return slot - now < MIN_LEAD_MS ? undefined : new Date(slot).toISOString();
}
