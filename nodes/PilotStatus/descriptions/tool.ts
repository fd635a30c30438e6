import type { INode } from 'n8n-workflow';

// n8n runs a node that declares usableAsTool as `<type>Tool` when an AI agent calls it. What such a
// run returns goes to the model provider, so it must not carry secrets.

export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/**
 * An input the model fills when the node runs as an AI agent's tool, in place of a field the user
 * fills on the normal node: `parameter` is the Tool variant's field (see descriptions.ts), `key`
 * the `$fromAI` key the model knows it by, `hint` all the model is told about it there. Only IDs
 * the model gets from an earlier tool call are its to fill; data such as a new number's phone
 * number stays the user's to set (or to hand to the model with the editor's "Let the model define
 * this parameter").
 */
export interface ModelInput {
	parameter: string;
	key: string;
	hint: string;
}

export const MODEL_INPUTS = {
	numberId: {
		parameter: 'toolNumberId',
		key: 'numberId',
		hint: 'The Pilot Status ID of the WhatsApp number, like num_01HZX9K3. Not its phone number: Get Many numbers lists the IDs.',
	},
	pairingLink: {
		parameter: 'toolPairingLink',
		key: 'pairingLink',
		hint: 'The remote pairing link (remotePairingUrl) or its token, as Create Remote Pairing Link returned them, like https://pilotstatus.com.br/connect/rp_01HZX9K3',
	},
	webhookId: {
		parameter: 'toolWebhookId',
		key: 'webhookId',
		hint: 'The Pilot Status ID of the webhook, like wh_01HZX9K3. Get Many webhooks lists the IDs.',
	},
	recipientPhoneNumber: {
		parameter: 'toolRecipientPhoneNumber',
		key: 'phoneNumber',
		hint: 'The WhatsApp phone number to send to, with country and area code, like +5511999999999.',
	},
	messageText: {
		parameter: 'toolMessageText',
		key: 'text',
		hint: 'The text of the WhatsApp message, as the recipient will read it.',
	},
	messageId: {
		parameter: 'toolMessageId',
		key: 'messageId',
		hint: 'The id (or correlationId) a Send of this tool returned, like msg_01HZX9K3.',
	},
} satisfies Record<string, ModelInput>;

// Sentences of the tool descriptions (operations.ts) built from the same facts as the tool's
// fields, so that a description never promises an input the model cannot pass.

/** Names an input the model passes, with the hint its parameter carries. */
export function modelInputSentence({ key, hint }: ModelInput): string {
	return `Input ${key}: ${hint.charAt(0).toLowerCase()}${hint.slice(1)}`;
}

/** Names inputs the user sets on the tool, which the model passes only if the user let it. */
export function settingsSentence(inputs: string): string {
	return `${inputs} come from this tool's settings, not from you, unless the tool takes them as parameters.`;
}
