import type { IDataObject } from 'n8n-workflow';

// The documented send body (POST /v1/messages/send): exactly one destination and exactly one mode.
// The types make a second destination or mode impossible to express, so the builder needs no check.

export type Destination =
	/** E.164 with the leading + (the reference's form; the playground's example lacks it). */
	| { kind: 'phone'; phoneNumber: string }
	/** A group JID, `…@g.us`. */
	| { kind: 'group'; groupId: string }
	/** A channel (newsletter) JID, `…@newsletter`. */
	| { kind: 'channel'; channelId: string };

export type MediaType = 'image' | 'video' | 'document' | 'audio';

/** A file in an n8n binary field, checked but not read yet. */
export interface MediaFile {
	field: string;
	mimeType: string;
}

export interface MessageButton {
	id: string;
	text: string;
}

export type MessageContent =
	| {
			kind: 'text';
			text: string;
			/** Up to 3; the docs name them without showing their schema. */
			buttons?: MessageButton[];
			/** Only with buttons, as the docs say. */
			header?: string;
			footer?: string;
	  }
	/** `templateId` takes the template's ID or its name (playground). */
	| { kind: 'template'; templateId: string; variables?: Record<string, string> }
	/**
	 * `media`: an http(s) URL or a `data:<mime>;base64,…` URI. No caption for audio (a voice note).
	 * With `file`, `media` is empty until the file is read (messaging/input.ts withFileData).
	 */
	| { kind: 'media'; mediaType: MediaType; media: string; file?: MediaFile; caption?: string };

export interface OutgoingMessage {
	destination: Destination;
	content: MessageContent;
	/** ISO 8601, in the future: the message is scheduled (and can be cancelled until then). */
	deliverAt?: string;
	labels?: string[];
}

function destinationFields(destination: Destination): IDataObject {
	switch (destination.kind) {
		case 'phone':
			return { destinationNumber: destination.phoneNumber };
		case 'group':
			return { groupId: destination.groupId };
		case 'channel':
			return { newsletterId: destination.channelId };
	}
}

function contentFields(content: MessageContent): IDataObject {
	switch (content.kind) {
		case 'text': {
			const withButtons = (content.buttons?.length ?? 0) > 0;
			return {
				text: content.text,
				...(withButtons ? { buttons: content.buttons } : {}),
				...(withButtons && content.header ? { header: content.header } : {}),
				...(withButtons && content.footer ? { footer: content.footer } : {}),
			};
		}
		case 'template':
			// An object, as the reference types it (the playground's JSON string is a doc artefact).
			return { templateId: content.templateId, variables: content.variables ?? {} };
		case 'media':
			return {
				media: content.media,
				mediaType: content.mediaType,
				...(content.caption && content.mediaType !== 'audio' ? { caption: content.caption } : {}),
			};
	}
}

/** The JSON body of POST /v1/messages/send for one checked message. */
export function buildSendBody(message: OutgoingMessage): IDataObject {
	return {
		...destinationFields(message.destination),
		...contentFields(message.content),
		...(message.deliverAt ? { deliverAt: message.deliverAt } : {}),
		...(message.labels && message.labels.length > 0 ? { labels: message.labels } : {}),
	};
}

/** Where a message goes, as the output names it. */
export function destinationOutput(destination: Destination): IDataObject {
	switch (destination.kind) {
		case 'phone':
			return { destinationType: 'phone', destination: destination.phoneNumber };
		case 'group':
			return { destinationType: 'group', destination: destination.groupId };
		case 'channel':
			return { destinationType: 'channel', destination: destination.channelId };
	}
}
