// What the documented failure codes of a sent message mean, and what to do (../shared/messaging-api.md
// §2.1, §2.4, §2.5). A send is accepted (QUEUED) before the provider tries it, so these arrive later,
// in message.failed's errorMessage; a user who only sees the code would not know why an accepted
// message never arrived.

const EXPLANATIONS: Record<string, string> = {
	META_OUTSIDE_24H_WINDOW:
		'Free text to a Meta contact outside the 24-hour window: Meta numbers may send free text only within 24 hours of the contact’s last message. Send an approved template instead.',
	META_NO_CONVERSATION:
		'The Meta contact has no open conversation: start it with an approved template.',
	META_TEMPLATE_NOT_APPROVED:
		'The template is not approved by Meta (yet): wait for approval, or send an approved template.',
	TEMPLATE_VERSION_NOT_FOUND:
		'The template (or the version the send referred to) no longer exists: check the template name or ID.',
	WHATSAPP_NOT_EXIST: 'The destination number has no WhatsApp account.',
	INVALID_DESTINATION:
		'The destination is not a valid phone number: use E.164, e.g. +5511999999999.',
	PILOT_SELF_NUMBER: 'The message was addressed to the sending number itself.',
	DELIVERY_TIMEOUT:
		'The provider did not confirm the send in time, or the number was disconnected or missing: check that the number is connected (Number → Get Status), then send again.',
	DELIVERED_NOT_CONFIRMED:
		'Sent, but no delivery receipt arrived before the delivery deadline: the contact’s phone may be offline.',
	NEVER_ATTEMPTED_MAX_AGE_EXCEEDED:
		'The message waited 7 days in the queue without being sent, usually because the number stayed disconnected: reconnect the number and send again.',
	EXPIRED_AFTER_ATTEMPTS: 'Every delivery attempt failed until the message expired.',
	MESSAGE_EXPIRED: 'The message expired before it could be delivered.',
	NUMBER_NOT_FOUND_REMOVED: 'The sending number was removed before the message went out.',
	LINKED_WHATSAPP_INSTANCE_NOT_FOUND:
		'The API key that sent it is linked to a number that no longer exists: use the current number’s key.',
};

/** What a failure code means, or null for a code the docs do not describe (or no code). */
export function failureExplanation(errorMessage: string | null): string | null {
	if (errorMessage === null) return null;
	// The code alone, or within a sentence ("Failed: META_OUTSIDE_24H_WINDOW").
	const codes = errorMessage.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [];
	const known = codes.find((code) => code in EXPLANATIONS);
	return known ? EXPLANATIONS[known] : null;
}
