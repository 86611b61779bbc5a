/** Who may see and change the team and its keys: the server enforces the same rule. */
export function canManageTeam(role: string): boolean {
  return role === 'owner' || role === 'admin';
}

export const SCOPE_LABELS: Record<string, string> = {
  read: 'Read: balances, usage, plan',
  billing: 'Billing: buy credits, change the plan, manage the team',
  usage: 'Usage: record usage and spend credits',
};
