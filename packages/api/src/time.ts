/** The contract's timestamp form: ISO-8601 UTC to the second (`2025-02-15T00:00:00Z`). */
export const apiTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
