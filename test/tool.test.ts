import { NodeHelpers, traverseNodeParameters } from 'n8n-workflow';
import type {
	FromAIArgument,
	IDataObject,
	INodeParameters,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	loadPackage,
	makeNode,
	runNode,
	runWorkflow,
} from './helpers/n8n';
import { NUMBER_KEY, SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';
import { record } from './helpers/summary';

// The node as an AI agent's tool (type pilotStatusTool): no secret goes back to the model, nothing
// destructive runs without saying so, and what the model gets is something a chat can use.
// e2e/ai-agent.test.js runs the same with n8n's AI Agent and a model server.
const sandbox = useSandbox();
const [suporte, vendas] = SEED.numbers;
const TOOL_TYPE = `${NODE_TYPE}Tool`;

async function runTool(parameters: IDataObject, credential = sandbox.credential()) {
	return runNode({ parameters, credential, type: TOOL_TYPE });
}

async function toolType(): Promise<INodeType> {
	const node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
	return { ...node, description: { ...node.description, name: 'pilotStatusTool' } } as INodeType;
}

/** The tool node's parameters as n8n runs them: defaults filled in, hidden fields dropped. */
async function toolParameters(parameters: IDataObject): Promise<INodeParameters> {
	const type = await toolType();
	const node = { ...makeNode({ parameters }), type: TOOL_TYPE };
	return NodeHelpers.getNodeParameters(
		type.description.properties,
		node.parameters,
		true,
		false,
		node,
		type.description,
	)!;
}

/** What the model is told about a tool node: its description and the keys of its parameters. */
async function toldToModel(parameters: IDataObject) {
	const type = await toolType();
	const resolved = await toolParameters(parameters);
	const node = { ...makeNode({ parameters: resolved }), type: TOOL_TYPE };
	const inputs: FromAIArgument[] = [];
	traverseNodeParameters(resolved, inputs);
	return {
		description: NodeHelpers.getToolDescriptionForNode(node, type),
		keys: [...new Set(inputs.map((input) => input.key))].sort(),
		inputs,
	};
}

test('Rotate Own Key refuses to run as a tool, before anything is sent', async () => {
	const { error } = await runTool({ resource: 'apiKey', operation: 'rotateOwnKey' });
	expect(error?.message).toBe(
		'Rotate Own Key cannot run as an AI tool: it would replace the key of this credential and leave the credential dead. Nothing was changed; rotate the key in a normal workflow step.',
	);
	expect(await sandbox.requests()).toEqual([]);
});

test('Regenerate keeps the new key and its ID out of what the model sees, and says where to read it', async () => {
	const { items } = await runTool({
		resource: 'apiKey',
		operation: 'regenerate',
		toolNumberId: suporte.id,
	});
	const fresh = (await sandbox.state()).keys.find(
		(key) => key.numberId === suporte.id && key.valid,
	)!;
	expect(items[0].json).toMatchObject({
		numberId: suporte.id,
		key: expect.stringMatching(/^ps_…/),
		keyId: expect.stringContaining('…'),
		keyNote: expect.stringContaining('API Key → Get Many (Reveal Keys on)'),
	});
	expect(JSON.stringify(items)).not.toContain(fresh.id);
});

test('…unless Show New Key to the AI Model is on', async () => {
	const { items } = await runTool({
		resource: 'apiKey',
		operation: 'regenerate',
		toolNumberId: vendas.id,
		showKeyToModel: true,
	});
	expect(items[0].json.key).toMatch(/^ps_sbx_/);
});

test('Create gives a chat the pairing code and says the QR image needs a normal step (no file, no base64)', async () => {
	const { items } = await runTool({
		resource: 'number',
		operation: 'create',
		name: 'Loja',
		phoneNumber: '5511955554444',
		options: { includeQrCodeBase64: true },
	});
	expect(items[0].json).toMatchObject({
		pairingCode: expect.any(String),
		qrCode: expect.stringContaining('Create Remote Pairing Link'),
	});
	expect(items[0].binary).toBeUndefined();
	expect(JSON.stringify(items)).not.toContain('base64');
});

test('the model fills the number ID, with a hint that it is not the phone number', async () => {
	const parameters = await toolParameters({ resource: 'number', operation: 'getStatus' });
	expect(parameters.toolNumberId).toContain(
		"$fromAI('numberId', 'The Pilot Status ID of the WhatsApp number, like num_01HZX9K3. Not its phone number",
	);
	// A fixed ID typed into the tool's Number ID field works too.
	const { items } = await runTool({
		resource: 'number',
		operation: 'getStatus',
		toolNumberId: suporte.id,
	});
	expect(items[0].json).toMatchObject({ numberId: suporte.id, state: 'OPEN' });
});

test.each([
	['number', 'delete', /^PERMANENTLY delete a WhatsApp number/],
	['apiKey', 'regenerate', /^PERMANENTLY replace the API key/],
	['apiKey', 'rotateOwnKey', /^Not available to AI agents/],
	['webhook', 'delete', /^PERMANENTLY delete a webhook/],
	['template', 'delete', /^PERMANENTLY delete a WhatsApp message template/],
	['template', 'create', /every call creates another template/],
	['contact', 'checkNumber', /Changes nothing and sends no message/],
	['account', 'addExtraNumbers', /^COSTS REAL MONEY: .*Every call buys again/],
	['account', 'removeExtraNumbers', /no refund for the current one/],
	['account', 'getExtraNumbers', /Charges nothing and changes nothing/],
	['account', 'getCheckoutLink', /Nothing is charged until a person opens the link and pays/],
	['call', 'requestPermission', /^Send a real WhatsApp message .*every call sends another request/],
	['call', 'updateSettings', /contacts notice at once/],
	// Reads share one empty Description: n8n tells the model the operation's action, as for its own
	// nodes, and the input's own hint says what it takes.
	['call', 'getAll', /^Get many calls in Pilot Status$/],
	['number', 'getStatus', /^Get status of a number in Pilot Status$/],
	[
		'message',
		'send',
		/^Send a real WhatsApp message .* may cost money, and every call sends another/,
	],
])(
	'the model is told what %s → %s does (and destroys)',
	async (resource, operation, description) => {
		expect((await toldToModel({ resource, operation })).description).toMatch(description);
	},
);

test('every tool description names exactly the inputs the model can pass, and no other', async () => {
	const node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
	const selectors = node.description.properties.filter((property) => property.name === 'operation');
	const resources = node.description.properties.find((property) => property.name === 'resource');
	expect(selectors).toHaveLength(resources!.options!.length);
	for (const selector of selectors) {
		const [resource] = selector.displayOptions!.show!.resource as string[];
		for (const { value: operation } of selector.options as Array<{ value: string }>) {
			const { description, keys } = await toldToModel({ resource, operation });
			const named = [...description.matchAll(/\bInput (\w+):/g)].map((match) => match[1]).sort();
			// A read told by n8n's text for its action names no input: the inputs' hints do.
			const readOnly = description.endsWith(' in Pilot Status') && !description.includes('.');
			expect({ resource, operation, named }).toEqual({
				resource,
				operation,
				named: readOnly ? [] : keys,
			});
			// No promise of inputs in other words ("Inputs: a name, and the phone number").
			expect({ resource, operation, description }).not.toEqual(
				expect.objectContaining({ description: expect.stringMatching(/\bInputs?:/) }),
			);
		}
	}
});

test('Regenerate’s description holds whether Show New Key to the AI Model is on or off', async () => {
	for (const showKeyToModel of [false, true]) {
		const { description } = await toldToModel({
			resource: 'apiKey',
			operation: 'regenerate',
			showKeyToModel,
		});
		expect(description).toContain('You get the new key only if this tool is set to show it');
		expect(description).not.toMatch(/not shown to you/);
	}
});

test('webhook-mode Wait for Connection refuses to run as a tool (it would put the agent’s execution to wait)', async () => {
	const { error } = await runTool({
		resource: 'number',
		operation: 'waitForConnection',
		toolNumberId: vendas.id,
		resumeWhen: 'webhook',
	});
	expect(error?.message).toMatch(/cannot run as an AI tool/);
	expect(await sandbox.requests()).toEqual([]);
});

test('errors carry the actionable fact in the message, which is all a model sees', async () => {
	// A Retry-After longer than the node waits by itself (shorter 429s are waited out).
	await sandbox.fault({ type: 'status', status: 429, retryAfter: 120 });
	const { error } = await runTool({
		resource: 'number',
		operation: 'get',
		toolNumberId: suporte.id,
	});
	expect(error?.message).toBe(
		'Pilot Status is rate limiting requests (429 Too Many Requests). Nothing was changed. The request was refused once and Retry-After asks to wait 120 s, longer than the node waits by itself. Wait 120 s and run it again.',
	);
	expect(JSON.stringify(error)).not.toContain(TENANT_KEY);
});

describe('Reveal Keys and Reveal Secrets in URLs never apply to what the model gets', () => {
	const SECRET = 'c3'.repeat(32);
	const secretUrl = `https://hooks.example.test/pilot?secret=${SECRET}`;

	async function seedWebhook(): Promise<string> {
		const { body } = await sandbox.api('POST', '/v1/webhooks', {
			body: {
				url: secretUrl,
				name: 'CRM',
				events: ['number.connected'],
				whatsappNumberId: suporte.id,
			},
		});
		return String(body.id);
	}

	const cases: Array<[string, (webhookId: string) => IDataObject, string[]]> = [
		[
			'API Key → Get Many with Reveal Keys',
			() => ({ resource: 'apiKey', operation: 'getAll', options: { revealKeys: true } }),
			[suporte.key.value, suporte.key.id, vendas.key.id],
		],
		[
			'Webhook → Get Many with Reveal Secrets in URLs',
			() => ({ resource: 'webhook', operation: 'getAll', options: { revealSecrets: true } }),
			[SECRET],
		],
		[
			'Webhook → Get with Reveal Secrets in URLs',
			(webhookId) => ({
				resource: 'webhook',
				operation: 'get',
				toolWebhookId: webhookId,
				options: { revealSecrets: true },
			}),
			[SECRET],
		],
	];

	/** Runs the tool with this node type; returns its output and the parameters n8n ran it with. */
	async function runWith(parameters: IDataObject, type?: INodeType) {
		const node = makeNode({ parameters: { returnAll: true, ...parameters }, type: TOOL_TYPE });
		const run = await runWorkflow({
			nodes: [node],
			credentials: { [CREDENTIAL_TYPE]: sandbox.credential() },
			startNodeName: node.name,
			extraTypes: type ? { [TOOL_TYPE]: type } : undefined,
		});
		const task = run.data.resultData.runData[node.name][0];
		expect(task.error).toBeUndefined();
		// Workflow fills in defaults and drops hidden fields on the node it is given.
		return { items: task.data!.main[0]!, options: node.parameters.options };
	}

	test('the options are hidden on the tool, in the editor as in a run', async () => {
		const type = await toolType();
		const base = (await loadPackage()).getNode('pilotStatus').type as INodeType;
		const shown = (description: INodeType['description'], resource: string, option: string) => {
			const collection = description.properties.find(
				(property) =>
					property.name === 'options' &&
					property.displayOptions?.show?.resource?.includes(resource) &&
					(property.options as INodeProperties[]).some(({ name }) => name === option),
			)!;
			const property = (collection.options as INodeProperties[]).find(
				({ name }) => name === option,
			)!;
			// What the editor's Add option list and n8n's parameter resolution both ask.
			return NodeHelpers.displayParameterPath({}, property, '', null, description);
		};
		for (const [resource, option] of [
			['apiKey', 'revealKeys'],
			['webhook', 'revealSecrets'],
		]) {
			expect([option, shown(base.description, resource, option)]).toEqual([option, true]);
			expect([option, shown(type.description, resource, option)]).toEqual([option, false]);
		}
	});

	test.each(cases)(
		'%s: a workflow imported with it on gets masked values',
		async (_, parameters, secrets) => {
			const { items, options } = await runWith(parameters(await seedWebhook()));
			expect(options).toEqual({});
			expect(items.length).toBeGreaterThan(0);
			for (const secret of secrets) expect(JSON.stringify(items)).not.toContain(secret);
		},
	);

	test.each(cases)(
		'%s: masked by the node itself too, where n8n would keep the option',
		async (_, parameters, secrets) => {
			// The Tool variant with the options' @tool rule removed: n8n then keeps the option.
			const type = await toolType();
			const keepsOptions: INodeType = Object.create(type);
			keepsOptions.description = {
				...type.description,
				properties: type.description.properties.map((property) =>
					property.name === 'options'
						? {
								...property,
								options: (property.options as INodeProperties[]).map(
									({ displayOptions, ...option }) =>
										displayOptions?.hide?.['@tool'] ? option : { ...option, displayOptions },
								),
							}
						: property,
				),
			};
			const { items, options } = await runWith(parameters(await seedWebhook()), keepsOptions);
			expect(Object.values(options as IDataObject)).toEqual([true]);
			expect(items.length).toBeGreaterThan(0);
			for (const secret of secrets) expect(JSON.stringify(items)).not.toContain(secret);
		},
	);
});

describe('the model fills the webhook ID and the pairing link, checked before anything is sent', () => {
	async function runPairingTool(parameters: IDataObject) {
		return runNode({
			parameters: {
				resource: 'remotePairing',
				...parameters,
				options: { apiBaseUrl: sandbox.url },
			},
			credential: null,
			type: TOOL_TYPE,
		});
	}

	test('the webhook ID the model passes is the one asked for', async () => {
		const { body } = await sandbox.api('POST', '/v1/webhooks', {
			body: { url: 'https://crm.example.com/pilot', events: ['*'], whatsappNumberId: suporte.id },
		});
		await sandbox.control('DELETE', '/requests');
		const parameters = await toolParameters({ resource: 'webhook', operation: 'getLogs' });
		expect(parameters.toolWebhookId).toContain(
			"$fromAI('webhookId', 'The Pilot Status ID of the webhook",
		);
		expect(parameters.webhookId).toBeUndefined();
		const { items, error } = await runTool({
			resource: 'webhook',
			operation: 'get',
			toolWebhookId: String(body.id),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: body.id, url: 'https://crm.example.com/pilot' });
		expect((await sandbox.requests())[0]).toMatchObject({ path: `/v1/webhooks/${body.id}` });
	});

	test('the pairing link the model passes (or its token) is the one asked for', async () => {
		const { body } = await sandbox.api('POST', '/v1/numbers/remote-pairing', {
			body: { name: 'Acme', number: '5511955554444' },
		});
		const url = String(body.remotePairingUrl);
		const token = url.split('/').pop()!;
		const parameters = await toolParameters({ resource: 'remotePairing', operation: 'getStatus' });
		expect(parameters.toolPairingLink).toContain("$fromAI('pairingLink', 'The remote pairing link");
		expect(parameters.pairingLink).toBeUndefined();
		for (const given of [url, token]) {
			await sandbox.control('DELETE', '/requests');
			const { items, error } = await runPairingTool({
				operation: 'getInfo',
				toolPairingLink: given,
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ valid: true, name: 'Acme' });
			expect((await sandbox.requests())[0]).toMatchObject({
				path: `/v1/remote-pairing/${token}`,
			});
		}
	});

	test('Webhook → Create takes the model’s number ID, and the address and events the user set', async () => {
		const { items, error } = await runTool({
			resource: 'webhook',
			operation: 'create',
			toolNumberId: vendas.id,
			// Hidden on the tool: n8n drops it.
			webhookNumberId: { __rl: true, mode: 'id', value: suporte.id },
			url: 'https://crm.example.com/pilot',
			events: ['number.connected'],
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ numberId: vendas.id });
		expect((await sandbox.requests())[0].body).toMatchObject({
			whatsappNumberId: vendas.id,
			url: 'https://crm.example.com/pilot',
			events: ['number.connected'],
		});
	});

	test.each([
		[
			'an empty webhook ID',
			{ resource: 'webhook', operation: 'get', toolWebhookId: ' ' },
			'webhookId is empty. Expected: The Pilot Status ID of the webhook, like wh_01HZX9K3. Get Many webhooks lists the IDs. Nothing was sent.',
		],
		[
			'a webhook name for its ID',
			{ resource: 'webhook', operation: 'delete', toolWebhookId: 'CRM sync' },
			'webhookId "CRM sync" is not a valid ID. Pilot Status IDs look like num_01HZX... (letters, digits, _ - . :). Nothing was sent.',
		],
		[
			'an empty number ID',
			{ resource: 'number', operation: 'delete', toolNumberId: '' },
			'numberId is empty. Expected: The Pilot Status ID of the WhatsApp number, like num_01HZX9K3. Not its phone number: Get Many numbers lists the IDs. Nothing was sent.',
		],
	])('%s: the model is told what to pass', async (_, parameters, message) => {
		const { error } = await runTool(parameters);
		expect(error?.message).toBe(message);
		expect(await sandbox.requests()).toEqual([]);
	});

	test.each([
		[
			'',
			'pairingLink is empty. Expected: The remote pairing link (remotePairingUrl) or its token, as Create Remote Pairing Link returned them, like https://pilotstatus.com.br/connect/rp_01HZX9K3 Nothing was sent.',
		],
		[
			'the Acme number',
			'pairingLink "the Acme number" is not a pairing token or link. Use the remotePairingUrl or token from Create Remote Pairing Link, e.g. https://pilotstatus.com.br/connect/rp_01HZX... Nothing was sent.',
		],
	])('a pairing link of %j: the model is told what to pass', async (given, message) => {
		const { error } = await runPairingTool({ operation: 'getStatus', toolPairingLink: given });
		expect(error?.message).toBe(message);
		expect(await sandbox.requests()).toEqual([]);
	});
});

test('a read keeps its model-filled input hint, and the user can still write its Description', async () => {
	const { description, inputs } = await toldToModel({ resource: 'number', operation: 'getStatus' });
	expect(description).toBe('Get status of a number in Pilot Status');
	expect(inputs.map((input) => [input.key, input.description])).toEqual([
		['numberId', expect.stringContaining('Not its phone number')],
	]);
	const written = await toldToModel({
		resource: 'number',
		operation: 'getStatus',
		toolDescription: 'Check whether the shop’s WhatsApp number is online',
	});
	expect(written.description).toBe('Check whether the shop’s WhatsApp number is online');
});

test('every operation that changes, destroys or costs something has a Description of its own', async () => {
	const node = (await loadPackage()).getNode('pilotStatus').type as INodeType;
	const selectors = node.description.properties.filter((property) => property.name === 'operation');
	const readOnly =
		/^(get|getAll|getStatus|getInfo|getLogs|getBranding|getDashboard|getSettings|getPermission|getUnread|getHistory|getGroupMessages|download|waitForConnection)$/;
	for (const selector of selectors) {
		const [resource] = selector.displayOptions!.show!.resource as string[];
		for (const { value: operation } of selector.options as Array<{ value: string }>) {
			if (readOnly.test(operation)) continue;
			const { description } = await toldToModel({ resource, operation });
			expect({ resource, operation, own: !description.endsWith(' in Pilot Status') }).toEqual({
				resource,
				operation,
				own: true,
			});
		}
	}
});

describe('where only the routing runs (AI Agent before v3, MCP Server Trigger)', () => {
	test.each([
		[
			'Message → Send',
			{
				resource: 'message',
				operation: 'send',
				sendTo: 'phone',
				messageType: 'text',
				toolRecipientPhoneNumber: '+5511977776666',
				toolMessageText: 'Oi',
			},
		],
		[
			'API Key → Regenerate',
			{ resource: 'apiKey', operation: 'regenerate', toolNumberId: suporte.id },
		],
		[
			'Contact → Check Number',
			{ resource: 'contact', operation: 'checkNumber', phoneNumbers: '+5511977776666' },
		],
	])('%s refuses with the fix and sends nothing', async (_name, parameters) => {
		const { error } = await runNode({
			parameters,
			credential: sandbox.credential({ apiKey: NUMBER_KEY }),
			type: TOOL_TYPE,
			routingOnly: true,
		});
		record('sideEffects');
		expect(error?.message).toMatch(/^This operation \(.+\) cannot run here: this caller runs only/);
		expect(error?.message).toContain('Use the AI Agent node at version 3 or later');
		expect(await sandbox.requests()).toEqual([]);
	});

	test('a routed operation still runs there', async () => {
		const { error, items } = await runNode({
			parameters: { resource: 'number', operation: 'getStatus', toolNumberId: suporte.id },
			credential: sandbox.credential(),
			type: TOOL_TYPE,
			routingOnly: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ numberId: suporte.id, state: 'OPEN' });
	});
});
