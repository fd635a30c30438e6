import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties, INodePropertyOptions, INodePropertyRouting } from 'n8n-workflow';

import { byOptionName } from '../constants';
import {
	refuseWhereOnlyRoutingRuns,
	requireCredential,
	sendWithSafeguards,
	throwOnApiError,
	usePublicApiBase,
} from './hooks';

/** One operation: its entry in the Operation dropdown (with routing) and the fields it shows. */
export interface OperationDefinition {
	option: INodePropertyOptions;
	/**
	 * What an AI agent is told about this operation when the node runs as its tool: what it changes,
	 * destroys or costs, what its inputs look like. Operations that only read leave it out: they share
	 * one empty Description (readOnlyToolDescription), and n8n tells the agent their action.
	 */
	toolDescription?: string;
	fields?: INodeProperties[];
}

/**
 * Routing shared by every operation of a resource, on its Operation dropdown: n8n applies a
 * property's routing before the chosen option's (as nodes-base WhatsApp does). Operations without
 * routing (custom operations) never reach RoutingNode, so it does not touch them.
 */
function sharedRouting(needsCredential: boolean): INodePropertyRouting {
	return {
		send: { preSend: [needsCredential ? requireCredential : usePublicApiBase], paginate: true },
		operations: { pagination: sendWithSafeguards },
		output: { postReceive: [throwOnApiError] },
	};
}

/** A resource: its operations, the one the dropdown starts on, and whether calls need the credential. */
export interface ResourceDefinition {
	resource: string;
	operations: OperationDefinition[];
	defaultOperation: string;
	needsCredential: boolean;
}

const byName = (a: OperationDefinition, b: OperationDefinition) => byOptionName(a.option, b.option);
const unique = (values: string[]) => [...new Set(values)];

const OPERATION_SELECTOR: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [],
	default: '',
};

/** A custom operation's option, with routing that refuses where only routing runs (see the hook). */
function withRefusalRouting(option: INodePropertyOptions): INodePropertyOptions {
	const label = `This operation (${option.action ?? option.name})`;
	return { ...option, routing: { send: { preSend: [refuseWhereOnlyRoutingRuns(label)] } } };
}

function operationSelector(definition: ResourceDefinition): INodeProperties {
	return {
		...OPERATION_SELECTOR,
		displayOptions: { show: { resource: [definition.resource] } },
		options: [...definition.operations]
			.sort(byName)
			.map(({ option }) => (option.routing ? option : withRefusalRouting(option))),
		default: definition.defaultOperation,
		routing: sharedRouting(definition.needsCredential),
	};
}

/**
 * One order for fields that several operations list, in which every operation still shows its own
 * fields in the order it lists them (n8n shows properties in declaration order).
 */
function consistentOrder(lists: INodeProperties[][]): INodeProperties[] {
	const firstSeen = new Map<INodeProperties, number>();
	const next = new Map<INodeProperties, Set<INodeProperties>>();
	const waitingFor = new Map<INodeProperties, number>();
	for (const list of lists) {
		list.forEach((field, index) => {
			if (!firstSeen.has(field)) {
				firstSeen.set(field, firstSeen.size);
				next.set(field, new Set());
				waitingFor.set(field, 0);
			}
			const before = list[index - 1];
			if (before && !next.get(before)!.has(field)) {
				next.get(before)!.add(field);
				waitingFor.set(field, waitingFor.get(field)! + 1);
			}
		});
	}
	const ordered: INodeProperties[] = [];
	const ready = [...firstSeen.keys()].filter((field) => waitingFor.get(field) === 0);
	while (ready.length > 0) {
		ready.sort((a, b) => firstSeen.get(a)! - firstSeen.get(b)!);
		const field = ready.shift()!;
		ordered.push(field);
		for (const after of next.get(field)!) {
			waitingFor.set(after, waitingFor.get(after)! - 1);
			if (waitingFor.get(after) === 0) ready.push(after);
		}
	}
	if (ordered.length !== firstSeen.size) {
		throw new Error('Two operations list the same fields in opposite orders; give them one order.');
	}
	return ordered;
}

/**
 * Every resource's Operation dropdown and every operation's fields, each field shown only for the
 * operations that list it.
 *
 * A field object listed by several operations becomes one property whose displayOptions name all
 * of them, as n8n's own nodes declare shared fields. This matters for speed: RoutingNode resolves
 * the value of every property definition for every item, shown or not, so a field declared six
 * times had its expression evaluated six times per item in each of RoutingNode's two passes.
 * A field is not merged where the combined displayOptions would also show it on an operation that
 * did not list it.
 */
export function nodeProperties(resources: ResourceDefinition[]): INodeProperties[] {
	type Use = { resource: string; operation: string };
	const key = ({ resource, operation }: Use) => `${resource}/${operation}`;
	const existing = new Set(
		resources.flatMap(({ resource, operations }) =>
			operations.map(({ option }) => key({ resource, operation: option.value as string })),
		),
	);
	const uses = new Map<INodeProperties, Use[]>();
	const lists: INodeProperties[][] = [];
	for (const { resource, operations } of resources) {
		for (const { option, fields = [] } of [...operations].sort(byName).map(withToolDescription)) {
			lists.push(fields);
			for (const field of fields) {
				uses.set(field, [
					...(uses.get(field) ?? []),
					{ resource, operation: option.value as string },
				]);
			}
		}
	}
	const fields = consistentOrder(lists).flatMap((field) => {
		const used = uses.get(field)!;
		const declared = new Set(used.map(key));
		const resourceNames = unique(used.map((use) => use.resource));
		const operationNames = unique(used.map((use) => use.operation));
		const exact = resourceNames.every((resource) =>
			operationNames.every(
				(operation) =>
					!existing.has(key({ resource, operation })) || declared.has(key({ resource, operation })),
			),
		);
		const groups = exact
			? [used]
			: resourceNames.map((resource) => used.filter((use) => use.resource === resource));
		return groups.flatMap((group) =>
			updateDisplayOptions(
				{
					show: {
						resource: unique(group.map((use) => use.resource)),
						operation: unique(group.map((use) => use.operation)),
					},
				},
				[field],
			),
		);
	});
	return [...resources.map(operationSelector), ...resources.flatMap(toolDescriptions), ...fields];
}

/**
 * The Description of every operation that only reads, declared once: empty, so n8n tells the agent
 * the operation's action ("Get status of a number in Pilot Status"), as it does for its own nodes,
 * and its inputs' hints say what they take. RoutingNode handles every declaration for every item,
 * so texts that only restate a read are not worth a declaration each.
 */
const readOnlyToolDescription: INodeProperties = {
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	placeholder: 'e.g. Get status of a number in Pilot Status',
	description:
		'What the AI agent is told about this tool. This operation only reads: left empty, n8n tells the agent the operation (as the placeholder shows).',
	displayOptions: { show: { '@tool': [true] } },
};

/** An operation's fields, with the shared Description when it has no text of its own. */
function withToolDescription(operation: OperationDefinition): OperationDefinition {
	if (operation.toolDescription !== undefined) return operation;
	return { ...operation, fields: [readOnlyToolDescription, ...(operation.fields ?? [])] };
}

/**
 * One Description field per operation that changes, destroys or costs something, shown only on the
 * Tool variant (`@tool`). Because the node defines `toolDescription` itself, n8n adds no description
 * of its own and hands the model this text (the user can still edit it).
 */
function toolDescriptions({ resource, operations }: ResourceDefinition): INodeProperties[] {
	const described = operations.filter((operation) => operation.toolDescription !== undefined);
	return [...described].sort(byName).map(({ option, toolDescription }) => ({
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: toolDescription,
		description: 'What the AI agent is told about this tool',
		displayOptions: {
			show: { '@tool': [true], resource: [resource], operation: [option.value as string] },
		},
	}));
}
