'use strict';
// Looks for secrets everywhere a value can hide: enumerable or not (an Error's `cause`), deeply,
// and in every disguise a server might echo them in.
const util = require('node:util');

function deepText(value) {
	if (typeof value === 'string') return value;
	return util.inspect(value, {
		depth: Infinity,
		showHidden: true,
		maxArrayLength: Infinity,
		maxStringLength: Infinity,
		breakLength: Infinity,
	});
}

/** The secrets found in any of `values`, as [secret, where] pairs. */
function findSecrets(values, secrets) {
	const found = [];
	for (const [where, value] of Object.entries(values)) {
		const text = deepText(value);
		for (const secret of secrets)
			if (text.includes(secret)) found.push([secret.slice(0, 6), where]);
	}
	return found;
}

const base64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const base64url = (text) => Buffer.from(text, 'utf8').toString('base64url');
const percentEncoded = (text) =>
	[...text].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`).join('');

/** The ways a server may echo a secret: [name, echo of `secret`]. */
function disguises(secret) {
	return [
		['as it is', secret],
		['upper case', secret.toUpperCase()],
		[
			'alternating case',
			[...secret].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
		],
		['every character percent-encoded', percentEncoded(secret)],
		['underscores percent-encoded', encodeURIComponent(secret).replace(/_/g, '%5F')],
		['split by spaces', [...secret].join(' ')],
		['split by zero-width spaces', [...secret].join('\u200B')],
		['split by a line break', `${secret.slice(0, 7)}\n${secret.slice(7)}`],
		['base64', base64(secret)],
		['base64 inside a longer value (Basic auth)', base64(`tenant:${secret}`)],
		['base64url, shifted by two bytes', base64url(`xy${secret}?`)],
		['hex', Buffer.from(secret, 'utf8').toString('hex')],
	];
}

/** What a reader could make of a text: gaps removed, decoded, lower case, base64 runs decoded. */
function readings(text) {
	const joined = text.replace(/[\s\u00AD\u200B-\u200F\u2060\uFEFF]+/g, '');
	let decoded = joined;
	try {
		decoded = decodeURIComponent(joined);
	} catch {
		decoded = joined.replace(/%([0-9a-f]{2})/gi, (_, hex) =>
			String.fromCharCode(parseInt(hex, 16)),
		);
	}
	const fromBase64 = (joined.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []).flatMap((run) =>
		[0, 1, 2, 3].map((skip) => Buffer.from(run.slice(skip), 'base64').toString('latin1')),
	);
	const fromHex = (joined.match(/(?:[0-9a-f]{2}){6,}/gi) ?? []).map((run) =>
		Buffer.from(run, 'hex').toString('latin1'),
	);
	return [text, joined, decoded, ...fromBase64, ...fromHex].map((reading) => reading.toLowerCase());
}

/**
 * The secrets found in any of `values` in any disguise (see disguises()), as [secret, where,
 * disguise] pairs.
 */
function findDisguisedSecrets(values, secrets) {
	const found = [];
	for (const [where, value] of Object.entries(values)) {
		const text = deepText(value);
		const read = readings(text);
		for (const secret of secrets) {
			for (const [name, echo] of disguises(secret))
				if (text.includes(echo)) found.push([secret.slice(0, 6), where, name]);
			if (read.some((reading) => reading.includes(secret.toLowerCase())))
				found.push([secret.slice(0, 6), where, 'decoded']);
		}
	}
	return found;
}

module.exports = { findSecrets, findDisguisedSecrets, disguises };
