'use strict';
// Runs the Pilot Status Trigger as an active n8n workflow would: webhookMethods through n8n-core's
// HookContext, and deliveries over real HTTP into webhook() through WebhookContext, answered the
// way n8n's webhook service answers for responseMode "onReceived".
const http = require('node:http');
const { HookContext, WebhookContext, ExecutionLifecycleHooks } = require('n8n-core');
const { Workflow } = require('n8n-workflow');
const {
	TRIGGER_TYPE,
	CREDENTIAL_TYPE,
	TestCredentialsHelper,
	additionalData,
	loadPackage,
	makeNode,
	makeNodeTypes,
} = require('./n8n');

const WEBHOOK_ID = '7f1c1f5e-8e2b-4b8a-9d1e-2a3b4c5d6e7f';

function expressLike(req, res, text) {
	let body = {};
	try {
		body = text ? JSON.parse(text) : {};
	} catch {
		body = {};
	}
	const url = new URL(req.url, 'http://n8n.local');
	const request = Object.assign(req, {
		body,
		rawBody: Buffer.from(text),
		query: Object.fromEntries(url.searchParams),
		params: {},
	});
	const response = Object.assign(res, {
		status(code) {
			res.statusCode = code;
			return response;
		},
		json(data) {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(data));
			return response;
		},
		send(data) {
			res.end(typeof data === 'string' ? data : JSON.stringify(data));
			return response;
		},
	});
	return { request, response };
}

/**
 * An "active workflow" holding one trigger node. `parameters` are the node's; the credential
 * points at the sandbox. Static data lives as long as the returned object, like n8n's database row.
 */
async function activeTrigger({ parameters, credential, workflowName = 'Onboarding' }) {
	const loader = await loadPackage();
	const nodeType = loader.getNode('pilotStatusTrigger').type;
	const node = makeNode({
		name: 'Pilot Status Trigger',
		type: TRIGGER_TYPE,
		parameters,
		webhookId: WEBHOOK_ID,
	});
	const nodeTypes = makeNodeTypes(loader);
	const staticData = {};
	const runs = [];
	const answers = [];

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const { request, response } = expressLike(req, res, Buffer.concat(chunks).toString('utf8'));
			try {
				const result = await deliver(request, response);
				if (result.workflowData) runs.push(result.workflowData[0]);
				if (result.noWebhookResponse) return;
				if (result.workflowData)
					return response.status(200).json({ message: 'Workflow was started' });
				response.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
			} catch (error) {
				response.status(500).json({ message: error.message });
			} finally {
				answers.push({ status: res.statusCode, url: req.url });
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${server.address().port}`;

	const workflow = () =>
		new Workflow({
			id: 'wf-trigger',
			name: workflowName,
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
		});
	const data = (extra) => {
		const hooks = new ExecutionLifecycleHooks('webhook', '1', {
			id: 'wf-trigger',
			nodes: [node],
			connections: {},
		});
		return additionalData(
			hooks,
			new TestCredentialsHelper(loader, { [CREDENTIAL_TYPE]: credential }),
			{
				webhookBaseUrl: `${base}/webhook`,
				webhookTestBaseUrl: `${base}/webhook-test`,
				...extra,
			},
		);
	};
	let current = workflow();
	const webhookDescription = nodeType.description.webhooks[0];

	async function deliver(request, response) {
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${WEBHOOK_ID}/webhook`,
			webhookDescription,
			workflowId: 'wf-trigger',
		};
		const context = new WebhookContext(
			current,
			node,
			data({ httpRequest: request, httpResponse: response }),
			'webhook',
			webhookData,
			[],
			null,
		);
		return nodeType.webhook.call(context);
	}

	const hook = (method) =>
		nodeType.webhookMethods.default[method].call(
			new HookContext(current, node, data(), 'trigger', 'activate'),
		);

	return {
		webhookUrl: `${base}/webhook/${WEBHOOK_ID}/webhook`,
		/** What the node keeps in the workflow's static data (n8n stores it per node). */
		nodeStaticData: () => staticData[`node:${node.name}`] ?? {},
		runs,
		answers,
		checkExists: () => hook('checkExists'),
		create: () => hook('create'),
		delete: () => hook('delete'),
		/** n8n's activation: create only when checkExists says the webhooks are gone. */
		activate: async () => {
			if (!(await hook('checkExists'))) await hook('create');
		},
		/** A restart: a fresh Workflow object over the stored static data. */
		restart: () => {
			current = workflow();
		},
		setParameters: (next) => {
			node.parameters = { ...node.parameters, ...next };
			current = workflow();
		},
		post: (path, body) =>
			fetch(`${base}${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			}).then(async (r) => ({ status: r.status, body: await r.json() })),
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

module.exports = { activeTrigger, WEBHOOK_ID };
