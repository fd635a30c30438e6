import type {
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { CREATE_NUMBER_PARAMETERS, shopItems } from './helpers/fixtures';
import { runNode, runWorkflow, makeNode } from './helpers/n8n';
import { SEED, useSandbox } from './helpers/sandbox';

// The n8n behaviours this package relies on without n8n documenting them (README → Architecture).
// Each test runs n8n's own engine with a tiny probe node or with this node, so a change in n8n
// shows up here first, with the name of what broke.
const sandbox = useSandbox();
const [suporte] = SEED.numbers;

/** A declarative probe: one operation whose Operation dropdown and option both carry routing. */
function probeType(log: string[], url: string): INodeType {
	const record = (what: string) =>
		async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions) {
			log.push(`${what}:${this.getItemIndex()}`);
			(this as unknown as IDataObject).seenBy = [
				...(((this as unknown as IDataObject).seenBy as string[]) ?? []),
				what,
			];
			return options;
		};
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'probe',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			requestDefaults: { baseURL: url, ignoreHttpStatusErrors: true },
			properties: [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					default: 'get',
					routing: {
						send: { preSend: [record('dropdown')], paginate: true },
						operations: {
							async pagination(this: IExecutePaginationFunctions, requestData) {
								const hook = Object.getPrototypeOf(this) as IDataObject;
								log.push(`wrapper:${this.getItemIndex()}:${(hook.seenBy as string[]).join('+')}`);
								return await this.makeRoutingRequest(requestData);
							},
						},
						output: {
							postReceive: [
								async function (this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
									const seen = (this as unknown as IDataObject).seenBy as string[];
									log.push(`postReceive:${this.getItemIndex()}:${seen.join('+')}`);
									return items;
								},
							],
						},
					},
					options: [
						{
							name: 'Get',
							value: 'get',
							routing: {
								request: { method: 'GET', url: '/__sandbox' },
								send: { preSend: [record('option')] },
							},
						},
					],
				},
			],
		},
	};
}

async function runProbe(items: INodeExecutionData[]) {
	const log: string[] = [];
	const node = makeNode({ name: 'Probe', type: 'probe.probe', credentials: false });
	await runWorkflow({
		nodes: [node],
		startNodeName: 'Probe',
		items,
		extraTypes: { 'probe.probe': probeType(log, sandbox.url) },
	});
	return log;
}

test('routing on an options property runs before the chosen option’s routing (hooks on the Operation dropdown)', async () => {
	const log = await runProbe([{ json: {} }]);
	expect(log.filter((entry) => !entry.includes(':0:'))).toEqual(['dropdown:0', 'option:0']);
});

test('the same context object reaches an item’s preSend, its request wrapper (as prototype) and its postReceive', async () => {
	const log = await runProbe([{ json: {} }, { json: {} }]);
	expect(
		log.filter((entry) => entry.startsWith('wrapper') || entry.startsWith('postReceive')),
	).toEqual([
		'wrapper:0:dropdown+option',
		'wrapper:1:dropdown+option',
		'postReceive:0:dropdown+option',
		'postReceive:1:dropdown+option',
	]);
});

test('requestOperations.pagination wraps the request of every item when send.paginate is set', async () => {
	const log = await runProbe([{ json: {} }, { json: {} }, { json: {} }]);
	expect(
		log.filter((entry) => entry.startsWith('wrapper')).map((entry) => entry.split(':')[1]),
	).toEqual(['0', '1', '2']);
});

// Number is declared once for every number operation (an empty one falls back to the previous step's
// number in code, not through a second declaration with a default expression). RoutingNode evaluates
// a parameter once per declaration in each of its two passes.
const NUMBER_DECLARATIONS = 1;

test('RoutingNode evaluates each expression twice per item and declaration; this node adds no more', async () => {
	const evaluated: string[] = [];
	const items = [0, 1, 2, 3].map(() => ({ json: { id: suporte.id } }));
	const { error } = await runNode({
		parameters: {
			resource: 'number',
			operation: 'getStatus',
			numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		},
		credential: sandbox.credential(),
		items,
		onEvaluate: (expression) => evaluated.push(expression),
	});
	expect(error).toBeUndefined();
	expect(evaluated.filter((expression) => expression === '={{ $json.id }}')).toHaveLength(
		2 * NUMBER_DECLARATIONS * items.length,
	);
	// The rest are n8n's own, e.g. nothing else of ours per item.
	expect(evaluated.filter((expression) => expression !== '={{ $json.id }}')).toEqual([]);
});

test('Create: name and phone are evaluated only by RoutingNode’s two passes too', async () => {
	const evaluated: string[] = [];
	const { error } = await runNode({
		parameters: CREATE_NUMBER_PARAMETERS,
		credential: sandbox.credential(),
		items: shopItems(2),
		onEvaluate: (expression) => evaluated.push(expression),
	});
	expect(error).toBeUndefined();
	expect(evaluated.filter((expression) => expression === '={{ $json.name }}')).toHaveLength(4);
	expect(evaluated.filter((expression) => expression === '={{ $json.phone }}')).toHaveLength(4);
});

test('other expressions are still evaluated by n8n, with the same result', async () => {
	const { items } = await runNode({
		parameters: {
			resource: 'number',
			operation: 'getStatus',
			numberId: { __rl: true, mode: 'id', value: '={{ $json.ids[0].toString() }}' },
		},
		credential: sandbox.credential(),
		items: [{ json: { ids: [suporte.id] } }],
	});
	expect(items[0].json.numberId).toBe(suporte.id);
});

test('RoutingNode passes a NodeApiError from a hook through unchanged', async () => {
	// It re-wraps any other error as a NodeApiError with httpCode "none", which the editor shows under
	// "From Pilot Status". Pre-send checks therefore throw NodeApiErrors without an HTTP code
	// (errors.ts inputError), and all problems of an item come in one message.
	const { error } = await runNode({
		parameters: {
			resource: 'number',
			operation: 'create',
			name: '={{ "" }}',
			phoneNumber: '={{ "12" }}',
		},
		credential: sandbox.credential(),
	});
	expect(error?.name).toBe('NodeApiError');
	expect(error?.httpCode ?? null).toBeNull();
	expect(error?.message).toBe(
		'2 fields need a fix: Name is empty. Enter a name, e.g. Support. Phone Number "12" is not a phone number. Use 8 to 15 digits with area code (and country code, or a + before it), e.g. 11 99999-9999 or +55 11 99999-9999. Nothing was sent.',
	);
});
