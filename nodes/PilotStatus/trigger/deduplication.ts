import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

// The service may deliver an event more than once and asks receivers to de-duplicate on data.id.
// n8n gives a webhook() method no shared store with an atomic check-and-record: its deduplication
// helpers (checkProcessedAndRecord) exist only for execute(), and they too read, change and write
// back a whole list. So two memories:
// - the node's static data: n8n reads it from the database at the start of each call and writes it
//   back whole after webhook(), so it holds across restarts and across n8n processes for
//   deliveries that arrive one after another. Two processes handling calls at once each write
//   their own copy and the last write wins; so every write also carries what this process
//   remembers, and a digest another process overwrote comes back with this process's next write;
// - this process's memory: it also catches copies that arrive at the same moment, before either
//   call has saved static data (but not copies that reach two different processes at once).
// Both keep a digest of each delivery's key, never the key: anyone holding a number's URL can send
// events with IDs of any length, and static data is saved with the workflow after every delivery.
// 1,000 digests of 16 characters (under 20 KB whatever arrives) span a flood of a few minutes, so
// a retry that comes after many other events is still recognised.

const KEPT_PER_TRIGGER = 1000;
const TRIGGERS_KEPT = 500;
/** 96 bits of SHA-256 in base64url: two of 1,000 keys sharing one is about a 1 in 2^77 chance. */
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
 * Names one registration of one trigger node in this process's memory. Its secret is new at each
 * registration, so a workflow registered afresh (or deleted and imported again under its ID)
 * never meets what an earlier registration remembered; a digest, so no secret is kept as a key.
 */
export function memoryKey(workflowId: string, nodeId: string, secret: string): string {
	return `${workflowId}:${nodeId}:${digestOf(secret)}`;
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
 * The stored digests plus those this process remembers and the stored list lacks (another
 * process's write may have replaced the list since this process saved them), newest last.
 */
function withRecent(persisted: string[], recent: string[] | undefined): string[] {
	const stored = new Set(persisted);
	const missing = (recent ?? []).filter((digest) => !stored.has(digest));
	return [...persisted, ...missing].slice(-KEPT_PER_TRIGGER);
}

function sameList(a: string[], b: unknown): boolean {
	return Array.isArray(b) && a.length === b.length && a.every((entry, index) => entry === b[index]);
}

/**
 * Whether the delivery was seen before; if not, it is remembered in both memories. `trigger` names
 * the trigger node (workflow and node ID), `stored` is its static data. Static data gets back any
 * digest this process remembers that another process's write dropped, also on a repeat.
 */
export function isDuplicate(trigger: string, stored: IDataObject, key: string): boolean {
	const digest = digestOf(key);
	const recent = inMemory.get(trigger);
	const known = withRecent(persistedDigests(stored), recent);
	const duplicate = known.includes(digest);
	const next = duplicate ? known : remember(known, digest);
	// Assigning marks static data changed, and n8n then writes it: only when something changed.
	if (!sameList(next, stored.recentDeliveries)) stored.recentDeliveries = next;
	if (duplicate) return true;
	inMemory.delete(trigger);
	inMemory.set(trigger, remember(recent, digest));
	if (inMemory.size > TRIGGERS_KEPT) inMemory.delete(inMemory.keys().next().value as string);
	return false;
}
