export function findSecrets(
	values: Record<string, unknown>,
	secrets: string[],
): Array<[string, string]>;

/** The ways a server may echo a secret: [name, echo of `secret`]. */
export function disguises(secret: string): Array<[string, string]>;

/** Secrets found in any disguise, as [secret, where, disguise]. */
export function findDisguisedSecrets(
	values: Record<string, unknown>,
	secrets: string[],
): Array<[string, string, string]>;
