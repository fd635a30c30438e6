import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { sendingNumberList } from './sendingNumberList';

/** The service's largest page of conversations (pageSize 1–100). */
const PAGE_SIZE = 100;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * A conversation as the list shows it: the contact's name (or the group's), and what tells two
 * contacts of the same name apart (the phone, the username, or that it is a group or a channel).
 */
function conversationOption(conversation: IDataObject): { name: string; value: string } {
	const id = text(conversation.id ?? conversation.conversationId);
	const type = text(conversation.type).toUpperCase();
	const contact =
		text(conversation.from) || text(conversation.username) || text(conversation.userId);
	const label = text(conversation.fromName) || contact || id;
	const detail = type === 'GROUP' ? 'group' : type === 'NEWSLETTER' ? 'channel' : contact;
	return { name: detail && detail !== label ? `${label} (${detail})` : label, value: id };
}

/**
 * The Conversation field's list: the sending number's conversations (GET /v1/conversations),
 * newest first as the service gives them, a page at a time. The service has no search parameter,
 * so the typed text filters each page by name, phone or username.
 */
export async function searchConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) > 1 ? Math.floor(Number(paginationToken)) : 1;
	const conversations = await sendingNumberList(
		this,
		`/v1/conversations?page=${page}&pageSize=${PAGE_SIZE}`,
		{ resource: 'conversation', operation: 'getAll' },
	);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = conversations
		.map(conversationOption)
		.filter((option) => option.value !== '')
		.filter((option) => !needle || option.name.toLowerCase().includes(needle));
	return {
		results,
		...(conversations.length >= PAGE_SIZE ? { paginationToken: String(page + 1) } : {}),
	};
}
