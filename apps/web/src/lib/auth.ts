export type SignInResult = { ok: true } | { ok: false; message: string };

/** Exchanges an API key for the dashboard's HTTP-only session cookie. */
export async function signInWithApiKey(apiKey: string): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetch('/auth/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Contox-CSRF': '1' },
      body: JSON.stringify({ apiKey }),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, message: 'Cannot reach the billing service. Check your connection and try again.' };
  }
  if (res.ok) return { ok: true };
  const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
  const message = typeof body?.error === 'string' ? body.error : `Sign-in failed (HTTP ${res.status})`;
  return { ok: false, message };
}

export async function signOut(): Promise<void> {
  await fetch('/auth/sign-out', { method: 'POST', headers: { 'X-Contox-CSRF': '1' }, credentials: 'same-origin' });
}
