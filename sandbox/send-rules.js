'use strict';
// The rules of POST /v1/messages/send (../shared/messaging-api.md §2.1): exactly one destination,
// exactly one mode, the Meta and plan rules, and the documented contradictions behind variants.
// Each reader returns the normalised part of the message or throws the documented error.
const { ApiError } = require('./store');
const { findTemplate, renderTemplate } = require('./templates');

const MEDIA_TYPES = ['image', 'video', 'document', 'audio'];
const MAX_BUTTONS = 3;
const MAX_TEXT = 4096;
const DESTINATION_FIELDS = ['destinationNumber', 'groupId', 'newsletterId'];
const EXTENSION_TYPES = {
	image: /\.(jpe?g|png|gif|webp)$/i,
	video: /\.(mp4|3gp|mov)$/i,
	audio: /\.(ogg|opus|mp3|m4a|aac|amr)$/i,
	document: /\.(pdf|docx?|xlsx?|pptx?|txt|csv|zip)$/i,
};
const DATA_URI = /^data:([\w.+-]+\/[\w.+-]+);base64,([A-Za-z0-9+/=\r\n]+)$/;

const invalid = (message) => new ApiError(400, `Validation error: ${message}`);
const given = (value) => value !== undefined && value !== null && value !== '';

function readDestination(store, number, body) {
	const fields = DESTINATION_FIELDS.filter((field) => given(body[field]));
	if (fields.length !== 1)
		throw invalid('exactly one of destinationNumber, groupId or newsletterId is required');
	const [field] = fields;
	const value = body[field];
	if (typeof value !== 'string') throw invalid(`${field} must be a string`);
	if (field === 'destinationNumber') return phoneDestination(store, value.trim());
	if (field === 'groupId') return groupDestination(store, number, value);
	if (!/^[\w.-]+@newsletter$/.test(value))
		throw invalid('newsletterId must be a channel JID ending in @newsletter');
	if (number.provider === 'META') throw notForMeta('newsletterId');
	return { kind: 'newsletter', to: value, field };
}

function phoneDestination(store, value) {
	const strict = store.variants.destinationFormat === 'plusRequired';
	if (!strict && /^[A-Z]{2}\.\d{6,}$/.test(value)) return { kind: 'bsuid', to: value };
	const pattern = strict ? /^\+\d{10,15}$/ : /^\+?\d{10,15}$/;
	if (!pattern.test(value)) {
		throw invalid(
			strict
				? 'destinationNumber must be E.164 with a leading + (e.g. +5511999999999)'
				: 'destinationNumber must be an E.164 phone number (e.g. +5511999999999) or a BSUID',
		);
	}
	const digits = value.replace(/^\+/, '');
	return { kind: 'phone', to: `+${digits}`, digits };
}

function groupDestination(store, number, value) {
	if (!/^[\w.-]+@g\.us$/.test(value)) throw invalid('groupId must be a group JID ending in @g.us');
	if (number.provider === 'META') {
		if (store.variants.metaGroups === 'notSupported') throw notForMeta('groupId');
		if (!number.metaGroupsEligible)
			throw new ApiError(
				400,
				'Groups need an approved Official Business Account with groups enabled',
				'META_GROUPS_NOT_ELIGIBLE',
			);
	}
	return { kind: 'group', to: value };
}

function notForMeta(field) {
	return new ApiError(400, `${field} is not supported for Meta numbers`, 'NOT_SUPPORTED_FOR_META');
}

/** The template reference the active variant accepts, or undefined when none was sent. */
function templateReference(store, body) {
	const variant = store.variants.templateReference;
	const hasId = given(body.templateId);
	const hasName = given(body.templateName);
	if (variant === 'templateId' && hasName)
		throw invalid('templateName is not accepted; send the template id or name in templateId');
	if (variant === 'templateName' && hasId)
		throw invalid('templateId is not accepted; send the template name in templateName');
	if (hasId && hasName) throw invalid('send templateId or templateName, not both');
	const reference = hasId ? body.templateId : hasName ? body.templateName : undefined;
	if (reference !== undefined && typeof reference !== 'string')
		throw invalid('the template reference must be a string');
	return reference;
}

function readVariables(store, value) {
	if (value === undefined || value === null) return {};
	const variant = store.variants.variablesType;
	if (typeof value === 'string') {
		if (variant === 'object') throw invalid('variables must be an object');
		try {
			value = JSON.parse(value || '{}');
		} catch {
			throw invalid('variables is not valid JSON');
		}
	} else if (variant === 'string') {
		throw invalid('variables must be a string holding a JSON object');
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw invalid('variables must be an object of variable name to value');
	for (const [name, item] of Object.entries(value)) {
		if (!['string', 'number', 'boolean'].includes(typeof item))
			throw invalid(`variables.${name} must be text`);
	}
	return value;
}

function templateMode(store, number, body, reference) {
	if (given(body.text)) throw invalid('send a template or text, not both');
	const template = findTemplate(number, reference);
	const variables = readVariables(store, body.variables);
	const missing = template.variables.filter((name) => !given(variables[name]));
	if (missing.length)
		throw new ApiError(
			400,
			`Missing template variables: ${missing.join(', ')}`,
			'MISSING_TEMPLATE_VARIABLES',
		);
	const media = given(body.media) ? readMedia(store, number, body.media, body.mediaType) : null;
	return {
		mode: 'template',
		template,
		variables,
		text: renderTemplate(template, variables),
		...(media ?? {}),
	};
}

function readButton(button, index) {
	const text = typeof button === 'string' ? button : (button?.text ?? button?.title);
	if (typeof text !== 'string' || text.trim() === '')
		throw invalid(`buttons[${index}] needs a text (a string, or {id?, text} / {id?, title})`);
	const id = typeof button === 'object' && button.id !== undefined ? String(button.id) : null;
	return { id, text };
}

function textMode(body) {
	const { text } = body;
	if (typeof text !== 'string' || text.trim() === '') throw invalid('text must be non-empty');
	if (text.length > MAX_TEXT) throw invalid(`text is longer than ${MAX_TEXT} characters`);
	let buttons = null;
	if (body.buttons !== undefined) {
		if (
			!Array.isArray(body.buttons) ||
			body.buttons.length < 1 ||
			body.buttons.length > MAX_BUTTONS
		)
			throw invalid(`buttons must be a list of 1 to ${MAX_BUTTONS} buttons`);
		buttons = body.buttons.map(readButton);
	}
	const header = body.header ?? null;
	const footer = body.footer ?? null;
	if ((header !== null || footer !== null) && !buttons)
		throw invalid('header and footer can only be added to a message with buttons');
	const headerOk =
		header === null ||
		(typeof header === 'string' && header.trim() !== '') ||
		(typeof header === 'object' && !Array.isArray(header));
	if (!headerOk) throw invalid('header must be a text or an object');
	if (footer !== null && (typeof footer !== 'string' || footer.trim() === ''))
		throw invalid('footer must be a text');
	return { mode: 'text', text, buttons, header, footer };
}

function inferMediaType(url, mime) {
	if (mime) {
		const [family] = mime.split('/');
		if (['image', 'video', 'audio'].includes(family)) return family;
		return 'document';
	}
	const path = url.split(/[?#]/)[0];
	return Object.keys(EXTENSION_TYPES).find((type) => EXTENSION_TYPES[type].test(path));
}

function readMedia(store, number, media, mediaType) {
	if (typeof media !== 'string') throw invalid('media must be a string');
	const dataUri = DATA_URI.exec(media);
	if (!dataUri) {
		let url;
		try {
			url = new URL(media);
		} catch {
			url = null;
		}
		if (!url || !/^https?:$/.test(url.protocol))
			throw invalid('media must be an http(s) URL or a data:<mime>;base64,… URI');
	}
	if (given(mediaType) && !MEDIA_TYPES.includes(mediaType))
		throw invalid(`mediaType must be one of ${MEDIA_TYPES.join(', ')}`);
	const type = given(mediaType) ? mediaType : inferMediaType(media, dataUri?.[1]);
	if (!type) throw invalid('mediaType is required when the media URL has no telling extension');
	if (store.settings.plan !== 'paid')
		throw new ApiError(
			402,
			'Sending media requires an active paid subscription',
			'SUBSCRIPTION_REQUIRED_FOR_MEDIA',
		);
	if (dataUri && base64Rule(store, number) === 'urlOnly')
		throw invalid(
			"this number's provider takes media by URL only; send an http(s) URL instead of a base64 data URI",
		);
	return {
		media,
		mediaType: type,
		mediaIsBase64: Boolean(dataUri),
		mediaBytes: dataUri ? Buffer.from(dataUri[2], 'base64').length : null,
	};
}

function base64Rule(store, number) {
	if (number.provider === 'META') return 'accepted';
	return number.base64Media ?? store.variants.base64Media;
}

function mediaMode(store, number, body) {
	const media = readMedia(store, number, body.media, body.mediaType);
	const caption = body.caption ?? null;
	if (caption !== null && typeof caption !== 'string') throw invalid('caption must be a text');
	if (caption && media.mediaType === 'audio') throw invalid('audio cannot have a caption');
	return { mode: 'media', ...media, caption, text: caption };
}

function readMode(store, number, body) {
	const reference = templateReference(store, body);
	if (reference !== undefined) return templateMode(store, number, body, reference);
	if (given(body.text) && given(body.media))
		throw invalid('send text or media (with a caption), not both');
	if (given(body.text)) return textMode(body);
	if (given(body.media)) return mediaMode(store, number, body);
	throw invalid('one of templateId, text or media is required');
}

function readSchedule(body) {
	const { deliverAt } = body;
	if (!given(deliverAt)) return null;
	const at = typeof deliverAt === 'string' ? Date.parse(deliverAt) : NaN;
	if (!/^\d{4}-\d{2}-\d{2}T/.test(String(deliverAt)) || Number.isNaN(at))
		throw invalid('deliverAt must be an ISO-8601 date-time');
	if (at <= Date.now()) throw invalid('deliverAt must be in the future');
	return new Date(at).toISOString();
}

function readLabels(body) {
	if (body.labels === undefined) return [];
	const ok =
		Array.isArray(body.labels) &&
		body.labels.every((label) => typeof label === 'string' && label.trim() !== '');
	if (!ok) throw invalid('labels must be a list of label names');
	return body.labels;
}

/** Checks a send body for `number`; returns the parts of the message to record. */
function readSend(store, number, body) {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw invalid('the body must be a JSON object');
	const destination = readDestination(store, number, body);
	const content = readMode(store, number, body);
	const deliverAt = readSchedule(body);
	const labels = readLabels(body);
	if (store.variants.sendWhenDisconnected === 'reject' && number.state !== 'OPEN')
		throw new ApiError(
			409,
			'WhatsApp instance is not connected',
			'WHATSAPP_INSTANCE_NOT_CONNECTED',
		);
	return { destination, content, deliverAt, labels };
}

module.exports = { readSend };
