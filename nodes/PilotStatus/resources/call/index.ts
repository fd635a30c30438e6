import type { ResourceDefinition } from '../../routing/operations';
import { getCall, getCallRun } from './get';
import { getManyCalls, getManyCallsRun } from './getAll';
import { getCallPermission, getCallPermissionRun } from './getPermission';
import { getCallSettings, getCallSettingsRun } from './getSettings';
import { requestCallPermission, requestCallPermissionRun } from './requestPermission';
import { updateCallSettings, updateCallSettingsRun } from './updateSettings';

// WhatsApp voice calls of a number (Meta numbers). Accepting, rejecting, ending and placing calls
// need a live audio session (WebRTC SDP offers and answers), which a workflow does not hold: left out.
export const callResource: ResourceDefinition = {
	resource: 'call',
	operations: [
		getCall,
		getManyCalls,
		getCallPermission,
		getCallSettings,
		requestCallPermission,
		updateCallSettings,
	],
	defaultOperation: 'getAll',
	needsCredential: true,
};

/** Every operation runs as code (PilotStatus.node.ts customOperations). */
export const callOperations = {
	get: getCallRun,
	getAll: getManyCallsRun,
	getPermission: getCallPermissionRun,
	getSettings: getCallSettingsRun,
	requestPermission: requestCallPermissionRun,
	updateSettings: updateCallSettingsRun,
};
