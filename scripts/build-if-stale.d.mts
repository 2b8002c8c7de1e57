/** Builds unless the last build is of exactly these sources; `log` hears when it does. */
export function buildIfStale(log?: (message: string) => void): void;
