import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Checked } from '../input/validation';

export interface KeyHeader {
	name: 'x-api-key' | 'x-api-key-id';
	value: string;
}

/**
 * The one header the credential sends: the key, or its ID. The API must receive exactly one of the
 * two and never an empty one.
 */
export function keyHeaderOf(credentials: ICredentialDataDecryptedObject): Checked<KeyHeader> {
	const useKeyId = credentials.keyType === 'apiKeyId';
	const value = String((useKeyId ? credentials.apiKeyId : credentials.apiKey) ?? '').trim();
	if (!value) {
		return {
			problem: `The Pilot Status credential has no ${useKeyId ? 'API Key ID' : 'API Key'}. Nothing was sent. Open the credential and paste the tenant key from the dashboard (Profile → API tab).`,
		};
	}
	return { value: { name: useKeyId ? 'x-api-key-id' : 'x-api-key', value } };
}
