// QR codes arrive as `data:image/png;base64,...` (docs) or, defensively, as bare base64.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DATA_URI = /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export type DecodedQrCode =
	| { png: Buffer; problem?: undefined }
	| { png?: undefined; problem: string };

export function decodeQrCode(value: unknown): DecodedQrCode {
	if (typeof value !== 'string' || value.trim() === '') {
		return { problem: 'the response has no QR code' };
	}
	const match = DATA_URI.exec(value.trim());
	if (match && match[1] && match[1].toLowerCase() !== 'image/png') {
		return { problem: `the QR code is ${match[1]}, not a PNG image` };
	}
	const base64 = (match ? match[2] : value).replace(/\s+/g, '');
	if (!BASE64.test(base64)) return { problem: 'the QR code is not valid base64' };
	const png = Buffer.from(
		base64,
		base64.includes('-') || base64.includes('_') ? 'base64url' : 'base64',
	);
	if (
		png.length < 67 ||
		!png.subarray(0, 8).equals(PNG_SIGNATURE) ||
		png.toString('latin1', 12, 16) !== 'IHDR'
	) {
		return { problem: 'the QR code is not a readable PNG image' };
	}
	if (!png.includes('IEND', png.length - 12, 'latin1')) {
		return { problem: 'the QR code PNG is cut off' };
	}
	return { png };
}

/** `qr-code-5511999999999.png`; anything unsafe in a file name becomes `-`. */
export function qrCodeFileName(label: string | undefined): string {
	const safe = (label ?? '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
	return safe ? `qr-code-${safe}.png` : 'qr-code.png';
}
