'use strict';
// Decodes binary output the way a user's next node would, and checks it really is a PNG.
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decodeBinary(binary) {
	return Buffer.from(binary.data, 'base64');
}

/** Width and height from the IHDR chunk, or null when the bytes are not a PNG. */
function pngSize(buffer) {
	if (
		buffer.length < 24 ||
		!buffer.subarray(0, 8).equals(PNG_SIGNATURE) ||
		buffer.toString('latin1', 12, 16) !== 'IHDR'
	) {
		return null;
	}
	return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

function dataUriToBuffer(uri) {
	return Buffer.from(String(uri).replace(/^data:[^,]*,/, ''), 'base64');
}

module.exports = { decodeBinary, pngSize, dataUriToBuffer };
