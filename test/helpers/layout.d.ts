export interface FolderLayout {
	folder: string;
	text: string;
	forbidden: string[];
	imports: Array<{ file: string; target: string }>;
}
export function readLayout(): { folders: FolderLayout[]; codeFolders: string[] };
export function forbiddenIn(text: string): string[];
