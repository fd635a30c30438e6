import type { INode } from 'n8n-workflow';

// n8n runs a node that declares usableAsTool as `<type>Tool` when an AI agent calls it. What such a
// run returns goes to the model provider, so it must not carry secrets.

export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}
