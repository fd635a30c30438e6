'use strict';
// Real QR images, so tests and demos handle the same kind of PNG the service sends.
const crypto = require('node:crypto');
const QRCode = require('qrcode');

/** WhatsApp pairing QR codes carry ~200 characters of comma-separated base64 refs and keys. */
function pairingPayload() {
	const part = (bytes) => crypto.randomBytes(bytes).toString('base64');
	return `2@${part(60)},${part(32)},${part(32)},${part(32)},1`;
}

async function qrCodeDataUri(text = pairingPayload()) {
	return QRCode.toDataURL(text, {
		errorCorrectionLevel: 'M',
		margin: 2,
		width: 264,
		type: 'image/png',
	});
}

function pairingCode() {
	const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const pick = (n) =>
		Array.from(crypto.randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
	return `${pick(4)}-${pick(4)}`;
}

module.exports = { qrCodeDataUri, pairingCode, pairingPayload };
