'use strict';
// Runs the built package (dist/ + package.json "n8n" section) in n8n's real execution engine:
// n8n-core's WorkflowExecute → ExecuteContext → RoutingNode → n8n's HTTP helpers → real HTTP.
// We supply only what the n8n CLI would: node/credential type registries, a credentials helper
// that applies the credential's own `authenticate`, and the run's additional data.
require('./env');
const path = require('node:path');
const {
	ExecuteContext,
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	PackageDirectoryLoader,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
} = require('n8n-core');
const {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	isExpression,
} = require('n8n-workflow');

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = require(path.join(ROOT, 'package.json')).name;
const CREDENTIAL_TYPE = 'pilotStatusApi';
const NODE_TYPE = `${PACKAGE}.pilotStatus`;
const TRIGGER_TYPE = `${PACKAGE}.pilotStatusTrigger`;

let loaderPromise;
function loadPackage() {
	loaderPromise ??= (async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		return loader;
	})();
	return loaderPromise;
}

/** Same rule as the n8n CLI's NodeTypes: a node without execute() runs through RoutingNode. */
/**
 * The `<name>Tool` variant n8n makes of a usableAsTool node, as its NodeTypes does: a prototype
 * clone whose description is named `...Tool` (what `@tool` display rules and the node's own checks
 * look at). Its output stays `main` here; e2e/ai-agent.test.js runs a real AI Agent.
 */
const toolVariants = new Map();
function toolVariant(base) {
	if (!toolVariants.has(base)) {
		const variant = Object.create(base);
		variant.description = {
			...base.description,
			name: `${base.description.name}Tool`,
			displayName: `${base.description.displayName} Tool`,
		};
		toolVariants.set(base, variant);
	}
	return toolVariants.get(base);
}

/**
 * `routingOnly` hands out the node types without their customOperations: n8n's engine then runs
 * RoutingNode for every operation, as the AI Agent before version 3 and the MCP Server Trigger do
 * when they call a tool (n8n-core's get-input-connection-data calls nodeType.execute).
 */
function makeNodeTypes(loader, extraTypes = {}, { routingOnly = false } = {}) {
	const find = (fullType) => {
		if (extraTypes[fullType]) return extraTypes[fullType];
		const short = fullType.slice(fullType.lastIndexOf('.') + 1);
		if (!fullType.startsWith(`${loader.packageName}.`))
			throw new Error(`Unknown node type ${fullType}`);
		if (short.endsWith('Tool')) return toolVariant(loader.getNode(short.slice(0, -4)).type);
		return loader.getNode(short).type;
	};
	return {
		getByName: (type) => find(type),
		getByNameAndVersion(type, version) {
			const nodeType = NodeHelpers.getVersionedNodeType(find(type), version);
			if (
				!nodeType.execute &&
				!nodeType.poll &&
				!nodeType.trigger &&
				!nodeType.supplyData &&
				nodeType.description.requestDefaults !== undefined
			) {
				nodeType.execute = async function () {
					return (await new RoutingNode(this, nodeType).runNode()) ?? [];
				};
			}
			return routingOnly
				? Object.create(nodeType, { customOperations: { value: undefined } })
				: nodeType;
		},
		getKnownTypes: () => ({}),
	};
}

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(loader, credentials) {
		super();
		this.loader = loader;
		this.credentials = credentials;
	}
	credentialType(type) {
		return this.loader.getCredential(type).type;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	getCredentialsProperties(type) {
		return this.credentialType(type).properties;
	}
	/** Fills credential defaults the way n8n's applyDefaultsAndOverwrites does. */
	withDefaults(type, data) {
		return NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data,
			true,
			false,
			null,
			null,
		);
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		if (!(type in this.credentials)) throw new Error(`No test credentials for ${type}`);
		return this.withDefaults(type, this.credentials[type]);
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const credentialType = this.credentialType(typeName);
		if (typeof credentialType.authenticate === 'function') {
			return credentialType.authenticate(credentials, requestOptions);
		}
		if (credentialType.authenticate?.type === 'generic') {
			const resolve = (value) =>
				isExpression(value)
					? String(
							workflow.expression.getSimpleParameterValue(
								node,
								value,
								'internal',
								{ $credentials: credentials },
								undefined,
								'',
							) ?? '',
						)
					: value;
			for (const [target, entries] of Object.entries(credentialType.authenticate.properties)) {
				requestOptions[target] ??= {};
				for (const [key, value] of Object.entries(entries))
					requestOptions[target][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials() {
		throw new Error('not used by the harness');
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
}

function additionalData(hooks, credentialsHelper, extra = {}) {
	return {
		hooks,
		credentialsHelper,
		executionId: '1',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'test-user',
		currentNodeParameters: undefined,
		...extra,
	};
}

/**
 * A node as the editor saves it. `credentials: false` leaves the credential off the node.
 * `settings` takes node settings such as { onError, retryOnFail }.
 */
function makeNode({
	name = 'Pilot Status',
	type = NODE_TYPE,
	parameters = {},
	credentials = true,
	settings = {},
	webhookId,
} = {}) {
	return {
		id: `${name}-id`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(credentials
			? { credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Pilot Status account' } } }
			: {}),
		...(webhookId ? { webhookId } : {}),
		...settings,
	};
}

/** Executes a workflow starting at `startNodeName` with `items` as its input; returns the IRun. */
async function runWorkflow({
	nodes,
	connections = {},
	credentials = {},
	startNodeName,
	items = [{ json: {} }],
	extraTypes,
	cancelAfterMs,
	onEvaluate,
	mode = 'manual',
	routingOnly,
}) {
	const loader = await loadPackage();
	const nodeTypes = makeNodeTypes(loader, extraTypes, { routingOnly });
	const workflowData = {
		id: 'test-workflow',
		name: 'test',
		nodes,
		connections,
		active: false,
		settings: {},
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes, staticData: {} });
	if (onEvaluate) {
		// Every expression n8n evaluates ends in resolveSimpleParameterValue: count them there.
		const resolve = workflow.expression.resolveSimpleParameterValue.bind(workflow.expression);
		workflow.expression.resolveSimpleParameterValue = (value, ...rest) => {
			if (typeof value === 'string' && value.startsWith('=')) onEvaluate(value);
			return resolve(value, ...rest);
		};
	}
	const hooks = new ExecutionLifecycleHooks(mode, '1', workflowData);
	const finished = new Promise((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
	);
	const data = additionalData(hooks, new TestCredentialsHelper(loader, credentials));
	// As n8n 2.x creates every run: with a resume token, which waiting executions' URLs carry.
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(startNodeName), data: { main: [items] }, source: null },
			],
		},
	});
	const running = new WorkflowExecute(data, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	// What n8n does when the user stops the execution: the run ends, the node's cancel signal fires.
	const timer =
		cancelAfterMs === undefined ? undefined : setTimeout(() => running.cancel(), cancelAfterMs);
	await running;
	clearTimeout(timer);
	return finished;
}

/**
 * Runs one Pilot Status node. Returns its output items, the error that stopped the run (if any)
 * and the raw IRun (undefined when n8n refused to start the run because of parameter issues).
 * `credential` is the credential's data; pass `credential: null` for no credential.
 */
async function runNode({
	parameters,
	credential = {},
	items = [{ json: {} }],
	settings,
	type,
	cancelAfterMs,
	onEvaluate,
	mode,
	routingOnly,
}) {
	const node = makeNode({ parameters, credentials: credential !== null, settings, type });
	let run;
	try {
		run = await runWorkflow({
			nodes: [node],
			credentials: credential === null ? {} : { [CREDENTIAL_TYPE]: credential },
			startNodeName: node.name,
			items,
			cancelAfterMs,
			onEvaluate,
			mode,
			routingOnly,
		});
	} catch (error) {
		// n8n checks parameters (required fields, locator patterns) before a run starts and refuses
		// to run at all; the editor shows the same messages on the node.
		if (error.name !== 'WorkflowHasIssuesError') throw error;
		return { run: undefined, items: [], error };
	}
	const task = run.data.resultData.runData[node.name]?.[0];
	return {
		run,
		items: task?.data?.main?.[0] ?? [],
		error: run.data.resultData.error ?? task?.error,
	};
}

/**
 * The credential test exactly as n8n's CredentialsTester runs a `test` request: a throw-away node
 * whose only property routes the test request, run by RoutingNode with the decrypted credential,
 * then the same status-code rules and fallbacks.
 */
async function testCredential(data) {
	const loader = await loadPackage();
	const credentialType = loader.getCredential(CREDENTIAL_TYPE).type;
	const helper = new TestCredentialsHelper(loader, { [CREDENTIAL_TYPE]: data });
	const decrypted = {
		id: 'cred-1',
		name: 'test',
		type: CREDENTIAL_TYPE,
		data: helper.withDefaults(CREDENTIAL_TYPE, data),
	};
	const testRequest = credentialType.test;
	const probeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			defaults: { name: 'Credential test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: testRequest.request },
				},
			],
		},
	};
	const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'test' } },
	};
	const nodeTypes = {
		getByName: () => probeType,
		getByNameAndVersion: () => probeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', '1', {
		id: 'x',
		nodes: [node],
		connections: {},
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(hooks, helper),
		'internal',
		{ resultData: { runData: {} } },
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await new RoutingNode(context, probeType, decrypted).runNode();
	} catch (error) {
		if (error.cause?.response) {
			const status = error.cause.response.status;
			const rule = (testRequest.rules ?? []).find(
				(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
			);
			if (rule) return { status: 'Error', message: rule.properties.message };
			return {
				status: 'Error',
				message: error.cause.response.statusText || `Received HTTP status code: ${status}`,
			};
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: error.message.toString() };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** Calls a listSearch method as the editor does when the user opens a resource locator. */
async function listSearch({ method, filter, parameters = {}, credential = {} }) {
	const loader = await loadPackage();
	const nodeType = loader.getNode('pilotStatus').type;
	const node = makeNode({ parameters, credentials: credential !== null });
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: makeNodeTypes(loader),
	});
	const helper = new TestCredentialsHelper(
		loader,
		credential === null ? {} : { [CREDENTIAL_TYPE]: credential },
	);
	const hooks = new ExecutionLifecycleHooks('internal', '1', {
		id: 'x',
		nodes: [node],
		connections: {},
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		additionalData(hooks, helper, { currentNodeParameters: parameters }),
		'',
	);
	return nodeType.methods.listSearch[method].call(context, filter);
}

module.exports = {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	TRIGGER_TYPE,
	TestCredentialsHelper,
	additionalData,
	listSearch,
	loadPackage,
	makeNode,
	makeNodeTypes,
	runNode,
	runWorkflow,
	testCredential,
	HookContext,
	WebhookContext,
	ExecutionLifecycleHooks,
	Workflow,
};
