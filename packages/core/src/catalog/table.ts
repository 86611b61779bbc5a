import { PACK_IDS, PLAN_IDS, type Catalog, type Plan } from './types';

/** Grouped by hand: `toLocaleString` depends on the ICU build, and the README must render identically everywhere. */
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const euros = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')} EUR`;

const orUnlimited = (n: number | null, render: (n: number) => string = thousands): string =>
  n === null ? 'unlimited' : render(n);

const KiB = 1024;
const BYTE_UNITS: readonly [string, number][] = [
  ['GiB', KiB ** 3],
  ['MiB', KiB ** 2],
  ['KiB', KiB],
];

function bytes(n: number): string {
  const unit = BYTE_UNITS.find(([, size]) => n >= size && n % size === 0);
  return unit === undefined ? `${thousands(n)} B` : `${thousands(n / unit[1])} ${unit[0]}`;
}

const seats = (plan: Plan): string =>
  plan.maxSeats === plan.minSeats
    ? String(plan.minSeats)
    : plan.maxSeats === null
      ? `${plan.minSeats}+`
      : `${plan.minSeats}-${plan.maxSeats}`;

const price = (cents: number | null): string => (cents === null ? '-' : euros(cents));

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** The catalogue as Markdown (plans, then credit packs), so documentation is generated from the one source. */
export function catalogTable(catalog: Catalog): string {
  const planRows = PLAN_IDS.map((id) => {
    const plan = catalog.plans[id];
    return row([
      `${plan.name} (\`${id}\`)`,
      price(plan.prices.month),
      price(plan.prices.year),
      seats(plan),
      orUnlimited(plan.tokenAllowance),
      plan.creditsAllowed ? 'yes' : 'no',
      orUnlimited(plan.limits.sessions),
      orUnlimited(plan.limits.events),
      orUnlimited(plan.limits.enrichments),
      orUnlimited(plan.limits.storage, bytes),
    ]);
  });
  const packRows = PACK_IDS.map((id) => {
    const pack = catalog.packs[id];
    return row([`\`${id}\``, thousands(pack.tokens), euros(pack.price)]);
  });
  return [
    row([
      'Plan',
      'Monthly / seat',
      'Yearly / seat',
      'Seats',
      'Tokens / month',
      'Credits',
      'Sessions / period',
      'Events / period',
      'Enrichments / period',
      'Storage',
    ]),
    row(Array(10).fill('---')),
    ...planRows,
    '',
    row(['Credit pack', 'Tokens', 'Price']),
    row(['---', '---', '---']),
    ...packRows,
    '',
  ].join('\n');
}
