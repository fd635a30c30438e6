'use strict';
// Sandbox faults, node parameters and items that several suites use the same way.

const SEND_PATH = '/v1/messages/send';

/** Answers 429 to the requests of `method` on `path` it picks (`more`: count, share, retryAfter, body...). */
const tooManyRequests = (method, path, more = {}) => ({
	type: 'status',
	status: 429,
	...(method === undefined ? {} : { method }),
	path,
	...more,
});

/**
 * Sends that reach Pilot Status but whose answer goes wrong after it (502 unless `status` and
 * `body` say otherwise): the node cannot know whether the message went out.
 */
const faultAfterSend = (more = {}) => ({
	type: 'status',
	status: 502,
	afterHandling: true,
	method: 'POST',
	path: SEND_PATH,
	...more,
});

/** Message → Send (text) to each item's `phone`. */
const textSendParameters = (text, more = {}) => ({
	resource: 'message',
	operation: 'send',
	sendTo: 'phone',
	recipientPhoneNumber: '={{ $json.phone }}',
	messageType: 'text',
	text,
	...more,
});

/** Distinct mobile numbers in E.164, none on the sandbox's not-on-WhatsApp list. */
const customerPhones = (count) =>
	Array.from({ length: count }, (_, n) => `+55119777${String(n).padStart(5, '0')}`);

/** Number → Create from each item's `name` and `phone`. */
const CREATE_NUMBER_PARAMETERS = {
	resource: 'number',
	operation: 'create',
	name: '={{ $json.name }}',
	phoneNumber: '={{ $json.phone }}',
};

/** Items for Number → Create: shops "Loja 0".. with their phone numbers. */
const shopItems = (count) =>
	Array.from({ length: count }, (_, index) => ({
		json: { name: `Loja ${index}`, phone: `551190000000${index}` },
	}));

module.exports = {
	CREATE_NUMBER_PARAMETERS,
	SEND_PATH,
	customerPhones,
	faultAfterSend,
	shopItems,
	textSendParameters,
	tooManyRequests,
};
