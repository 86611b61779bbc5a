export const OWNER_ONLY_REASON = 'Only the account owner can change billing';

/** The visible reason next to disabled billing actions; its id is what the buttons' aria-describedby point at. */
export function OwnerNotice({ id, role }: { id: string; role: string }) {
  return (
    <p className="owner-notice" id={id}>
      <svg className="owner-notice__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path
          fill="currentColor"
          d="M8 1a3.5 3.5 0 0 0-3.5 3.5V6H4a1.5 1.5 0 0 0-1.5 1.5v6A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-6A1.5 1.5 0 0 0 12 6h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 5H6V4.5a2 2 0 1 1 4 0V6Z"
        />
      </svg>{' '}
      {OWNER_ONLY_REASON}. You are signed in as {article(role)} {role}.
    </p>
  );
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
