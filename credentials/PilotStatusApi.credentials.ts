import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { checkBaseUrl } from '../nodes/PilotStatus/transport/baseUrl';
import { keyHeaderOf } from '../nodes/PilotStatus/transport/credentialKey';
import { DEFAULT_BASE_URL } from '../nodes/PilotStatus/constants';

const KEY_HEADERS = ['x-api-key', 'x-api-key-id'];

export class PilotStatusApi implements ICredentialType {
	name = 'pilotStatusApi';

	displayName = 'Pilot Status API';

	icon: Icon = {
		light: 'file:../icons/pilotStatus.svg',
		dark: 'file:../icons/pilotStatus.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-pilot-status/n8n-nodes-pilot-status#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'Two kinds of key. The tenant key (dashboard → Profile → API tab) manages the account: numbers, keys, webhooks. A number’s own key (dashboard → API Keys, or API Key → Get Many / Regenerate) sends that number’s messages; the tenant key sends them only with a Sending Number picked in the node, where Pilot Status allows it.',
			name: 'tenantKeyNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Authenticate With',
			name: 'keyType',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'The raw key (starts with ps_), sent in the x-api-key header',
				},
				{
					name: 'API Key ID',
					value: 'apiKeyId',
					description: "The key's ID, sent in the x-api-key-id header; Pilot Status resolves it",
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. ps_4f1c...',
			description:
				'Your tenant-scoped key: Pilot Status dashboard → Profile → API tab. Number-scoped keys (API Keys page) cannot manage numbers or keys.',
			displayOptions: { show: { keyType: ['apiKey'] } },
		},
		{
			displayName: 'API Key ID',
			name: 'apiKeyId',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The ID of your tenant-scoped key (dashboard → Profile → API tab). Anyone holding it can call the API, so treat it like the key.',
			displayOptions: { show: { keyType: ['apiKeyId'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Change only to reach a test server. A trailing slash or /v1 is fine; requests always go to /v1/.... Only http(s) addresses without a user name, password, query or fragment are accepted.',
			// n8n runs this credential's Test itself: it reports status codes and connection codes
			// (ECONNREFUSED...), and cannot look at a 200 answer's body. Said where the user meets it.
			hint: 'Test names a wrong key, a 404 or a redirect; a web page answering 200 at a wrong address passes it, and the first node run then says nothing like Pilot Status answers there. ECONNREFUSED or ENOTFOUND means the address is wrong or unreachable.',
		},
	];

	// A function rather than a generic header map: the generic form always sends its headers, and
	// this API must receive exactly one of x-api-key / x-api-key-id, never an empty one.
	// It also sets the API origin: n8n hands the decrypted credential to this function anyway, while
	// a `$credentials` expression in the node's requestDefaults is evaluated twice per item in n8n's
	// sandboxed expression engine (measured: most of the node's time on 500 items).
	// Every request that carries the key goes through here, so here it is also made sure that the
	// key never follows a redirect: n8n's HTTP client would replay custom headers to wherever a 3xx
	// points (it strips only Authorization and cookies on a cross-origin redirect).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const key = keyHeaderOf(credentials);
		if (key.problem !== undefined) throw new Error(key.problem);
		const base = checkBaseUrl(credentials.baseUrl, 'Base URL');
		if (base.problem !== undefined) {
			throw new Error(
				`The Pilot Status credential's ${base.problem} Nothing was sent. Open the credential and fix the Base URL.`,
			);
		}

		const headers = Object.fromEntries(
			Object.entries(requestOptions.headers ?? {}).filter(
				([name]) => !KEY_HEADERS.includes(name.toLowerCase()),
			),
		);
		headers[key.value.name] = key.value.value;
		return { ...requestOptions, baseURL: base.value.url, headers, disableFollowRedirect: true };
	}

	test: ICredentialTestRequest = {
		// Every reading of the docs lets a tenant key list the numbers; a number-scoped key gets 403
		// NUMBER_SCOPE_NOT_ALLOWED where the service enforces scopes there. The origin comes from
		// authenticate, as for every request with this credential.
		request: {
			url: '/v1/numbers',
			method: 'GET',
		},
		rules: [
			...[301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The Base URL answered with a redirect (${status}), which is never followed: the key was not sent anywhere else. Use the API's own address, ${DEFAULT_BASE_URL}.`,
				},
			})),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Pilot Status did not accept this key (401). Check that you pasted the whole key and chose the right "Authenticate With" option; a rotated or regenerated key stops working at once.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'This key may not manage the account (403): it is a number-scoped key. The node needs the tenant key: Pilot Status dashboard → Profile → API tab.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: `No Pilot Status API answered at this Base URL (404). Use ${DEFAULT_BASE_URL} unless you run a test server.`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'Pilot Status is rate limiting this key (429). Wait a minute and test again.',
				},
			},
		],
	};
}
