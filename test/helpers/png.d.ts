import type { IBinaryData } from 'n8n-workflow';

export function decodeBinary(binary: IBinaryData): Buffer;
export function pngSize(buffer: Buffer): { width: number; height: number } | null;
export function dataUriToBuffer(uri: unknown): Buffer;
