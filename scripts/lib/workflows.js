'use strict';
// Workflows the suites and benchmarks publish in a running n8n, built in one place.
const crypto = require('node:crypto');

const ACTION_TYPE = 'n8n-nodes-pilot-status.pilotStatus';
const TRIGGER_TYPE = 'n8n-nodes-pilot-status.pilotStatusTrigger';

const credentialRef = (credential) => ({
	pilotStatusApi: { id: credential.id, name: credential.name },
});

/** n8n's Webhook node, called with POST; `parameters` override the answer (responseMode...). */
function webhookNode({ name, path, id, position, parameters = {} }) {
	return {
		...(id === undefined ? {} : { id }),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		...(position === undefined ? {} : { position }),
		webhookId: crypto.randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path,
			responseMode: 'onReceived',
			options: {},
			...parameters,
		},
	};
}

/** Webhook (deal won) → Create Number → Wait for Connection → No Operation; `customer`, `phone` in the body. */
function onboardingWorkflow({
	credential,
	resumeWhen,
	pollInterval = 5,
	timeoutMinutes = 10,
	ifNotConnected = 'fail',
	name = `Onboarding at scale (${resumeWhen})`,
	webhookPath = `pilot-status-scale-${crypto.randomBytes(4).toString('hex')}`,
}) {
	const pilotStatus = credentialRef(credential);
	const workflow = {
		name,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode({ id: 'scale-webhook', name: 'Deal won', position: [0, 0], path: webhookPath }),
			{
				id: 'scale-create',
				name: 'Create Number',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'number',
					operation: 'create',
					name: '={{ $json.body.customer }}',
					phoneNumber: '={{ $json.body.phone }}',
					binaryPropertyName: 'data',
					options: {},
				},
				credentials: pilotStatus,
			},
			{
				id: 'scale-wait',
				name: 'Wait for Connection',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'number',
					operation: 'waitForConnection',
					numberId: {
						__rl: true,
						mode: 'id',
						value: "={{ $('Create Number').item.json.id }}",
					},
					resumeWhen,
					...(resumeWhen === 'polling' ? { pollInterval } : {}),
					timeout: timeoutMinutes,
					ifNotConnected,
					options: {},
				},
				credentials: pilotStatus,
			},
			{
				id: 'scale-done',
				name: 'Connected',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [660, 0],
				parameters: {},
			},
		],
		connections: {
			'Deal won': { main: [[{ node: 'Create Number', type: 'main', index: 0 }]] },
			'Create Number': { main: [[{ node: 'Wait for Connection', type: 'main', index: 0 }]] },
			'Wait for Connection': { main: [[{ node: 'Connected', type: 'main', index: 0 }]] },
		},
	};
	return { workflow, webhookPath };
}

/** Pilot Status Trigger (all numbers) → No Operation "Received". */
function triggerWorkflow({ credential, events, name }) {
	return {
		name,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'events-trigger',
				name: 'Pilot Status Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: { events, numbers: 'all' },
				credentials: credentialRef(credential),
			},
			{
				id: 'events-received',
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: {
			'Pilot Status Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Webhook (order placed, `phone` and `order` in the body) → Send and Wait for Response (Approval,
 * answered by a WhatsApp reply, 10 minutes at most). `credential`: the sending number's own key.
 */
function approvalWorkflow({
	credential,
	name = 'Approval over WhatsApp',
	webhookPath = `pilot-status-ask-${crypto.randomBytes(4).toString('hex')}`,
	askParameters = {},
}) {
	const workflow = {
		name,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode({ id: 'ask-webhook', name: 'Order placed', position: [0, 0], path: webhookPath }),
			{
				id: 'ask-send-and-wait',
				name: 'Ask the customer',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					recipientPhoneNumber: '={{ $json.body.phone }}',
					message: '=Posso confirmar seu pedido {{ $json.body.order }}?',
					responseType: 'approval',
					approveLabel: 'Aprovar',
					declineLabel: 'Recusar',
					approvalInstructions: 'Responda 1 para aprovar ou 2 para recusar.',
					limitWaitTime: true,
					limitType: 'afterTimeInterval',
					resumeAmount: 10,
					resumeUnit: 'minutes',
					...askParameters,
				},
				credentials: credentialRef(credential),
			},
		],
		connections: {
			'Order placed': { main: [[{ node: 'Ask the customer', type: 'main', index: 0 }]] },
		},
	};
	return { workflow, webhookPath };
}

module.exports = {
	approvalWorkflow,
	credentialRef,
	onboardingWorkflow,
	triggerWorkflow,
	webhookNode,
};
