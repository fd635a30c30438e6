'use strict';
// A stand-in for the hosted /connect/<token> page a customer opens from a remote pairing link:
// it shows the QR code and lets a demo "scan" it, so the whole flow can be tried in a browser.
const { ApiError } = require('./store');
const { connectNumber } = require('./api');

const escape = (text) => String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(title, body) {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;text-align:center;color:#16302a}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.5rem;border:0;background:#0f7b5f;color:#fff;cursor:pointer}
code{font-size:1.4rem;letter-spacing:.1em}</style></head><body>${body}</body></html>`;
}

async function renderConnectPage(sandbox, req, res, url) {
	const [, , token, action] = url.pathname.split('/');
	const reply = (status, html) => {
		res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
		res.end(html);
	};
	try {
		const record = sandbox.store.numberForToken(decodeURIComponent(token ?? ''));
		const heading = `<h1>Connect ${escape(record.name)}</h1><p>WhatsApp number +${escape(record.number)}</p>`;
		if (req.method === 'POST' && action === 'scan') {
			await connectNumber(sandbox.store, record);
			return reply(
				200,
				page('Connected', `${heading}<p><strong>Connected.</strong> You can close this page.</p>`),
			);
		}
		if (req.method === 'POST') {
			const { qrcodeBase64, pairingCode } = await sandbox.store.startPairing(record);
			return reply(
				200,
				page(
					'Scan the QR code',
					`${heading}
<p>Open WhatsApp → Linked devices → Link a device, and scan:</p>
<img alt="QR code" width="264" height="264" src="${qrcodeBase64}">
<p>or enter the pairing code <code>${escape(pairingCode)}</code></p>
<form method="post" action="/connect/${escape(token)}/scan"><button>Simulate the customer's scan</button></form>`,
				),
			);
		}
		if (record.state === 'OPEN')
			return reply(200, page('Connected', `${heading}<p><strong>Already connected.</strong></p>`));
		return reply(
			200,
			page(
				'Connect WhatsApp',
				`${heading}
<form method="post" action="/connect/${escape(token)}"><button>Show my QR code</button></form>`,
			),
		);
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		return reply(
			404,
			page(
				'Link expired',
				'<h1>This link is invalid or has expired</h1><p>Ask for a new pairing link.</p>',
			),
		);
	}
}

module.exports = { renderConnectPage };
