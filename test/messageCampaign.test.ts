import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	clearTimeline,
	startSendLog,
	storeFile,
	timeline,
	useFilesystemBinaryData,
} from './helpers/campaign';
import {
	SEND_PATH,
	customerPhones,
	faultAfterSend,
	textSendParameters,
	tooManyRequests,
} from './helpers/fixtures';
import { runNode } from './helpers/n8n';
import { NUMBER_KEY, SEED, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// Message → Send as a campaign: the run's items go a few at a time, in order, each file read at its
// turn; a pace spreads them with Pilot Status's scheduling (deliverAt) while the execution ends at
// once; numbers without WhatsApp are skipped before anything is sent. Real engine, real HTTP.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;
const CUSTOMER = '+5511977776666';
/** The sandbox's default number without WhatsApp. */
const NOT_ON_WHATSAPP = '+5511900000000';
/** A Brazilian mobile whose account is registered without the ninth digit (553188887777). */
const LEGACY_BRAZIL = '+5531988887777';
const GROUP = '120363012345678901@g.us';

const numberKey = (baseUrl?: string) =>
	sandbox.credential({ apiKey: NUMBER_KEY, ...(baseUrl ? { baseUrl } : {}) });
const itemsFor = (list: string[]): INodeExecutionData[] =>
	list.map((phone, n) => ({ json: { phone, name: `Cliente ${n}` } }));

async function campaign(
	items: INodeExecutionData[],
	options: IDataObject = {},
	extra: { parameters?: IDataObject; settings?: IDataObject; baseUrl?: string } = {},
) {
	return runNode({
		parameters: textSendParameters('={{ "Olá " + $json.name }}', {
			options,
			...extra.parameters,
		}),
		credential: numberKey(extra.baseUrl) as never,
		items,
		settings: extra.settings,
		mode: 'trigger',
	});
}

const sendRequests = async () =>
	(await sandbox.requests()).filter(
		(request) => request.method === 'POST' && request.path === SEND_PATH,
	);
const checkRequests = async () =>
	(await sandbox.requests()).filter(
		(request) => request.method === 'POST' && request.path === '/v1/numbers/check',
	);

describe('Message → Send: a run goes a few at a time, in order', () => {
	test('20 items: at most 8 sends in flight, outputs in item order, each paired with its item', async () => {
		const log = await startSendLog({ upstream: sandbox.url, holdMs: 150 });
		try {
			const list = customerPhones(20);
			const { items, error } = await campaign(itemsFor(list), {}, { baseUrl: log.url });
			expect(error).toBeUndefined();
			expect(log.maxInFlight()).toBeLessThanOrEqual(8);
			expect(log.maxInFlight()).toBeGreaterThan(1);
			expect(items.map((item) => item.json.destination)).toEqual(list);
			expect(items.map((item) => item.pairedItem)).toEqual(list.map((_, item) => ({ item })));
			expect((await sandbox.messages()).map((message) => message.to).sort()).toEqual(
				[...list].sort(),
			);
			// Production runs carry no manual-run notice.
			expect(items[0].json.manualRunNotice).toBeUndefined();
		} finally {
			await log.stop();
		}
	});

	test('Request Options → Batching still spaces the sends: 2 at a time, 400 ms apart', async () => {
		const log = await startSendLog({ upstream: sandbox.url, holdMs: 20 });
		try {
			const started = Date.now();
			const { items, error } = await campaign(
				itemsFor(customerPhones(6)),
				{},
				{
					baseUrl: log.url,
					parameters: {
						requestOptions: { batching: { batch: { batchSize: 2, batchInterval: 400 } } },
					},
				},
			);
			expect(error).toBeUndefined();
			expect(items).toHaveLength(6);
			expect(Date.now() - started).toBeGreaterThanOrEqual(800);
			expect(log.maxInFlight()).toBeLessThanOrEqual(2);
		} finally {
			await log.stop();
		}
	});
});

describe('Message → Send: files from n8n binary data, read at their turn', () => {
	beforeAll(async () => {
		await useFilesystemBinaryData();
	});

	test('16 PDFs in filesystem binary mode: each file read once, never more than 8 ahead of the answers', async () => {
		const pdf = (n: number) =>
			Buffer.concat([Buffer.from(`%PDF-1.4 ${n} `), Buffer.alloc(1024 * 1024, n)]);
		const list = customerPhones(16);
		const items: INodeExecutionData[] = [];
		for (const [n, phone] of list.entries()) {
			const file = await storeFile(pdf(n), {
				mimeType: 'application/pdf',
				fileName: `nf-${n}.pdf`,
			});
			expect(file.id).toMatch(/^filesystem-v2:/);
			items.push({ json: { phone, name: `Cliente ${n}` }, binary: { invoice: file } });
		}
		const log = await startSendLog({ upstream: sandbox.url, holdMs: 120 });
		clearTimeline();
		try {
			const { items: out, error } = await campaign(
				items,
				{},
				{
					baseUrl: log.url,
					parameters: {
						messageType: 'media',
						mediaType: 'document',
						mediaSource: 'binary',
						mediaBinaryField: 'invoice',
					},
				},
			);
			expect(error).toBeUndefined();
			expect(out.map((item) => item.json.status)).toEqual(list.map(() => 'QUEUED'));
			const reads = timeline.filter((event) => event.event === 'fileRead');
			expect(reads).toHaveLength(16);
			expect(new Set(reads.map((read) => (read.event === 'fileRead' ? read.id : null))).size).toBe(
				16,
			);
			// At every file read, the files read so far minus the sends answered so far stay within 8:
			// files are not all read up front, and each is let go once its send is answered.
			let read = 0;
			let answered = 0;
			let mostAhead = 0;
			for (const event of timeline) {
				if (event.event === 'fileRead') read += 1;
				if (event.event === 'sendAnswered') answered += 1;
				mostAhead = Math.max(mostAhead, read - answered);
			}
			expect(mostAhead).toBeLessThanOrEqual(8);
			const messages = await sandbox.messages();
			expect(messages).toHaveLength(16);
			for (const message of messages) {
				expect(message).toMatchObject({ mediaIsBase64: true, mediaType: 'document' });
				expect(message.mediaBytes).toBeGreaterThan(1024 * 1024);
			}
		} finally {
			await log.stop();
		}
	});
});

describe('Message → Send: pacing through Pilot Status’s scheduling', () => {
	const scheduled = (items: INodeExecutionData[]) =>
		items.map((item) => Date.parse(String(item.json.deliverAt)));
	const gaps = (times: number[]) => times.slice(1).map((time, n) => time - times[n]);

	test('Messages per Minute 30: one every 2 s from a few seconds after the start; the execution does not wait', async () => {
		const started = Date.now();
		const { items, error } = await campaign(itemsFor(customerPhones(5)), { messagesPerMinute: 30 });
		const took = Date.now() - started;
		expect(error).toBeUndefined();
		expect(took).toBeLessThan(5000);
		const times = scheduled(items);
		// The first is scheduled 5 s ahead, so that its deliverAt is still in the future on arrival.
		expect(times[0] - started).toBeGreaterThanOrEqual(5000);
		expect(times[0] - started).toBeLessThanOrEqual(5000 + took);
		expect(gaps(times)).toEqual([2000, 2000, 2000, 2000]);
		const bodies = (await sendRequests()).map((request) => request.body ?? {});
		expect(bodies.map((body) => body.deliverAt).sort()).toEqual(
			items.map((item) => item.json.deliverAt).sort(),
		);
		// Accepted and held by Pilot Status: nothing has gone out yet.
		expect((await sandbox.messages()).map((message) => message.status)).toEqual(
			items.map(() => 'QUEUED'),
		);
	});

	test('Spread Over 2 minutes: 4 messages 30 s apart', async () => {
		const { items } = await campaign(itemsFor(customerPhones(4)), { spreadOverMinutes: 2 });
		expect(gaps(scheduled(items))).toEqual([30_000, 30_000, 30_000]);
		expect((await sandbox.messages()).map((message) => message.deliverAt).sort()).toEqual(
			items.map((item) => item.json.deliverAt).sort(),
		);
	});

	test('with Deliver At, the first message goes then and the others follow at the pace', async () => {
		const start = new Date(Date.now() + 3_600_000);
		start.setMilliseconds(0);
		const { items } = await campaign(itemsFor(customerPhones(3)), {
			deliverAt: start.toISOString(),
			messagesPerMinute: 1,
		});
		expect(items.map((item) => item.json.deliverAt)).toEqual([
			start.toISOString(),
			new Date(start.getTime() + 60_000).toISOString(),
			new Date(start.getTime() + 120_000).toISOString(),
		]);
	});

	test('a Deliver At that comes while the run is still checking numbers: the message goes at once, not refused as past', async () => {
		await sandbox.fault({ type: 'slow', delayMs: 2500, method: 'POST', path: '/v1/numbers/check' });
		const at = new Date(Date.now() + 1500).toISOString();
		const { items, error } = await campaign(itemsFor([CUSTOMER]), {
			deliverAt: at,
			skipNotOnWhatsApp: true,
		});
		record('deadlines');
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'QUEUED', deliverAt: null });
		const sends = await sendRequests();
		expect(sends).toHaveLength(1);
		expect(sends[0].body?.deliverAt).toBeUndefined();
		expect(await sandbox.messages()).toHaveLength(1);
	});

	test('a 429 longer than the lead time: each deliverAt is set anew per try (its slot while ahead, else at once), every message accepted once', async () => {
		// Issue 23: the first slot is 5 s ahead and the service asks for 7 s, so resending the same
		// body would carry a past deliverAt, which Pilot Status refuses.
		await sandbox.fault(
			tooManyRequests('POST', SEND_PATH, {
				retryAfter: 7,
				body: { error: 'Too many requests' },
				count: 3,
			}),
		);
		const list = customerPhones(3);
		const { items, error } = await campaign(itemsFor(list), { messagesPerMinute: 6 });
		record('faults');
		record('sideEffects');
		record('deadlines');
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.status)).toEqual(list.map(() => 'QUEUED'));
		const messages = await sandbox.messages();
		expect(messages.map((message) => message.to).sort()).toEqual([...list].sort());

		const sends = await sendRequests();
		expect(sends.map((request) => request.status).sort()).toEqual([202, 202, 202, 429, 429, 429]);
		const accepted = sends.filter((request) => request.status !== 429);
		const arrived = (request: (typeof sends)[number]) =>
			Date.parse((request as typeof request & { at: string }).at);
		const pastOnArrival = accepted.filter(
			(request) =>
				request.body?.deliverAt !== undefined &&
				Date.parse(String(request.body.deliverAt)) <= arrived(request),
		);
		expect(pastOnArrival).toEqual([]);
		const sentTo = (phone: string) =>
			accepted.find((request) => request.body?.destinationNumber === phone);
		// The first slot passed during the wait: it goes at once, which is when it was due.
		expect(sentTo(list[0])?.body?.deliverAt).toBeUndefined();
		expect(items[0].json.deliverAt).toBeNull();
		// The later slots were still ahead: they keep their times (the second 5 + 10 s after the
		// run began sending), 10 s apart, as the pace first set them.
		expect(items.slice(1).map((item) => item.json.deliverAt)).toEqual(
			list.slice(1).map((phone) => sentTo(phone)?.body?.deliverAt),
		);
		const ahead = Date.parse(String(items[1].json.deliverAt)) - arrived(sends[0]);
		expect(ahead).toBeGreaterThan(14_000);
		expect(ahead).toBeLessThanOrEqual(15_000);
		expect(gaps(scheduled(items.slice(1)))).toEqual([10_000]);
	}, 30_000);

	test('a pace mapped to different values per item is refused before anything is sent: the pace is the run’s', async () => {
		const items = itemsFor(customerPhones(3)).map((item, n) => ({
			json: { ...item.json, rate: n === 2 ? 30 : 20 },
		}));
		const { error } = await campaign(items, { messagesPerMinute: '={{ $json.rate }}' });
		record('badInputs');
		expect(error?.message).toMatch(
			/^Pace: Messages per Minute is 20 for item index 0 but 30 for item index 2; .*one pace for the whole run.*Nothing was sent\.$/,
		);
		expect(await sendRequests()).toEqual([]);
	});

	const refusals: Array<[string, IDataObject, RegExp]> = [
		[
			'both paces',
			{ messagesPerMinute: 10, spreadOverMinutes: 60 },
			/^Pace: Messages per Minute and Pace: Spread Over \(Minutes\) are both set; .* Keep one of them\./,
		],
		[
			'a rate of 0',
			{ messagesPerMinute: 0 },
			/^Pace: Messages per Minute "0" is not a positive number\. Enter how many messages a minute, e\.g\. 20, or remove it/,
		],
		[
			'a negative window',
			{ spreadOverMinutes: -5 },
			/^Pace: Spread Over \(Minutes\) "-5" is not a positive number/,
		],
		[
			'an absurd rate',
			{ messagesPerMinute: 5000 },
			/^Pace: Messages per Minute is 5000; the most it takes is 600\./,
		],
		[
			'a window over 7 days',
			{ spreadOverMinutes: 20_000 },
			/^Pace: Spread Over \(Minutes\) is 20000; the most it takes is 10080\./,
		],
		[
			'a rate that would take more than 7 days',
			{ messagesPerMinute: 0.0001 },
			/^Pace: Messages per Minute 0\.0001 spreads these 3 messages over 13\.9 days; Pilot Status keeps a queued message up to 7 days\. Raise the rate to at least 0\.0002, or send fewer items per run\./,
		],
	];
	test.each(refusals)('%s is refused before anything is sent', async (_name, options, message) => {
		const { error } = await campaign(itemsFor(customerPhones(3)), options);
		record('badInputs');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/Nothing was sent\.$/);
		expect(await sendRequests()).toEqual([]);
	});

	test('a pace past 7 days names the rate to use; with On Error → Continue every item says why', async () => {
		const { items } = await campaign(
			itemsFor(customerPhones(12)),
			{ messagesPerMinute: 0.001 },
			{ settings: { onError: 'continueRegularOutput' } },
		);
		record('badInputs');
		expect(items).toHaveLength(12);
		for (const item of items)
			expect(String(item.json.error)).toMatch(
				/^Pace: Messages per Minute 0\.001 spreads these 12 messages over 7\.6 days; Pilot Status keeps a queued message up to 7 days\. Raise the rate to at least 0\.0011, or send fewer items per run\./,
			);
		expect(await sendRequests()).toEqual([]);
	});
});

describe('Message → Send: bad input anywhere stops the run before the first message', () => {
	const list = ['11 97777-0001', '11 97777-0002', 'Ana', '11 97777-0004'];

	test('the third item’s phone is bad: nothing is sent, the error names the item’s field', async () => {
		const { error } = await campaign(itemsFor(list));
		record('badInputs');
		expect(error?.message).toMatch(
			/^Phone Number "Ana" is not a phone number.*Nothing was sent\.$/,
		);
		expect((error?.context as IDataObject | undefined)?.itemIndex).toBe(2);
		expect(await sendRequests()).toEqual([]);
	});

	test('with On Error → Continue the bad item is an error item and the others are sent', async () => {
		const { items } = await campaign(
			itemsFor(list),
			{},
			{ settings: { onError: 'continueRegularOutput' } },
		);
		record('badInputs');
		expect(items.map((item) => (item.json.error ? 'error' : item.json.status))).toEqual([
			'QUEUED',
			'QUEUED',
			'error',
			'QUEUED',
		]);
		expect(items[2].pairedItem).toEqual({ item: 2 });
		expect(await sendRequests()).toHaveLength(3);
	});
});

describe('Message → Send: Skip Numbers Not on WhatsApp', () => {
	test('checks the phones in one call, skips the one without WhatsApp, explains the ninth digit; groups go unchecked', async () => {
		const items: INodeExecutionData[] = [
			{ json: { phone: CUSTOMER, name: 'Ana' } },
			{ json: { phone: NOT_ON_WHATSAPP, name: 'Nobody' } },
			{ json: { phone: LEGACY_BRAZIL, name: 'Carlos' } },
			{ json: { phone: CUSTOMER, name: 'Ana again' } },
		];
		const { items: out, error } = await campaign(items, { skipNotOnWhatsApp: true });
		const group = await runNode({
			parameters: {
				resource: 'message',
				operation: 'send',
				sendTo: 'group',
				groupId: GROUP,
				messageType: 'text',
				text: 'Olá grupo',
				options: { skipNotOnWhatsApp: true },
			},
			credential: numberKey() as never,
		});
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['QUEUED', 'SKIPPED', 'QUEUED', 'QUEUED']);
		expect(out[1].json).toMatchObject({
			id: null,
			skipped: true,
			destination: NOT_ON_WHATSAPP,
			whatsappCheck: { onWhatsApp: false },
			note: expect.stringContaining('has no WhatsApp account'),
		});
		expect(out[1].error).toBeUndefined();
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json.whatsappCheck).toMatchObject({
			onWhatsApp: true,
			whatsappNumber: '+553188887777',
			withoutNinthDigit: true,
			note: expect.stringContaining('without the ninth digit'),
		});
		const checks = await checkRequests();
		expect(checks).toHaveLength(1);
		expect(checks[0].body).toEqual({ numbers: [CUSTOMER, NOT_ON_WHATSAPP, LEGACY_BRAZIL] });
		expect(group.error).toBeUndefined();
		expect(group.items[0].json.whatsappCheck).toBeUndefined();
		const sent = (await sendRequests()).map(
			(request) => request.body?.destinationNumber ?? request.body?.groupId,
		);
		expect(sent.sort()).toEqual([CUSTOMER, CUSTOMER, LEGACY_BRAZIL, GROUP].sort());
	});

	test('a number the check gave no result for is sent, marked unchecked, not skipped', async () => {
		await sandbox.fault({
			type: 'status',
			status: 200,
			body: { results: [] },
			method: 'POST',
			path: '/v1/numbers/check',
		});
		const { items, error } = await campaign(itemsFor([CUSTOMER]), { skipNotOnWhatsApp: true });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			status: 'QUEUED',
			whatsappCheck: { onWhatsApp: null, note: 'Pilot Status gave no result for this number.' },
		});
		expect(await sendRequests()).toHaveLength(1);
	});

	test('mapped per item: only the items that turn it on are checked and skipped', async () => {
		const items: INodeExecutionData[] = [
			{ json: { phone: NOT_ON_WHATSAPP, name: 'Sem checagem', skip: false } },
			{ json: { phone: NOT_ON_WHATSAPP, name: 'Com checagem', skip: true } },
			{ json: { phone: CUSTOMER, name: 'Ana', skip: true } },
		];
		const { items: out, error } = await campaign(items, {
			skipNotOnWhatsApp: '={{ $json.skip }}',
		});
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['QUEUED', 'SKIPPED', 'QUEUED']);
		expect(out[0].json.whatsappCheck).toBeUndefined();
		expect(out[2].json.whatsappCheck).toMatchObject({ onWhatsApp: true });
		const checks = await checkRequests();
		expect(checks.map((request) => request.body)).toEqual([
			{ numbers: [NOT_ON_WHATSAPP, CUSTOMER] },
		]);
		expect((await sendRequests()).map((request) => request.body?.destinationNumber)).toEqual(
			expect.arrayContaining([NOT_ON_WHATSAPP, CUSTOMER]),
		);
		expect(await sendRequests()).toHaveLength(2);
	});

	test('45 numbers are checked 20 per call', async () => {
		const { items } = await campaign(itemsFor(customerPhones(45)), { skipNotOnWhatsApp: true });
		expect(items).toHaveLength(45);
		expect(
			(await checkRequests()).map((request) => (request.body?.numbers as string[]).length),
		).toEqual([20, 20, 5]);
	});

	test('a number that cannot check (Meta): nothing is sent, the error says why and what to do', async () => {
		await sandbox.configureNumber(suporte.id, { provider: 'META' });
		const { error } = await campaign(itemsFor(customerPhones(3)), { skipNotOnWhatsApp: true });
		record('badInputs');
		expect(error?.message).toMatch(
			/^Skip Numbers Not on WhatsApp could not check the phone number, so nothing was sent for this item: .*NOT_SUPPORTED_FOR_META/,
		);
		expect(error?.description).toMatch(/turn the option off/);
		expect(await sendRequests()).toEqual([]);
	});
});

describe('Message → Send: a campaign under failures sends each message at most once', () => {
	test('a lost answer mid-run under Retry On Fail: the run stops there, nothing goes twice', async () => {
		await sandbox.fault(faultAfterSend({ skip: 3, count: 1 }));
		const list = customerPhones(30);
		const { error } = await campaign(
			itemsFor(list),
			{},
			{ settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 } },
		);
		record('sideEffects');
		expect(error?.message).toMatch(/The message may or may not have gone out/);
		expect(error?.description).toMatch(
			/other messages were sent and \d+ items were not sent \(the run stopped at this failure\)/,
		);
		const sent = (await sendRequests()).map((request) => request.body?.destinationNumber);
		expect(new Set(sent).size).toBe(sent.length);
		expect(await sandbox.messages()).toHaveLength(sent.length);
		// Only those in flight with the failed one went after it; the rest of the list was not sent.
		expect(sent.length).toBeLessThanOrEqual(3 + 8);
	});

	test('a refused send stops the run, and its error names the other item whose answer was lost meanwhile', async () => {
		const list = customerPhones(5);
		const log = await startSendLog({
			upstream: sandbox.url,
			holdMs: 150,
			answers: {
				[list[0]]: {
					status: 400,
					body: { error: 'INVALID_DESTINATION', message: 'Invalid destination number' },
				},
				[list[1]]: 'lost',
			},
		});
		try {
			const { error } = await campaign(itemsFor(list), {}, { baseUrl: log.url });
			record('sideEffects');
			expect((error?.context as IDataObject | undefined)?.itemIndex).toBe(0);
			expect(error?.message).toMatch(/400/);
			// Item 1 went to Pilot Status and its answer was lost: the user must not take it for unsent.
			expect(error?.description).toMatch(
				new RegExp(
					`The answer for item index 1 \\(${list[1].replace('+', '\\+')}\\) was lost as well: that message may or may not have gone out`,
				),
			);
			expect(error?.description).toMatch(/3 other messages were sent/);
			const messages = await sandbox.messages();
			expect(messages.map((message) => message.to).sort()).toEqual(list.slice(1).sort());
		} finally {
			await log.stop();
		}
	});

	test('429s in the middle of a campaign are ridden out: every message accepted exactly once', async () => {
		await sandbox.fault(tooManyRequests('POST', SEND_PATH, { share: 0.5, count: 4 }));
		const list = customerPhones(10);
		const { items, error } = await campaign(itemsFor(list));
		record('faults');
		record('sideEffects');
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.status)).toEqual(list.map(() => 'QUEUED'));
		const messages = await sandbox.messages();
		expect(messages.map((message) => message.to).sort()).toEqual([...list].sort());
	});
});
