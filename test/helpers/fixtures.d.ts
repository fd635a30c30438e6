import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Fault } from './sandbox';

export const SEND_PATH: '/v1/messages/send';
export function tooManyRequests(
	method: string | undefined,
	path: string,
	more?: Omit<Fault, 'type' | 'status' | 'method' | 'path'>,
): Fault;
export function faultAfterSend(
	more?: Omit<Fault, 'type' | 'afterHandling' | 'method' | 'path'>,
): Fault;
export function textSendParameters(text: string, more?: IDataObject): IDataObject;
export function customerPhones(count: number): string[];
export const CREATE_NUMBER_PARAMETERS: IDataObject;
export function shopItems(count: number): INodeExecutionData[];
