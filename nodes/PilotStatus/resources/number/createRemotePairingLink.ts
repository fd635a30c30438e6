import {
	linkToApiKeyOption,
	optionsCollection,
	pinWhileBuildingNotice,
} from '../../descriptions/fields';
import { changesAccount, newNumberInBody } from '../../routing/hooks';
import { outputRemotePairingLink } from '../../routing/postReceive';
import type { OperationDefinition } from '../../routing/operations';
import { settingsSentence } from '../../descriptions/tool';
import { newNumberFields } from './create';

export const createRemotePairingLink: OperationDefinition = {
	option: {
		name: 'Create Remote Pairing Link',
		value: 'createRemotePairingLink',
		action: 'Create a remote pairing link',
		description:
			'Add a number and get a link (valid 24 hours) where the customer scans the QR code themselves',
		routing: {
			request: { method: 'POST', url: '/v1/numbers/remote-pairing' },
			send: { preSend: [changesAccount, newNumberInBody] },
			output: { postReceive: [outputRemotePairingLink] },
		},
	},
	toolDescription: `Create a new WhatsApp number and a link (valid 24 hours) where the customer pairs it themselves; returns the link (remotePairingUrl), its token and the number's ID. Adds a number every time it runs. ${settingsSentence('Its name and phone number')}`,
	fields: [
		pinWhileBuildingNotice,
		...newNumberFields,
		optionsCollection(linkToApiKeyOption, {
			displayName: 'Send via WhatsApp',
			name: 'sendViaWhatsApp',
			type: 'boolean',
			default: false,
			description:
				'Whether Pilot Status should send the link to the phone number by WhatsApp (needs the pilot_status_remote_pairing template). The link is created even if sending fails; see messageSent.',
			routing: { send: { type: 'body', property: 'sendViaWhatsApp' } },
		}),
	],
};
