import type {
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	PostReceiveAction,
} from 'n8n-workflow';

import { commonDeclarativeNodeOptionParameters } from 'n8n-core/dist/nodes-loader/constants';

import codexSource from '../nodes/PilotStatus/PilotStatus.node.json';
import triggerCodexSource from '../nodes/PilotStatus/PilotStatusTrigger.node.json';
import { loadPackage, runNode } from './helpers/n8n';
import { useSandbox } from './helpers/sandbox';

// What users see in the editor, and the rules n8n's own nodes follow.
let node: INodeType;
beforeAll(async () => {
	node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
});

const operationsOf = (resource: string) =>
	(
		node.description.properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resource),
		) as INodeProperties
	).options as INodePropertyOptions[];

const RESOURCES = [
	'account',
	'analytics',
	'apiKey',
	'call',
	'channel',
	'contact',
	'conversation',
	'group',
	'media',
	'number',
	'remotePairing',
	'template',
	'webhook',
];

test('the node is usable as an AI tool and has a subtitle and themed icons', () => {
	const { description } = node;
	expect(description).toMatchObject({
		name: 'pilotStatus',
		displayName: 'Pilot Status',
		usableAsTool: true,
		version: 1,
	});
	expect(description.subtitle).toContain('$parameter["operation"]');
	// n8n's loader resolves `file:` icons into package-relative URLs (scripts/check-package.js
	// checks the files are packed).
	expect(description.iconUrl).toEqual({
		light: 'icons/n8n-nodes-pilot-status/dist/icons/pilotStatus.svg',
		dark: 'icons/n8n-nodes-pilot-status/dist/icons/pilotStatus.dark.svg',
	});
});

test.each(RESOURCES)(
	'%s: operations are sorted, camelCase, with sentence-case actions',
	(resource) => {
		const options = operationsOf(resource);
		expect(options.map((option) => option.name)).toEqual(
			[...options.map((option) => option.name)].sort(),
		);
		for (const option of options) {
			expect(option.value).toMatch(/^[a-z][a-zA-Z]*$/);
			expect(option.action).toMatch(/^[A-Z][a-z]+( ([a-z]+|API|QR))*$/);
			// The panel's action and the Operation field must say the same thing.
			const words = (text: string) =>
				text
					.toLowerCase()
					.split(' ')
					.filter((word) => !['a', 'an', 'the'].includes(word))
					.join(' ');
			expect(words(option.action!)).toMatch(new RegExp(`^${words(option.name)}( |$)`));
			expect(option.description).toBeTruthy();
		}
	},
);

const operationProperty = (resource: string) =>
	node.description.properties.find(
		(property) =>
			property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	) as INodeProperties;

test.each(RESOURCES)(
	'%s: the shared hooks sit on the Operation dropdown, as nodes-base attaches them',
	(resource) => {
		const { routing } = operationProperty(resource);
		const names = (hooks: unknown[] | undefined) =>
			(hooks ?? []).map((hook) => (hook as { name: string }).name);
		expect(names(routing?.output?.postReceive as PostReceiveAction[])).toEqual(['throwOnApiError']);
		expect(names(routing?.send?.preSend)).toEqual([
			resource === 'remotePairing' ? 'usePublicApiBase' : 'requireCredential',
		]);
		expect(routing?.send?.paginate).toBe(true);
		expect((routing?.operations?.pagination as { name: string }).name).toBe('sendWithSafeguards');
		// No operation wraps or repeats them.
		for (const option of operationsOf(resource)) {
			expect(names(option.routing?.output?.postReceive as PostReceiveAction[])).not.toContain(
				'throwOnApiError',
			);
			expect(option.routing?.operations).toBeUndefined();
		}
	},
);

test('a field shared by several operations is declared once (RoutingNode resolves every declaration per item)', () => {
	const declarations = (name: string) =>
		node.description.properties.filter((property) => property.name === name);
	for (const name of [
		'pairingLink',
		'name',
		'phoneNumber',
		'binaryPropertyName',
		'returnAll',
		'limit',
		'pollInterval',
		'timeout',
		'ifNotConnected',
	]) {
		expect([name, declarations(name).length]).toEqual([name, 1]);
	}
	// Once: a second declaration would have RoutingNode evaluate a mapped ID twice more per item. The
	// previous step's number is the empty field's fallback in code (numberIdOf), never a default
	// expression, and the destructive operations (Delete, Regenerate) never fall back.
	expect(declarations('numberId').map((field) => field.displayOptions?.show)).toEqual([
		{
			resource: ['number', 'apiKey'],
			operation: ['connect', 'delete', 'get', 'getStatus', 'waitForConnection', 'regenerate'],
		},
	]);
	expect(declarations('numberId')[0].default).toEqual({ mode: 'list', value: '' });
});

test.each([
	[
		'number',
		'create',
		['createNumberNotice', 'name', 'phoneNumber', 'phoneCountry', 'binaryPropertyName', 'options'],
	],
	['number', 'connect', ['qrCodeLifetimeNotice', 'numberId', 'binaryPropertyName', 'options']],
	['number', 'delete', ['deleteNotice', 'numberId']],
	[
		'number',
		'waitForConnection',
		['numberId', 'resumeWhen', 'pollInterval', 'timeout', 'ifNotConnected', 'options'],
	],
	['apiKey', 'regenerate', ['regenerateNotice', 'numberId']],
	[
		'remotePairing',
		'waitForConnection',
		['noCredentialNotice', 'pairingLink', 'pollInterval', 'timeout', 'ifNotConnected', 'options'],
	],
])(
	'%s → %s shows its fields in the order the operation lists them',
	(resource, operation, names) => {
		const shown = node.description.properties.filter(
			(property) =>
				property.displayOptions?.show?.resource?.includes(resource) &&
				property.displayOptions?.show?.operation?.includes(operation) &&
				// Fields of the AI tool variant are checked in the tool tests.
				!property.displayOptions?.show?.['@tool'],
		);
		expect(shown.map((property) => property.name)).toEqual(names);
	},
);

test('remote pairing runs without a credential; the rest asks for one', () => {
	expect(node.description.credentials).toEqual([
		expect.objectContaining({
			name: 'pilotStatusApi',
			displayOptions: { hide: { resource: ['remotePairing'] } },
		}),
	]);
});

test('the codex file names the node, and n8n reads its categories and docs links', async () => {
	expect(codexSource.node).toBe('n8n-nodes-pilot-status.pilotStatus');
	const codex = node.description.codex!;
	expect(codex.categories).toContain('Communication');
	expect(codex.resources!.primaryDocumentation![0].url).toMatch(/^https:\/\//);
	expect(codex.resources!.credentialDocumentation![0].url).toMatch(/#credentials$/);
});

test('the trigger: webhook lifecycle, credential, sorted events, codex', async () => {
	const trigger = (await loadPackage()).getNode('pilotStatusTrigger').type as INodeType;
	expect(trigger.description).toMatchObject({
		name: 'pilotStatusTrigger',
		group: ['trigger'],
		inputs: [],
		credentials: [{ name: 'pilotStatusApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
	});
	expect(Object.keys(trigger.webhookMethods?.default ?? {}).sort()).toEqual([
		'checkExists',
		'create',
		'delete',
	]);
	const events = trigger.description.properties.find((property) => property.name === 'events')!
		.options as INodePropertyOptions[];
	expect(events.map((event) => event.name)).toEqual([...events.map((event) => event.name)].sort());
	expect(triggerCodexSource.node).toBe('n8n-nodes-pilot-status.pilotStatusTrigger');
	expect(trigger.description.codex?.categories).toContain('Communication');
});

describe('item linking', () => {
	const sandbox = useSandbox();

	test('Get Many links every output item to the input item that asked for it', async () => {
		const { items } = await runNode({
			parameters: { resource: 'number', operation: 'getAll', returnAll: true },
			credential: sandbox.credential(),
			items: [{ json: { run: 1 } }, { json: { run: 2 } }],
		});
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
	});
});

test('the node declares n8n’s own Request Options, which n8n skips for nodes with a webhook method', async () => {
	const n8nOwn = commonDeclarativeNodeOptionParameters;
	const ours = node.description.properties.filter((property) => property.name === 'requestOptions');
	expect(ours).toHaveLength(1);
	// Same settings, names, types and defaults (n8n's lint rules want some texts worded differently).
	const shape = (property: INodeProperties | { name: string; values?: unknown[] }): unknown => {
		const {
			name,
			type,
			default: fallback,
			isNodeSetting,
			typeOptions,
		} = property as INodeProperties;
		const children = ((property as INodeProperties).options ??
			(property as { values?: unknown[] }).values ??
			[]) as INodeProperties[];
		return { name, type, fallback, isNodeSetting, typeOptions, children: children.map(shape) };
	};
	expect(shape(ours[0])).toEqual(shape(n8nOwn));
	expect(node.webhook).toBeDefined();
});

test('the node panel, which shows the trigger’s description for the merged entry, describes the integration', async () => {
	const trigger = (await loadPackage()).getNode('pilotStatusTrigger').type as INodeType;
	// n8n's editor (generateMergedNodesAndActions) gives the merged "Pilot Status" entry the
	// trigger's description; the two say the same.
	expect(trigger.description.description).toBe(node.description.description);
	expect(node.description.description).toMatch(/^Provision WhatsApp numbers/);
});
