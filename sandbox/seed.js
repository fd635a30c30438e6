'use strict';
// The fixed starting point of every sandbox: what `npm run sandbox` prints, what tests reset to,
// and what the README's walkthrough uses. Keys are placeholders, never real secrets.

const SEED = Object.freeze({
	tenantKey: Object.freeze({ id: 'key_tenant_0001', value: 'ps_example_tenant_key_0001' }),
	numbers: Object.freeze([
		Object.freeze({
			id: 'num_suporte',
			name: 'Suporte',
			number: '5511999999999',
			state: 'OPEN',
			key: Object.freeze({
				id: 'key_num_suporte',
				value: 'ps_example_number_key_suporte',
				revealable: true,
			}),
		}),
		Object.freeze({
			id: 'num_vendas',
			name: 'Vendas',
			number: '5511988888888',
			state: 'CLOSE',
			key: Object.freeze({
				id: 'key_num_vendas',
				value: 'ps_example_number_key_vendas',
				revealable: false,
			}),
		}),
	]),
});

const DEFAULT_VARIANTS = Object.freeze({
	// GET /v1/numbers/{id}/status: the rendered docs page ({state, isFullyConnected}) or the .md page ({id, state}).
	statusShape: 'idAndState',
	// The disconnected state: "CLOSE" (.md pages, remote pairing) or "CLOSED" (rendered status page).
	closedState: 'CLOSE',
	// POST /v1/numbers: the instance carries `status` (guide and OpenAPI) or `state` like every other endpoint.
	createStateField: 'status',
	// POST /v1/numbers/remote-pairing: the guide's {instance, remotePairingUrl, maskedNumber, messageSent},
	// the playground's {provider, remotePairingToken, remotePairingUrl, numberId}, or the embed page's
	// guide shape with a UUID token.
	remotePairingShape: 'guide',
	// A remote pairing token once its number connects: still answering, or cleared as the status page
	// says ("single-use: cleared once the number connects"; later calls then answer 404).
	pairingTokenAfterConnect: 'kept',
});

module.exports = { SEED, DEFAULT_VARIANTS };
