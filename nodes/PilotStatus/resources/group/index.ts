import type { ResourceDefinition } from '../../routing/operations';
import { createGroup, createGroupRun } from './create';
import { getGroup, getGroupRun } from './get';
import { getManyGroups, getManyGroupsRun } from './getAll';
import { getInviteLink, getInviteLinkRun } from './getInviteLink';
import { participantOperations, participantRuns } from './participants';
import { pinMessage, pinMessageRun } from './pin';

export const groupResource: ResourceDefinition = {
	resource: 'group',
	operations: [
		createGroup,
		getGroup,
		getManyGroups,
		getInviteLink,
		pinMessage,
		...participantOperations,
	],
	defaultOperation: 'getAll',
	needsCredential: true,
};

/** Every operation runs as code (PilotStatus.node.ts customOperations). */
export const groupOperations = {
	create: createGroupRun,
	get: getGroupRun,
	getAll: getManyGroupsRun,
	getInviteLink: getInviteLinkRun,
	pin: pinMessageRun,
	...participantRuns,
};
