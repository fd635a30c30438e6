/** What the reliability and security suites tried; summary-reporter.js adds it up. */
export type SummaryKind =
	| 'faults'
	| 'badInputs'
	| 'leaks'
	| 'secretChecks'
	| 'redirects'
	| 'transport'
	| 'cutOff'
	| 'deadlines'
	| 'echoes'
	| 'sideEffects'
	| 'polling'
	| 'trigger'
	| 'forgedEvents'
	| 'webhookSweeps';

export function record(kind: SummaryKind, count?: number): void;
