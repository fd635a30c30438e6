import type { IDataObject } from 'n8n-workflow';

import type { ParameterReader } from '../../input/parameters';
import { toE164PhoneNumber } from '../../input/phoneNumber';
import { checkPhoneNumber, holdsKey, quote } from '../../input/validation';
import { MAX_FILE_BYTES } from '../../messaging/input';

// A template's content (POST and PUT /v1/templates, ../shared/messaging-api.md §3) read from the
// node's fields and checked against the documented structure rules before anything is sent: above
// all, every variable needs an example, which the service otherwise refuses with 400
// TEMPLATE_EXAMPLES_REQUIRED after the call.

export interface BinaryFile {
	data: Buffer;
	mimeType?: string;
}

export type BinarySource = (field: string) => Promise<BinaryFile | undefined>;

type HeaderType = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';

const MAX_BODY = 1024;
const MAX_SHORT = 60;
const BUTTON_LIMITS: Record<string, number> = {
	QUICK_REPLY: 10,
	URL: 2,
	PHONE_NUMBER: 1,
	COPY_CODE: 1,
};
const BUTTON_NAMES: Record<string, string> = {
	QUICK_REPLY: 'Quick Reply',
	URL: 'URL',
	PHONE_NUMBER: 'Phone Number',
	COPY_CODE: 'Copy Code',
};
const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;
const EDGE_VARIABLE = /^\s*\{\{\s*\w+\s*\}\}|\{\{\s*\w+\s*\}\}\s*$/;
const MEDIA_KIND: Record<Exclude<HeaderType, 'TEXT'>, 'image' | 'video' | 'document'> = {
	IMAGE: 'image',
	VIDEO: 'video',
	DOCUMENT: 'document',
};
// What WhatsApp takes in a template header (§3): JPG/PNG images, MP4 videos, PDF documents.
const MEDIA_TYPES: Record<Exclude<HeaderType, 'TEXT'>, string[]> = {
	IMAGE: ['image/jpeg', 'image/png'],
	VIDEO: ['video/mp4'],
	DOCUMENT: ['application/pdf'],
};

export interface TemplateContent {
	/** The documented `body` object: { header?, body, footer?, buttons? }. */
	body: IDataObject;
	examples: IDataObject;
	variables: string[];
}

type Problems = string[];

const textOf = (value: unknown) =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

export function variablesIn(text: string): string[] {
	return [...text.matchAll(VARIABLE)].map((match) => match[1]);
}

function noKey(value: string, field: string, problems: Problems): boolean {
	if (!holdsKey(value)) return true;
	problems.push(`${field} holds what looks like an API key; the value is not repeated here.`);
	return false;
}

function bodyText(read: ParameterReader, problems: Problems): string {
	const body = textOf(read('templateBody', ''));
	if (body === '') {
		problems.push(
			'Body is empty. Enter the message, with variables in double braces, e.g. Olá {{nome}}, seu pedido {{pedido}} foi confirmado.',
		);
	} else if (body.length > MAX_BODY) {
		problems.push(`Body is ${body.length} characters long; WhatsApp takes up to ${MAX_BODY}.`);
	} else if (EDGE_VARIABLE.test(body)) {
		problems.push(
			'Body starts or ends with a variable, which WhatsApp refuses. Put some words before the first and after the last variable, e.g. Olá {{nome}}, tudo bem?',
		);
	}
	return noKey(body, 'Body', problems) ? body : '';
}

function httpUrl(value: string, field: string, problems: Problems): string | undefined {
	try {
		const parsed = new URL(value.replace(/\{\{\s*\w+\s*\}\}$/, 'x'));
		if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return value;
	} catch {
		// reported below
	}
	problems.push(
		`${field} ${quote(value)} is not a public http(s) address, e.g. https://example.com/file.pdf.`,
	);
	return undefined;
}

async function mediaHeader(
	type: Exclude<HeaderType, 'TEXT'>,
	extras: IDataObject,
	binary: BinarySource,
	problems: Problems,
): Promise<IDataObject | undefined> {
	const url = textOf(extras.headerMediaUrl);
	const field = textOf(extras.headerBinaryField);
	if ((url === '') === (field === '')) {
		problems.push(
			`A header of type ${type.toLowerCase()} needs its file: add either Header Media URL (a public address) or Header Binary Field (the input item’s binary field, e.g. data), not both.`,
		);
		return undefined;
	}
	if (url !== '') {
		if (!noKey(url, 'Header Media URL', problems)) return undefined;
		const checked = httpUrl(url, 'Header Media URL', problems);
		return checked === undefined ? undefined : { type, url: checked };
	}
	const file = await binary(field);
	if (!file) {
		problems.push(
			`The input item has no binary field ${quote(field)} (Header Binary Field). Enter the name the previous node gives the file, e.g. data.`,
		);
		return undefined;
	}
	const mimeType = (file.mimeType ?? '').trim().toLowerCase();
	if (!MEDIA_TYPES[type].includes(mimeType)) {
		problems.push(
			`The file in ${quote(field)} is ${mimeType || 'of no known type'}; a ${type.toLowerCase()} header takes ${MEDIA_TYPES[type].join(' or ')}.`,
		);
		return undefined;
	}
	const limit = MAX_FILE_BYTES[MEDIA_KIND[type]];
	if (file.data.length > limit) {
		problems.push(
			`The file in ${quote(field)} is larger than ${Math.round(limit / 1024 / 1024)} MB, the most a file sent from n8n may be. Put it at a public address and use Header Media URL.`,
		);
		return undefined;
	}
	// The service re-hosts a data URI (§3); the MCP server takes URLs only, the API both.
	return { type, base64: `data:${mimeType};base64,${file.data.toString('base64')}` };
}

async function headerOf(
	extras: IDataObject,
	binary: BinarySource,
	problems: Problems,
): Promise<IDataObject | undefined> {
	const type = textOf(extras.headerType).toUpperCase() as HeaderType | '';
	if (type === '') {
		if (
			textOf(extras.headerText) ||
			textOf(extras.headerMediaUrl) ||
			textOf(extras.headerBinaryField)
		)
			problems.push(
				'A header field was added without Header Type. Add Header Type: Text, Image, Video or Document.',
			);
		return undefined;
	}
	if (type !== 'TEXT') return await mediaHeader(type, extras, binary, problems);
	const text = textOf(extras.headerText);
	if (text === '' || text.length > MAX_SHORT || /[\r\n]/.test(text)) {
		problems.push(
			`Header Text must be 1 to ${MAX_SHORT} characters on one line (it is ${text.length}).`,
		);
	} else if (variablesIn(text).length > 1) {
		problems.push('Header Text may hold at most one variable.');
	}
	return noKey(text, 'Header Text', problems) ? { type, text } : undefined;
}

function footerOf(extras: IDataObject, problems: Problems): string | undefined {
	const footer = textOf(extras.footer);
	if (footer === '') return undefined;
	if (footer.length > MAX_SHORT)
		problems.push(`Footer is ${footer.length} characters long; keep it to ${MAX_SHORT}.`);
	if (variablesIn(footer).length > 0) problems.push('Footer cannot hold variables.');
	return noKey(footer, 'Footer', problems) ? footer : undefined;
}

function buttonOf(
	button: IDataObject,
	position: number,
	problems: Problems,
): IDataObject | undefined {
	const type = textOf(button.type) || 'QUICK_REPLY';
	const name = `Button ${position} (${BUTTON_NAMES[type] ?? type})`;
	const text = textOf(button.text);
	if (type !== 'COPY_CODE' && text === '') {
		problems.push(`${name} has no Text. Enter what the button says, e.g. Ver pedido.`);
		return undefined;
	}
	if (type === 'QUICK_REPLY') return { type, text };
	if (type === 'URL') {
		const url = textOf(button.url);
		if (/\{\{/.test(url.replace(/\{\{\s*\w+\s*\}\}$/, ''))) {
			problems.push(
				`${name}: a URL may hold one variable, only at its end, e.g. https://example.com/pedido/{{pedido}}.`,
			);
			return undefined;
		}
		const checked = httpUrl(url, `${name} URL`, problems);
		return checked === undefined ? undefined : { type, text, url: checked };
	}
	if (type === 'PHONE_NUMBER') {
		const typed = textOf(button.phoneNumber);
		const cleaned = checkPhoneNumber(typed, `${name} Phone Number`);
		const e164 =
			cleaned.problem === undefined
				? toE164PhoneNumber(cleaned.value, typed, `${name} Phone Number`, 'none')
				: cleaned;
		if (e164.problem !== undefined) {
			problems.push(`${e164.problem} Type it with + and the country code.`);
			return undefined;
		}
		return { type, text, phone_number: e164.value };
	}
	const code = textOf(button.code);
	if (!/^[A-Za-z0-9]{1,15}$/.test(code)) {
		problems.push(
			`${name}: Example Code ${quote(code)} must be 1 to 15 letters or digits, e.g. CUPOM10.`,
		);
		return undefined;
	}
	return { type, example: [code] };
}

function buttonsOf(extras: IDataObject, problems: Problems): IDataObject[] | undefined {
	const list = ((extras.buttons as IDataObject | undefined)?.button ?? []) as IDataObject[];
	if (list.length === 0) return undefined;
	if (list.length > 10)
		problems.push(`There are ${list.length} buttons; a template takes up to 10.`);
	const counts: Record<string, number> = {};
	for (const button of list) {
		const type = textOf(button.type) || 'QUICK_REPLY';
		counts[type] = (counts[type] ?? 0) + 1;
	}
	for (const [type, count] of Object.entries(counts)) {
		if (count > BUTTON_LIMITS[type] && type !== 'QUICK_REPLY')
			problems.push(
				`There are ${count} ${BUTTON_NAMES[type]} buttons; a template takes up to ${BUTTON_LIMITS[type]}.`,
			);
	}
	return list
		.map((button, index) => buttonOf(button, index + 1, problems))
		.filter((button): button is IDataObject => button !== undefined);
}

function examplesOf(read: ParameterReader, variables: string[], problems: Problems): IDataObject {
	const list = ((read('templateExamples', {}) as IDataObject).example ?? []) as IDataObject[];
	const examples: IDataObject = {};
	for (const entry of list) {
		const name = textOf(entry.name).replace(/^\{\{\s*|\s*\}\}$/g, '');
		if (name === '') continue;
		if (!variables.includes(name)) {
			problems.push(
				`Examples names ${quote(name)}, which the template does not use${variables.length ? ` (its variables: ${variables.join(', ')})` : ''}. Remove it or fix its name.`,
			);
			continue;
		}
		const value = textOf(entry.value);
		if (value !== '' && noKey(value, `The example of ${name}`, problems)) examples[name] = value;
	}
	const missing = variables.filter((name) => examples[name] === undefined);
	if (missing.length > 0) {
		problems.push(
			`Every variable needs an example, or Pilot Status refuses the template: under Examples, add ${missing.join(', ')} with a sample value each (e.g. nome → Ana).`,
		);
	}
	return examples;
}

/** The template's content from the node's fields, with every problem of the item named at once. */
export async function readTemplateContent(
	read: ParameterReader,
	binary: BinarySource,
): Promise<{ content: TemplateContent; problems: string[] }> {
	const problems: Problems = [];
	const extras = (read('templateExtras', {}) ?? {}) as IDataObject;
	const text = bodyText(read, problems);
	const header = await headerOf(extras, binary, problems);
	const footer = footerOf(extras, problems);
	const buttons = buttonsOf(extras, problems);
	const variables = [
		...new Set([
			...variablesIn(textOf(header?.text)),
			...variablesIn(text),
			...(buttons ?? []).flatMap((button) => variablesIn(textOf(button.url))),
		]),
	];
	const examples = examplesOf(read, variables, problems);
	const body: IDataObject = {
		...(header ? { header } : {}),
		body: text,
		...(footer ? { footer } : {}),
		...(buttons?.length ? { buttons } : {}),
	};
	return { content: { body, examples, variables }, problems };
}
