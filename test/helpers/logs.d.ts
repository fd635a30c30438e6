export function takeLogs(): string;
