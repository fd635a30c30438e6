'use strict';
// Looks for secrets everywhere a value can hide: enumerable or not (an Error's `cause`), deeply.
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

module.exports = { findSecrets };
