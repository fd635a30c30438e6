import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

// The service may deliver an event more than once and asks receivers to de-duplicate on data.id.
// Two memories, because n8n offers no shared store to a webhook() method:
// - the node's static data: n8n 2.41 saves it after webhook() only when the node answers the call
//   itself; each call reads it back from the database, so it holds across restarts and across
//   n8n processes for deliveries that arrive one after another;
// - this process's memory: it also catches copies that arrive at the same moment, before either
//   call has saved static data (but not copies that reach two different processes at once).
// Both keep a digest of each delivery's key, never the key: anyone holding a number's URL can send
// events with IDs of any length, and static data is saved with the workflow after every delivery.
// 200 digests of 16 characters keep the memory under 4 KB whatever arrives.

const KEPT_PER_TRIGGER = 200;
const TRIGGERS_KEPT = 500;
/** 96 bits of SHA-256 in base64url: two of 200 keys sharing one is a 1 in 2^80 chance. */
const DIGEST = /^[A-Za-z0-9_-]{16}$/;
const inMemory = new Map<string, string[]>();

/**
 * What makes a delivery one occurrence of an event, shared by its retries. `message.sent:evt_1`:
 * the event too, because message events share one id across sent/delivered/read. The docs never
 * show `data` of number events, and one reading of them (third-party code reads
 * `data.instanceId ?? data.id`) makes `data.id` the number's ID. That ID does not tell a number's
 * second connect from a retry of its first; the envelope's createdAt (when it happened, the same in
 * every retry) does, and without one there is no key.
 */
export function deliveryKey(
	event: string,
	data: IDataObject,
	createdAt: unknown,
	numberId: string,
): string | undefined {
	const id =
		typeof data.id === 'string' || (typeof data.id === 'number' && Number.isFinite(data.id))
			? String(data.id)
			: '';
	if (id === '') return undefined;
	const namesTheNumber = [numberId, data.instanceId, data.numberId].includes(id);
	if (!namesTheNumber) return `${event}:${id}`;
	return typeof createdAt === 'string' && createdAt !== ''
		? `${event}:${id}@${createdAt}`
		: undefined;
}

function digestOf(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/**
 * The digests in static data. 0.2.0 kept the keys themselves (`message.sent:evt_1`, never shaped
 * like a digest): those are digested, so a repeat of a delivery it saw is still dropped. Anything
 * else is dropped without an error.
 */
function persistedDigests(stored: IDataObject): string[] {
	const list = Array.isArray(stored.recentDeliveries) ? (stored.recentDeliveries as unknown[]) : [];
	return list
		.slice(-KEPT_PER_TRIGGER)
		.filter((entry): entry is string => typeof entry === 'string')
		.map((entry) => (DIGEST.test(entry) ? entry : digestOf(entry)));
}

function remember(list: string[] | undefined, digest: string): string[] {
	return [...(list ?? []).filter((seen) => seen !== digest), digest].slice(-KEPT_PER_TRIGGER);
}

/**
 * Whether the delivery was seen before; if not, it is remembered in both memories. `trigger` names
 * the trigger node (workflow and node ID), `stored` is its static data.
 */
export function isDuplicate(trigger: string, stored: IDataObject, key: string): boolean {
	const digest = digestOf(key);
	const recent = inMemory.get(trigger);
	const persisted = persistedDigests(stored);
	if (recent?.includes(digest) || persisted.includes(digest)) return true;
	inMemory.delete(trigger);
	inMemory.set(trigger, remember(recent, digest));
	if (inMemory.size > TRIGGERS_KEPT) inMemory.delete(inMemory.keys().next().value as string);
	stored.recentDeliveries = remember(persisted, digest);
	return false;
}
