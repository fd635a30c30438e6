import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { NODE_TYPE, loadPackage, makeNode, runNode } from './helpers/n8n';
import { SEED, TENANT_KEY, useSandbox } from './helpers/sandbox';

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
	const type = await toolType();
	const node = makeNode({ parameters: { resource: 'number', operation: 'getStatus' } });
	const parameters = NodeHelpers.getNodeParameters(
		type.description.properties,
		node.parameters,
		true,
		false,
		node,
		type.description,
	);
	expect(parameters?.toolNumberId).toContain(
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
	['number', 'getStatus', /not the phone number/],
])(
	'the model is told what %s → %s does (and destroys)',
	async (resource, operation, description) => {
		const type = await toolType();
		const node = { ...makeNode({ parameters: { resource, operation } }), type: TOOL_TYPE };
		const parameters = NodeHelpers.getNodeParameters(
			type.description.properties,
			node.parameters,
			true,
			false,
			node,
			type.description,
		);
		const told = NodeHelpers.getToolDescriptionForNode({ ...node, parameters: parameters! }, type);
		expect(told).toMatch(description);
	},
);

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
	await sandbox.fault({ type: 'status', status: 429, retryAfter: 30 });
	const { error } = await runTool({
		resource: 'number',
		operation: 'get',
		toolNumberId: suporte.id,
	});
	expect(error?.message).toBe(
		'Pilot Status is rate limiting requests (429 Too Many Requests). Nothing was changed. Wait 30 s and run it again.',
	);
	expect(JSON.stringify(error)).not.toContain(TENANT_KEY);
});
