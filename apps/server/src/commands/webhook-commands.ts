import { type Command, type Options, UsageError } from './billing-commands';

// `pnpm billing webhooks …`: the operator API's webhook endpoints and event log, from the command line.

function required(o: Options, name: string): string {
  const value = o[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

interface Endpoint {
  id: string;
  url: string;
  events: string[];
}
const endpointLine = (e: Endpoint) => `${e.id}  ${e.url}  [${e.events.join(',')}]`;

interface LoggedEvent {
  id: string;
  type: string;
  accountId: string;
  sequence: number;
  createdAt: string;
  deliveries: { endpointId: string; status: string; attempts: { statusCode: number | null; excerpt: string }[] }[];
}
const eventLines = (e: LoggedEvent) => [
  `${e.id}  ${e.type}  ${e.accountId} #${e.sequence}  ${e.createdAt}`,
  ...e.deliveries.map((d) => {
    const last = d.attempts.at(-1);
    const answer = last ? `  last answer ${last.statusCode ?? 'none'} ${last.excerpt.slice(0, 60)}` : '';
    return `    → ${d.endpointId}  ${d.status}, ${d.attempts.length} attempt(s)${answer}`;
  }),
];

type Admin = Parameters<Command['run']>[0]['admin'];
type EventType = NonNullable<Parameters<Admin['events']['list']>[0]['type']>;
type Subscribed = Parameters<Admin['webhookEndpoints']['create']>[0]['events'];

export const WEBHOOK_COMMANDS: Record<string, Command> = {
  'webhooks create': {
    options: ['url', 'events?'],
    summary:
      'a webhook endpoint (http or https) for event types, comma-separated (default *: all); its secret is shown once',
    run: (op, o) =>
      op.admin.webhookEndpoints.create({
        url: required(o, 'url'),
        events: (o.events ?? '*').split(',').map((s) => s.trim()) as Subscribed,
      }),
    text: (r: Endpoint & { secret: string }) => [endpointLine(r), `signing secret ${r.secret}  (shown once)`],
  },
  'webhooks list': {
    options: [],
    summary: 'the webhook endpoints (never their secrets)',
    run: (op) => op.admin.webhookEndpoints.list({}),
    text: (r: { endpoints: Endpoint[] }) => r.endpoints.map(endpointLine),
  },
  'webhooks delete': {
    options: ['id'],
    summary: 'delete an endpoint: nothing more is sent to it, pending deliveries are cancelled',
    run: (op, o) => op.admin.webhookEndpoints.remove({ id: required(o, 'id') }),
    text: (r: { id: string }) => [`deleted ${r.id}`],
  },
  'webhooks events': {
    options: ['account?', 'type?', 'limit?'],
    summary: 'the event log, newest first, with each delivery and its last answer',
    run: (op, o) =>
      op.admin.events.list({
        ...(o.account ? { accountId: o.account } : {}),
        ...(o.type ? { type: o.type as EventType } : {}),
        ...(o.limit ? { limit: Number(o.limit) } : {}),
      }),
    text: (r: { events: LoggedEvent[] }) => r.events.flatMap(eventLines),
  },
  'webhooks redeliver': {
    options: ['id'],
    summary: 'send an event again now to every endpoint that wants it',
    run: (op, o) => op.admin.events.redeliver({ id: required(o, 'id') }),
    text: (r: { id: string }) => [`redelivering ${r.id}`],
  },
};
