import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../constants';

interface Context {
	getNode(): INode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
}

/**
 * The credential's key and key ID, to be removed from anything the service echoes back. Read only
 * when a call failed: decrypting the credential for every item would cost every run.
 */
export async function secretsOf(context: Context): Promise<string[]> {
	if (!context.getNode().credentials?.[CREDENTIAL_TYPE]) return [];
	try {
		const { apiKey, apiKeyId } = await context.getCredentials(CREDENTIAL_TYPE);
		return [apiKey, apiKeyId]
			.filter((value): value is string => typeof value === 'string' && value.trim() !== '')
			.map((value) => value.trim());
	} catch {
		return [];
	}
}
