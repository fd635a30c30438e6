'use strict';
// The workflows the benchmarks run: the same job done by this package's node and by the nodes a
// user would otherwise combine (HTTP Request, Edit Fields, Convert to File).
const { SEED } = require('../sandbox/seed');

const PILOT_STATUS_CREDENTIAL = {
	pilotStatusApi: { id: 'PsBenchCred00001', name: 'Pilot Status (sandbox)' },
};
const HEADER_CREDENTIAL = {
	httpHeaderAuth: { id: 'PsBenchHeader001', name: 'x-api-key (sandbox)' },
};
// Sends need a number's own key (the documented reading): the Suporte number's, in both forms.
const SENDING_CREDENTIAL = {
	pilotStatusApi: { id: 'PsBenchSendCred1', name: 'Pilot Status Suporte (sandbox)' },
};
const SENDING_HEADER_CREDENTIAL = {
	httpHeaderAuth: { id: 'PsBenchSendHead1', name: 'x-api-key Suporte (sandbox)' },
};

function credentials(sandboxUrl, apiKey, numberKey) {
	return [
		{
			id: 'PsBenchCred00001',
			name: 'Pilot Status (sandbox)',
			type: 'pilotStatusApi',
			data: { keyType: 'apiKey', apiKey, baseUrl: sandboxUrl },
		},
		{
			id: 'PsBenchHeader001',
			name: 'x-api-key (sandbox)',
			type: 'httpHeaderAuth',
			data: { name: 'x-api-key', value: apiKey },
		},
		...(numberKey === undefined
			? []
			: [
					{
						id: 'PsBenchSendCred1',
						name: 'Pilot Status Suporte (sandbox)',
						type: 'pilotStatusApi',
						data: { keyType: 'apiKey', apiKey: numberKey, baseUrl: sandboxUrl },
					},
					{
						id: 'PsBenchSendHead1',
						name: 'x-api-key Suporte (sandbox)',
						type: 'httpHeaderAuth',
						data: { name: 'x-api-key', value: numberKey },
					},
				]),
	];
}

/** Edit Fields setting `items` to the array `value` builds, for Split Out to split into items. */
function itemsNode(name, value) {
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			mode: 'manual',
			assignments: { assignments: [{ id: 'a', name: 'items', type: 'array', value }] },
			options: {},
		},
	};
}

/** Split Out of the `items` field itemsNode set. */
const splitNode = () => ({
	name: 'Split',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: { fieldToSplitOut: 'items', options: {} },
});

/** The connections of `nodes` in a chain, each node's main output to the next one. */
function chainConnections(nodes) {
	const connections = {};
	for (let index = 0; index < nodes.length - 1; index++)
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	return connections;
}

/** Manual trigger → N items built by an expression and split out, then `tail` in a chain. */
function workflow(id, name, itemsExpression, tail) {
	const head = [
		{
			id: `${id}-1`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{ id: `${id}-2`, position: [200, 0], ...itemsNode('Items', itemsExpression) },
		{ id: `${id}-3`, position: [400, 0], ...splitNode() },
	];
	const nodes = [
		...head,
		...tail.map((node, index) => ({
			id: `${id}-t${index}`,
			typeVersion: 1,
			position: [600 + 200 * index, 0],
			...node,
		})),
	];
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: chainConnections(nodes),
	};
}

const statusItems = (count) =>
	`={{ Array.from({ length: ${count} }, (_, i) => ({ id: i % 2 ? 'num_suporte' : 'num_vendas' })) }}`;
const newNumberItems = (count) =>
	`={{ Array.from({ length: ${count} }, (_, i) => ({ name: 'Loja ' + i, phone: '5511' + String(900000000 + i) })) }}`;

function throughputWorkflows(sandboxUrl, count) {
	return {
		node: workflow('PsBenchStatusNod', 'bench: Get Status x node', statusItems(count), [
			{
				name: 'Target',
				type: 'n8n-nodes-pilot-status.pilotStatus',
				parameters: {
					resource: 'number',
					operation: 'getStatus',
					numberId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				credentials: PILOT_STATUS_CREDENTIAL,
			},
		]),
		httpRequest: workflow(
			'PsBenchStatusHtt',
			'bench: Get Status x HTTP Request',
			statusItems(count),
			[
				{
					name: 'Target',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.5,
					parameters: {
						url: `=${sandboxUrl}/v1/numbers/{{ $json.id }}/status`,
						authentication: 'genericCredentialType',
						genericAuthType: 'httpHeaderAuth',
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Accept', value: 'application/json' }] },
						options: {},
					},
					credentials: HEADER_CREDENTIAL,
				},
			],
		),
	};
}

function createWorkflows(sandboxUrl, count) {
	return {
		node: workflow('PsBenchCreateNod', 'bench: Create Number x node', newNumberItems(count), [
			{
				name: 'Create',
				type: 'n8n-nodes-pilot-status.pilotStatus',
				parameters: {
					resource: 'number',
					operation: 'create',
					name: '={{ $json.name }}',
					phoneNumber: '={{ $json.phone }}',
					options: {},
				},
				credentials: PILOT_STATUS_CREDENTIAL,
			},
		]),
		chain: workflow(
			'PsBenchCreateCha',
			'bench: Create Number x HTTP Request + Convert to File',
			newNumberItems(count),
			[
				{
					name: 'Create',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.5,
					parameters: {
						method: 'POST',
						url: `${sandboxUrl}/v1/numbers`,
						authentication: 'genericCredentialType',
						genericAuthType: 'httpHeaderAuth',
						sendBody: true,
						bodyParameters: {
							parameters: [
								{ name: 'name', value: '={{ $json.name }}' },
								{ name: 'number', value: '={{ $json.phone }}' },
							],
						},
						options: {},
					},
					credentials: HEADER_CREDENTIAL,
				},
				{
					// Convert to File decodes the whole string as base64, so the data URI prefix must go first.
					name: 'Strip data URI',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						mode: 'manual',
						assignments: {
							assignments: [
								{
									id: 'q',
									name: 'qr',
									type: 'string',
									value: "={{ $json.qrcodeBase64.split(',')[1] }}",
								},
							],
						},
						includeOtherFields: true,
						include: 'except',
						excludeFields: 'qrcodeBase64',
						options: {},
					},
				},
				{
					name: 'To file',
					type: 'n8n-nodes-base.convertToFile',
					typeVersion: 1.1,
					parameters: {
						operation: 'toBinary',
						sourceProperty: 'qr',
						binaryPropertyName: 'data',
						options: {
							fileName: '=qr-code-{{ $json.instance.number }}.png',
							mimeType: 'image/png',
						},
					},
				},
			],
		),
	};
}

/** Distinct E.164 numbers (none on the sandbox's not-on-WhatsApp list) with a text each. */
const sendItems = (count) =>
	`={{ Array.from({ length: ${count} }, (_, i) => ({ phone: '+55119' + String(55000000 + i), text: 'Pedido ' + i + ' confirmado. Obrigado!' })) }}`;

/**
 * Message → Send of the node to a phone number, as a user fills it in; `content`: the message
 * type's fields (messageType first), `extra`: node settings.
 */
function messageSendNode({
	name = 'Target',
	phone,
	content,
	options = {},
	credentials = SENDING_CREDENTIAL,
	extra = {},
}) {
	return {
		name,
		type: 'n8n-nodes-pilot-status.pilotStatus',
		parameters: {
			resource: 'message',
			operation: 'send',
			sendTo: 'phone',
			recipientPhoneNumber: phone,
			...content,
			options,
		},
		credentials,
		...extra,
	};
}

/** Message → Send (text) of the node, as a user fills it in. */
const sendTextNode = ({ phone = '={{ $json.phone }}', text = '={{ $json.text }}', ...rest } = {}) =>
	messageSendNode({ phone, content: { messageType: 'text', text }, ...rest });

/**
 * The HTTP Request node POSTing `body` (name/value pairs) to the documented send path, as a user
 * builds it; `acceptJson` adds the Accept header the node sends.
 */
function messagesSendRequest(
	sandboxUrl,
	{
		name = 'Target',
		body,
		options = {},
		credentials = SENDING_HEADER_CREDENTIAL,
		acceptJson = true,
		extra = {},
	},
) {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.5,
		parameters: {
			method: 'POST',
			url: `${sandboxUrl}/v1/messages/send`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			...(acceptJson
				? {
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Accept', value: 'application/json' }] },
					}
				: {}),
			sendBody: true,
			bodyParameters: { parameters: body },
			options,
		},
		credentials,
		...extra,
	};
}

/** The HTTP Request node POSTing the documented text send body with the node's headers. */
function sendTextHttpRequest(
	sandboxUrl,
	{ phone = '={{ $json.phone }}', text = '={{ $json.text }}', ...rest } = {},
) {
	return messagesSendRequest(sandboxUrl, {
		body: [
			{ name: 'destinationNumber', value: phone },
			{ name: 'text', value: text },
		],
		...rest,
	});
}

/** n8n credential references to credentials created through n8n's API ({ id, name }). */
const pilotStatusRef = ({ id, name }) => ({ pilotStatusApi: { id, name } });
const headerRef = ({ id, name }) => ({ httpHeaderAuth: { id, name } });

/** The Suporte number's key as both credentials (node and HTTP Request), created in n8n. */
async function createSendingCredentials(client, sandboxUrl) {
	const numberKey = SEED.numbers[0].key.value;
	const pilotStatus = await client.createCredential({
		name: 'Pilot Status Suporte (sandbox)',
		type: 'pilotStatusApi',
		data: { keyType: 'apiKey', apiKey: numberKey, baseUrl: sandboxUrl },
	});
	const header = await client.createCredential({
		name: 'x-api-key Suporte (sandbox)',
		type: 'httpHeaderAuth',
		data: { name: 'x-api-key', value: numberKey },
	});
	return { pilotStatus, header };
}

function sendWorkflows(sandboxUrl, count) {
	return {
		node: workflow('PsBenchSendNode1', 'bench: Send x node', sendItems(count), [sendTextNode()]),
		httpRequest: workflow('PsBenchSendHttp1', 'bench: Send x HTTP Request', sendItems(count), [
			sendTextHttpRequest(sandboxUrl),
		]),
	};
}

module.exports = {
	SENDING_CREDENTIAL,
	SENDING_HEADER_CREDENTIAL,
	createSendingCredentials,
	credentials,
	createWorkflows,
	chainConnections,
	headerRef,
	itemsNode,
	messageSendNode,
	messagesSendRequest,
	pilotStatusRef,
	sendItems,
	sendTextHttpRequest,
	sendTextNode,
	sendWorkflows,
	splitNode,
	throughputWorkflows,
};
