export function record(
	kind: 'faults' | 'badInputs' | 'leaks' | 'secretChecks',
	count?: number,
): void;
