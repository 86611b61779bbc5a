/** Team pages are for the owner and admins; everyone else is told why they see nothing to change. */
export function SettingsNotice({ role }: { role: string }) {
  return (
    <p className="owner-notice" data-testid="settings-notice">
      Only the account owner or an admin can manage members and API keys. You are signed in as a {role}.
    </p>
  );
}
