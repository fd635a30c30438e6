'use strict';
// What a campaign run does over time, seen from outside the node: a proxy in front of the sandbox
// that holds each send a little and logs when it arrives and when its answer leaves, and n8n's
// own binary data service (filesystem mode, as n8n 2.x runs by default) with its file reads
// logged. Both write to one timeline, so a test can tell which file was read while which sends
// were in flight. Nothing is replaced: the service reads real files, the sandbox answers.
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
// n8n-core's own copy of the container: the one its binary helpers ask for the service.
const { Container } = require(require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }));
const { BinaryDataService } = require('n8n-core');

const { readBody } = require('./badServers');

const timeline = [];

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The send's destination, as the log names it (its body is parsed only for that). */
function destinationOf(body) {
	try {
		const parsed = JSON.parse(body.toString('utf8'));
		return parsed.destinationNumber ?? parsed.groupId ?? parsed.newsletterId ?? null;
	} catch {
		return null;
	}
}

/**
 * Forwards everything to `upstream`; each POST /v1/messages/send is held `holdMs` first. `answers`
 * plays a bad day for chosen destinations: `{ status, body }` refuses the send (it never reaches
 * the sandbox), 'lost' lets the sandbox take it and answers 502 instead of the sandbox's answer.
 */
async function startSendLog({ upstream, holdMs = 100, answers = {} }) {
	let inFlight = 0;
	let maxInFlight = 0;
	const server = http.createServer(async (req, res) => {
		const body = await readBody(req);
		const isSend = req.method === 'POST' && req.url.startsWith('/v1/messages/send');
		const destination = isSend ? destinationOf(body) : null;
		if (isSend) {
			inFlight += 1;
			maxInFlight = Math.max(maxInFlight, inFlight);
			timeline.push({ event: 'sendArrived', destination, bytes: body.length });
			await wait(holdMs);
		}
		const scripted = destination === null ? undefined : answers[destination];
		if (scripted !== undefined && scripted !== 'lost') {
			inFlight -= 1;
			timeline.push({ event: 'sendAnswered', destination });
			const refusal = Buffer.from(JSON.stringify(scripted.body ?? {}));
			res.writeHead(scripted.status, {
				'content-type': 'application/json',
				'content-length': refusal.length,
			});
			res.end(refusal);
			return;
		}
		const answer = await fetch(`${upstream}${req.url}`, {
			method: req.method,
			headers: Object.fromEntries(
				Object.entries(req.headers).filter(
					([name]) => !['host', 'connection', 'content-length'].includes(name),
				),
			),
			body: ['GET', 'HEAD'].includes(req.method) ? undefined : body,
			redirect: 'manual',
		});
		const full = Buffer.from(await answer.arrayBuffer());
		if (isSend) {
			inFlight -= 1;
			timeline.push({ event: 'sendAnswered', destination });
		}
		if (scripted === 'lost') {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body>502 Bad Gateway</body></html>');
			return;
		}
		res.writeHead(answer.status, {
			'content-type': answer.headers.get('content-type') ?? 'application/json',
			'content-length': full.length,
		});
		res.end(full);
	});
	const port = await new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
	);
	return {
		url: `http://127.0.0.1:${port}`,
		maxInFlight: () => maxInFlight,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

function binaryService() {
	return Container.get(BinaryDataService);
}

/**
 * Switches this test file's n8n to filesystem binary data (files on disk, items hold only an id),
 * and logs every file read through n8n's helpers in the timeline.
 */
async function useFilesystemBinaryData() {
	const service = binaryService();
	service.config.mode = 'filesystem';
	service.config.localStoragePath = fs.mkdtempSync(path.join(os.tmpdir(), 'pilot-status-bin-'));
	await service.init();
	const read = service.getAsBuffer.bind(service);
	service.getAsBuffer = async (binaryData) => {
		const data = await read(binaryData);
		timeline.push({ event: 'fileRead', id: binaryData.id ?? null, bytes: data.length });
		return data;
	};
}

/** A file stored as n8n stores a node's binary output; the item's binary field to put it in. */
async function storeFile(data, { mimeType, fileName }) {
	return await binaryService().store(
		{ type: 'execution', workflowId: 'campaign', executionId: '1' },
		data,
		{ mimeType, fileName, data: '' },
	);
}

function clearTimeline() {
	timeline.length = 0;
}

module.exports = { clearTimeline, startSendLog, storeFile, timeline, useFilesystemBinaryData };
