'use strict';
// Waiting executions in-process, the way n8n's WaitTracker and WaitingWebhooks resume them: by
// timeout (the run is processed again with waitTill set), or by a call to the resume URL (the
// waiting node's webhook() runs in a WebhookContext; if it returns workflowData, the node is
// marked disabled, its output replaced, and the run processed again). What only a real n8n can
// show (the database, restarts, queue mode) is proven in e2e/waiting.test.js.
const { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } = require('n8n-core');
const { Workflow } = require('n8n-workflow');
const {
	CREDENTIAL_TYPE,
	TestCredentialsHelper,
	additionalData,
	loadPackage,
	makeNode,
	makeNodeTypes,
	runWorkflow,
} = require('./n8n');

async function startWait({ parameters, credential, items = [{ json: {} }], settings }) {
	const loader = await loadPackage();
	const node = makeNode({ parameters, settings });
	const credentials = { [CREDENTIAL_TYPE]: credential };
	const first = await runWorkflow({
		nodes: [node],
		credentials,
		startNodeName: node.name,
		items,
	});
	const nodeType = loader.getNode('pilotStatus').type;
	const workflowData = { id: 'test-workflow', name: 'test', nodes: [node], connections: {} };
	const workflow = () =>
		new Workflow({
			...workflowData,
			active: false,
			settings: {},
			nodeTypes: makeNodeTypes(loader),
			staticData: {},
		});
	const data = (extra) =>
		additionalData(
			new ExecutionLifecycleHooks('webhook', '1', workflowData),
			new TestCredentialsHelper(loader, credentials),
			extra,
		);

	async function continueRun(run) {
		const hooks = new ExecutionLifecycleHooks('webhook', '1', workflowData);
		const finished = new Promise((resolve) =>
			hooks.addHandler('workflowExecuteAfter', (result) => resolve(result)),
		);
		const extra = data();
		extra.hooks = hooks;
		await new WorkflowExecute(extra, 'webhook', run.data).processRunExecutionData(workflow());
		return finished;
	}

	const outcome = (run) => ({
		run,
		items: run.data.resultData.runData[node.name]?.at(-1)?.data?.main?.[0] ?? [],
		error: run.data.resultData.error,
	});

	return {
		first,
		node,
		/** WaitTracker's path: the wait is over, the run goes on without calling the node. */
		async byTimeout() {
			return outcome(await continueRun(JSON.parse(JSON.stringify(first))));
		},
		/** WaitingWebhooks' path: a call to the resume URL (POST unless `method` says) with `query` and `body`. */
		async call({ query, body, method = 'POST' }) {
			// Through JSON, as n8n keeps a waiting execution in its database.
			const run = JSON.parse(JSON.stringify(first));
			const answer = {};
			const response = {
				status(code) {
					answer.status = code;
					return response;
				},
				json(payload) {
					answer.body = payload;
					return response;
				},
				send(payload) {
					answer.body = payload;
					return response;
				},
				setHeader(name, value) {
					answer.headers = { ...answer.headers, [name.toLowerCase()]: value };
					return response;
				},
				end() {},
			};
			const extra = data({
				httpRequest: { method, headers: {}, query, body, params: {} },
				httpResponse: response,
			});
			const current = workflow();
			const context = new WebhookContext(
				current,
				current.getNode(node.name),
				extra,
				'webhook',
				{
					httpMethod: method,
					node: node.name,
					path: '',
					webhookDescription: nodeType.description.webhooks.find(
						(webhook) => webhook.httpMethod === method,
					),
					workflowId: workflowData.id,
				},
				[],
				run.data,
			);
			const result = await nodeType.webhook.call(context);
			if (!result.workflowData) return { answer, result, resumed: false };
			const entry = run.data.executionData.nodeExecutionStack[0];
			entry.node.disabled = true;
			run.data.waitTill = undefined;
			run.data.resultData.runData[node.name].pop();
			entry.data.main = result.workflowData;
			entry.metadata = { ...entry.metadata, forwardAllOutputs: true };
			return {
				// The node answered itself (a page, a status) or left it to n8n.
				answer: result.noWebhookResponse ? answer : result.webhookResponse,
				result,
				resumed: true,
				...outcome(await continueRun(run)),
			};
		},
	};
}

module.exports = { startWait };
