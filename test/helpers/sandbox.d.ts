import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export const TENANT_KEY: string;
export const NUMBER_KEY: string;
export const SEED: {
	tenantKey: { id: string; value: string };
	numbers: Array<{
		id: string;
		name: string;
		number: string;
		state: string;
		key: { id: string; value: string; revealable: boolean };
	}>;
};

export interface LoggedRequest {
	seq: number;
	method: string;
	path: string;
	query: Record<string, string>;
	authHeaders: string[];
	emptyAuthHeader: boolean;
	keyId: string | null;
	scope: 'tenant' | 'number' | null;
	body: IDataObject | null;
	status: number | null;
	fault: string | null;
	/** The client closed the connection before the answer was sent (timeout, cancel). */
	clientClosedEarly?: boolean;
}

export interface Fault {
	type: 'status' | 'slow' | 'malformedJson' | 'html' | 'empty' | 'reset' | 'badQr';
	status?: number;
	body?: unknown;
	retryAfter?: number | string;
	delayMs?: number;
	count?: number;
	/** That many matching requests go through untouched first. */
	skip?: number;
	/** The request does its work, then its answer goes wrong. */
	afterHandling?: boolean;
	method?: string;
	path?: string;
	value?: string;
	/** That fraction of matching requests, evenly spread (0.5: every second one); without count it lasts until reset. */
	share?: number;
}

export interface Variants {
	statusShape?: 'idAndState' | 'stateAndFlag';
	closedState?: 'CLOSE' | 'CLOSED';
	createStateField?: 'status' | 'state';
	remotePairingShape?: 'guide' | 'playground' | 'embed';
	pairingTokenAfterConnect?: 'kept' | 'cleared';
	// Messaging ([C] in shared/messaging-api.md; the first value is the default).
	/** numberKey: a tenant key gets 403 TENANT_SCOPE_NOT_ALLOWED; tenantWithHeader: a tenant key may name the number in x-whatsapp-number-id. */
	messageKeyScope?: 'numberKey' | 'tenantWithHeader';
	/** plusOptional: +E.164, E.164 digits or a BSUID; plusRequired: +E.164 only. */
	destinationFormat?: 'plusOptional' | 'plusRequired';
	templateReference?: 'either' | 'templateId' | 'templateName';
	variablesType?: 'either' | 'object' | 'string';
	/** base64 data URIs in `media` on non-Meta numbers (Meta numbers always accept them). */
	base64Media?: 'accepted' | 'urlOnly';
	metaGroups?: 'notSupported' | 'obaEligible';
	/** A send from a number that is not OPEN: QUEUED until it is, or 409 WHATSAPP_INSTANCE_NOT_CONNECTED. */
	sendWhenDisconnected?: 'queue' | 'reject';
	/** GET /v1/messages/{id}: md has deliveredAt and externalMessageId, rendered has neither. */
	messageStatusShape?: 'md' | 'rendered';
	/** lists: {cancelled: ids, failed: [{id, reason}]}; counts: {cancelled: n, notFound: n}. */
	cancelShape?: 'lists' | 'counts';
	templateListShape?: 'array' | 'wrapped';
	/** quotedMessageId of a scripted reply: our message's provider id (messageId) or its internal id. */
	quotedMessageId?: 'provider' | 'internal';
}

export interface Settings {
	autoConnectAfterPolls?: number;
	connectAfterSeconds?: number | [number, number] | null;
	/** ms between lifecycle steps (default 100); null stops the clock. */
	messageStepMs?: number | null;
	/** false: the lifecycle stops at DELIVERED, no message.read (default true). */
	readReceipts?: boolean;
	/** free: media sends answer 402 SUBSCRIPTION_REQUIRED_FOR_MEDIA (default paid). */
	plan?: 'paid' | 'free';
	/** Own outgoing messages also arrive as message.received with fromMe: true (default false). */
	echoOwnMessages?: boolean;
	/** Each message event is posted this many times with the same data.id (default 1). */
	messageEventRepeat?: number;
	/** Destinations not on WhatsApp: their sends fail with WHATSAPP_NOT_EXIST (default ['5511900000000']). */
	notOnWhatsApp?: string[];
}

export type MessageStatus = 'QUEUED' | 'SENT' | 'DELIVERED' | 'READ' | 'FAILED' | 'CANCELED';

/** An accepted send as the sandbox recorded it. */
export interface SentMessage {
	id: string;
	correlationId: string;
	numberId: string;
	status: MessageStatus;
	destinationKind: 'phone' | 'bsuid' | 'group' | 'newsletter';
	/** +E.164, BSUID, group or channel JID. */
	to: string;
	mode: 'template' | 'text' | 'media';
	template: string | null;
	templateId: string | null;
	variables: IDataObject | null;
	/** Free text, the rendered template, or the caption. */
	text: string | null;
	buttons: Array<{ id: string | null; text: string }> | null;
	header: unknown;
	footer: string | null;
	media: string | null;
	mediaType: string | null;
	mediaIsBase64: boolean | null;
	/** Decoded size of a base64 media. */
	mediaBytes: number | null;
	caption: string | null;
	deliverAt: string | null;
	labels: string[];
	createdAt: string;
	sentAt: string | null;
	deliveredAt: string | null;
	readAt: string | null;
	canceledAt: string | null;
	/** The provider id (message events' messageId), set once SENT. */
	externalMessageId: string | null;
	errorMessage: string | null;
	origin: string;
	sourceNumber: string;
	keyScope: 'tenant' | 'number';
}

/** A contact's message for inbound() (event defaults to message.reply with quotedMessageId, else message.received). */
export interface InboundMessage {
	from: string;
	text?: string;
	type?: string;
	event?: 'message.received' | 'message.reply' | 'message.group' | 'message.newsletter';
	participantName?: string;
	quotedMessageId?: string;
	messageId?: string;
	/** Served by the sandbox at data.mediaLink; on Meta numbers also data.mediaId + phoneNumberId. */
	media?: {
		type?: 'image' | 'video' | 'audio' | 'document' | 'sticker';
		mimeType?: string;
		fileName?: string;
		caption?: string;
		base64?: string;
	};
	/** Merged into data as is (undocumented fields). */
	extra?: IDataObject;
}

/** One scripted reply: answers the next message that reaches the customer. */
export interface CustomerReply extends Omit<InboundMessage, 'from' | 'quotedMessageId'> {
	afterMs?: number;
	/** Quote our message (message.reply with quotedMessageId; default true). */
	quote?: boolean;
}

export interface NumberConfig {
	provider?: 'PILOT_STATUS' | 'META';
	/** null: the base64Media variant decides. */
	base64Media?: 'accepted' | 'urlOnly' | null;
	/** Meta phone number id (default '1' + the number). */
	metaPhoneId?: string;
	metaGroupsEligible?: boolean;
}

export interface SandboxState {
	numbers: Array<{ id: string; name: string; number: string; state: string; statusPolls: number }>;
	keys: Array<{
		id: string;
		scope: string;
		numberId: string | null;
		last4: string;
		valid: boolean;
	}>;
	tokens: Array<{ token: string; numberId: string }>;
	webhooks: Array<
		IDataObject & {
			id: string;
			url: string;
			events: string[];
			whatsappNumberIds: string[];
			deliveries: number;
		}
	>;
}

export interface SandboxAccount {
	plan: 'FREE' | 'ON_DEMAND';
	hasSavedCard: boolean;
	unitPriceBRL: number;
	paidExtraNumbers: number;
	branding: IDataObject;
	purchases: Array<{ quantity: number; confirm: boolean; charged: boolean }>;
	removals: Array<{ quantity: number }>;
	checkouts: IDataObject[];
}

export interface SandboxHandle {
	readonly url: string;
	requests(): Promise<LoggedRequest[]>;
	state(): Promise<SandboxState>;
	fault(fault: Fault): Promise<unknown>;
	variants(variants: Variants): Promise<unknown>;
	settings(settings: Settings): Promise<unknown>;
	scan(numberId: string): Promise<IDataObject>;
	messages(): Promise<SentMessage[]>;
	messaging(): Promise<{
		messages: SentMessage[];
		inbound: Array<{ event: string; data: IDataObject; createdAt: string }>;
		customers: Record<string, CustomerReply[]>;
		errors: string[];
	}>;
	messageStatus(
		messageId: string,
		status: MessageStatus,
		errorMessage?: string,
	): Promise<{ message: SentMessage; deliveries: IDataObject[] }>;
	configureNumber(numberId: string, config: NumberConfig): Promise<IDataObject>;
	inbound(
		numberId: string,
		message: InboundMessage,
	): Promise<{
		event: { event: string; data: IDataObject; createdAt: string };
		deliveries: IDataObject[];
	}>;
	customer(phone: string, script: CustomerReply | CustomerReply[]): Promise<IDataObject>;
	privacy(
		numberId: string,
		config: {
			piiMode?: 'STORE_INDEFINITE' | 'STORE_X_DAYS' | 'RELAY_ONLY';
			retentionDays?: number;
		},
	): Promise<IDataObject>;
	groups(numberId: string): Promise<
		Array<{
			id: string;
			subject: string;
			participants: Array<{ id: string; phone: string; admin: string | null }>;
			pinned: Array<{ messageId: string; duration: number }>;
		}>
	>;
	account(): Promise<SandboxAccount>;
	configureAccount(
		config: Partial<
			Pick<SandboxAccount, 'plan' | 'hasSavedCard' | 'unitPriceBRL' | 'paidExtraNumbers'>
		>,
	): Promise<SandboxAccount>;
	addCalls(numberId: string, count: number): Promise<{ calls: number }>;
	calls(numberId: string): Promise<{
		calls: IDataObject[];
		settings: IDataObject;
		/** phone digits → times a permission request went out */
		requests: Record<string, number[]>;
	}>;
	newNumber(name?: string, number?: string): Promise<string>;
	credential(overrides?: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
	control(
		method: string,
		path: string,
		body?: unknown,
	): Promise<{ status: number; body: IDataObject }>;
	api(
		method: string,
		path: string,
		options?: {
			key?: string | null;
			keyHeader?: string;
			body?: unknown;
			headers?: Record<string, string>;
		},
	): Promise<{ status: number; body: IDataObject; headers: Record<string, string> }>;
}

export function useSandbox(): SandboxHandle;
