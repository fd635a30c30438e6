import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { apiOrigin, DEFAULT_BASE_URL } from '../nodes/PilotStatus/shared/constants';

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
			placeholder: 'ps_...',
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
				'Change only to reach a test server. A trailing slash or /v1 is fine; requests always go to /v1/...',
		},
	];

	// A function rather than a generic header map: the generic form always sends its headers, and
	// this API must receive exactly one of x-api-key / x-api-key-id, never an empty one.
	// It also sets the API origin: n8n hands the decrypted credential to this function anyway, while
	// a `$credentials` expression in the node's requestDefaults is evaluated twice per item in n8n's
	// sandboxed expression engine (measured: most of the node's time on 500 items).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const useKeyId = credentials.keyType === 'apiKeyId';
		const field = useKeyId ? 'API Key ID' : 'API Key';
		const value = String((useKeyId ? credentials.apiKeyId : credentials.apiKey) ?? '').trim();
		if (!value) {
			throw new Error(
				`The Pilot Status credential has no ${field}. Open the credential and paste the tenant key from the dashboard (Profile → API tab).`,
			);
		}

		const headers = Object.fromEntries(
			Object.entries(requestOptions.headers ?? {}).filter(
				([name]) => !KEY_HEADERS.includes(name.toLowerCase()),
			),
		);
		headers[useKeyId ? 'x-api-key-id' : 'x-api-key'] = value;
		return { ...requestOptions, baseURL: apiOrigin(credentials.baseUrl), headers };
	}

	test: ICredentialTestRequest = {
		// The origin comes from authenticate, as for every request with this credential.
		request: {
			url: '/v1/api-keys',
			method: 'GET',
		},
		rules: [
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
						'This is a number-scoped key (403 NUMBER_SCOPE_NOT_ALLOWED). The node manages the whole account and needs the tenant key: Pilot Status dashboard → Profile → API tab.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Pilot Status API answered at this Base URL (404). Use https://pilotstatus.com.br unless you run a test server.',
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
