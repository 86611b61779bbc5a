interface Issue {
  path?: PropertyKey[];
  message?: string;
}

/** Turns trpc-to-openapi's error body into the contract's `{ "error": "…" }`, naming the fields at fault. */
export function contractErrorBody(raw: string): { error: string } {
  let parsed: { message?: string; issues?: Issue[] } = {};
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { error: 'Request failed' };
  }
  if (parsed.issues?.length) {
    const parts = parsed.issues.map((i) => {
      const where = i.path?.length ? `${i.path.map(String).join('.')}: ` : '';
      return `${where}${i.message ?? 'invalid'}`;
    });
    return { error: `Invalid request: ${parts.join('; ')}` };
  }
  return { error: parsed.message ?? 'Request failed' };
}
