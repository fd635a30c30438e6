export function findSecrets(
	values: Record<string, unknown>,
	secrets: string[],
): Array<[string, string]>;
