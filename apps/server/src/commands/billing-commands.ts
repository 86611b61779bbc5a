import type { operatorCaller } from '@contox/api';
import { WEBHOOK_COMMANDS } from './webhook-commands';

type Operator = ReturnType<typeof operatorCaller>;
export type Options = Record<string, string | undefined>;

export class UsageError extends Error {}

export interface Command {
  /** The options it takes, for the usage text; a trailing `?` marks an optional one. */
  options: string[];
  summary: string;
  run(operator: Operator, o: Options): Promise<unknown>;
  /** The lines a person reads instead of the JSON. */
  text(result: never): string[];
}

function required(o: Options, name: string): string {
  const value = o[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

const optional = (o: Options, name: string) => (o[name] === undefined ? {} : { [camel(name)]: o[name] });
const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

type Scope = 'read' | 'billing' | 'usage';
const scopesOf = (o: Options) =>
  required(o, 'scopes')
    .split(',')
    .map((s) => s.trim()) as Scope[];

interface Account {
  id: string;
  name: string;
  plan: string;
  externalId: string | null;
  owner: { email: string };
}
const accountLine = (a: Account) =>
  `${a.id}  ${a.name}  plan ${a.plan}  owner ${a.owner.email}${a.externalId ? `  externalId ${a.externalId}` : ''}`;

interface KeyLine {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  lastUsedAt: string | null;
}

export const COMMANDS: Record<string, Command> = {
  'accounts create': {
    options: ['name', 'owner-email', 'owner-name?', 'external-id?'],
    summary: 'an account, its owner and the owner’s API key (shown once); an externalId seen before finds its account',
    run: (op, o) =>
      op.admin.accounts.create({
        name: required(o, 'name'),
        ...optional(o, 'external-id'),
        owner: { email: required(o, 'owner-email'), ...(o['owner-name'] ? { name: o['owner-name'] } : {}) },
      }),
    text: (r: { account: Account; owner: { id: string; email: string }; apiKey?: { id: string; key: string } }) => [
      `account ${r.account.id}  ${r.account.name}${r.apiKey ? '' : '  (existing: same externalId)'}`,
      `owner   ${r.owner.id}  ${r.owner.email}`,
      ...(r.apiKey ? [`API key ${r.apiKey.id}  ${r.apiKey.key}  (shown once)`] : []),
    ],
  },
  'accounts list': {
    options: ['external-id?', 'cursor?'],
    summary: 'accounts with their owners (100 a page)',
    run: (op, o) => op.admin.accounts.list({ ...optional(o, 'external-id'), ...optional(o, 'cursor') }),
    text: (r: { accounts: Account[]; nextCursor?: string }) => [
      ...r.accounts.map(accountLine),
      ...(r.nextCursor ? [`more: --cursor ${r.nextCursor}`] : []),
    ],
  },
  'keys create': {
    options: ['account', 'name', 'scopes'],
    summary: 'an API key held by the owner, scopes from read,billing,usage (shown once)',
    run: async (op, o) =>
      (await op.asOwner(required(o, 'account'))).apiKeys.create({ name: required(o, 'name'), scopes: scopesOf(o) }),
    text: (r: { id: string; key: string; scopes: string[] }) => [`${r.id}  ${r.key}  [${r.scopes.join(',')}]`],
  },
  'keys list': {
    options: ['account'],
    summary: 'the account’s live API keys (never their secrets)',
    run: async (op, o) => (await op.asOwner(required(o, 'account'))).apiKeys.list({}),
    text: (r: { apiKeys: KeyLine[] }) =>
      r.apiKeys.map(
        (k) => `${k.id}  ${k.prefix}  ${k.name}  [${k.scopes.join(',')}]  last used ${k.lastUsedAt ?? 'never'}`,
      ),
  },
  'keys revoke': {
    options: ['account', 'id'],
    summary: 'revoke a key (every running server stops taking it at once)',
    run: async (op, o) => (await op.asOwner(required(o, 'account'))).apiKeys.revoke({ id: required(o, 'id') }),
    text: (r: { id: string }) => [`revoked ${r.id}`],
  },
  'members add': {
    options: ['account', 'email', 'role', 'name?'],
    summary: 'a member (role admin or member) and a sign-in link for them',
    run: async (op, o) =>
      (await op.asOwner(required(o, 'account'))).members.add({
        email: required(o, 'email'),
        role: required(o, 'role') as 'admin' | 'member',
        ...optional(o, 'name'),
      }),
    text: (r: { member: { id: string; email: string; role: string }; signInUrl: string }) => [
      `${r.member.id}  ${r.member.email}  ${r.member.role}`,
      `sign in: ${r.signInUrl}`,
    ],
  },
  'members list': {
    options: ['account'],
    summary: 'the account’s members, the owner first',
    run: async (op, o) => (await op.asOwner(required(o, 'account'))).members.list({}),
    text: (r: { members: { id: string; email: string; role: string }[] }) =>
      r.members.map((m) => `${m.id}  ${m.email}  ${m.role}`),
  },
  'sign-in-link': {
    options: ['account', 'email'],
    summary: 'a single-use link that signs the member with this email into the dashboard (24 hours)',
    run: (op, o) =>
      op.admin.accounts.createSignInLink({ accountId: required(o, 'account'), email: required(o, 'email') }),
    text: (r: { url: string; expiresAt: string }) => [r.url, `expires ${r.expiresAt}`],
  },
  ...WEBHOOK_COMMANDS,
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => {
    const opts = c.options.map((o) => (o.endsWith('?') ? `[--${o.slice(0, -1)} …]` : `--${o} …`)).join(' ');
    return `  ${name} ${opts}\n      ${c.summary}`;
  });
  return [
    'Usage: pnpm billing <command> [options] [--json]',
    '',
    ...lines,
    '',
    'On DATABASE_URL, or the embedded database in DATA_DIR (only while no server runs on it).',
  ].join('\n');
}
