import { invalidSettings } from '../errors';
import { isNonNegativeInteger } from '../integers';
import { defaultCatalog, freezeCatalog } from './catalog';
import {
  type Catalog,
  INTERVALS,
  METRICS,
  PACK_IDS,
  PLAN_IDS,
  type Pack,
  type PackId,
  type Plan,
  type PlanId,
  type PlanLimits,
} from './types';

type Fields = Record<string, unknown>;

const PLAN_FIELDS = ['id', 'name', 'prices', 'tokenAllowance', 'creditsAllowed', 'minSeats', 'maxSeats', 'limits'];
const PACK_FIELDS = ['id', 'tokens', 'price'];

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? typeof value : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function fail(path: string, expected: string, value: unknown): never {
  const subject = path === '' ? 'the override' : path;
  throw invalidSettings(`Invalid catalog override: ${subject} must be ${expected}, got ${describe(value)}`, { path });
}

/** An operator's typo (`tokenAllowence`) must not be silently ignored, so unknown keys are errors. */
function fields(value: unknown, path: string, allowed: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    const at = path === '' ? unknown : `${path}.${unknown}`;
    throw invalidSettings(`Invalid catalog override: unknown key ${at} (expected one of ${allowed.join(', ')})`, {
      path: at,
    });
  }
  return value as Fields;
}

/** Only an absent section keeps the base; `null` means "unlimited" on leaves, so a `null` section is refused. */
const section = (parent: Fields, key: string): unknown => (parent[key] === undefined ? {} : parent[key]);

/** Present-in-override wins, otherwise the base value; both go through the same check. */
const pick = (override: Fields, key: string, base: unknown): unknown =>
  Object.hasOwn(override, key) ? override[key] : base;

function integer(value: unknown, path: string, min: number): number {
  if (!isNonNegativeInteger(value) || value < min) fail(path, `an integer >= ${min}`, value);
  return value;
}

function integerOrNull(value: unknown, path: string, min: number): number | null {
  if (value === null) return null;
  if (!isNonNegativeInteger(value) || value < min) fail(path, `an integer >= ${min} or null (unlimited)`, value);
  return value;
}

function sameId(override: Fields, id: string, path: string): void {
  if (Object.hasOwn(override, 'id') && override.id !== id)
    fail(`${path}.id`, `"${id}" (ids cannot be renamed)`, override.id);
}

function buildPlan(id: PlanId, base: Plan, patch: unknown): Plan {
  const path = `plans.${id}`;
  const o = fields(patch === undefined ? {} : patch, path, PLAN_FIELDS);
  sameId(o, id, path);

  const name = pick(o, 'name', base.name);
  if (typeof name !== 'string' || name.trim() === '') fail(`${path}.name`, 'a non-empty string', name);

  const creditsAllowed = pick(o, 'creditsAllowed', base.creditsAllowed);
  if (typeof creditsAllowed !== 'boolean') fail(`${path}.creditsAllowed`, 'true or false', creditsAllowed);

  const pricesPatch = fields(section(o, 'prices'), `${path}.prices`, INTERVALS);
  const prices = {
    month: integerOrNull(pick(pricesPatch, 'month', base.prices.month), `${path}.prices.month`, 1),
    year: integerOrNull(pick(pricesPatch, 'year', base.prices.year), `${path}.prices.year`, 1),
  };
  const priced = prices.month !== null || prices.year !== null;
  if (id === 'free' && priced)
    fail(`${path}.prices`, '{ "month": null, "year": null } (the free plan is free)', prices);
  if (id !== 'free' && !priced) fail(`${path}.prices`, 'a monthly or a yearly price for a paid plan', prices);

  const limitsPatch = fields(section(o, 'limits'), `${path}.limits`, METRICS);
  const limits = Object.fromEntries(
    METRICS.map((metric) => [
      metric,
      integerOrNull(pick(limitsPatch, metric, base.limits[metric]), `${path}.limits.${metric}`, 0),
    ]),
  ) as unknown as PlanLimits;

  const minSeats = integer(pick(o, 'minSeats', base.minSeats), `${path}.minSeats`, 1);
  const maxSeats = integerOrNull(pick(o, 'maxSeats', base.maxSeats), `${path}.maxSeats`, minSeats);

  return {
    id,
    name,
    prices,
    tokenAllowance: integerOrNull(pick(o, 'tokenAllowance', base.tokenAllowance), `${path}.tokenAllowance`, 0),
    creditsAllowed,
    minSeats,
    maxSeats,
    limits,
  };
}

function buildPack(id: PackId, base: Pack, patch: unknown): Pack {
  const path = `packs.${id}`;
  const o = fields(patch === undefined ? {} : patch, path, PACK_FIELDS);
  sameId(o, id, path);
  return {
    id,
    tokens: integer(pick(o, 'tokens', base.tokens), `${path}.tokens`, 1),
    price: integer(pick(o, 'price', base.price), `${path}.price`, 1),
  };
}

/**
 * The operator's catalogue file (already JSON-parsed) layered over `base`. Every plan and pack always
 * exists because their ids are part of the public API; an override can only change their numbers.
 */
export function catalogFromOverride(override: unknown, base: Catalog = defaultCatalog): Catalog {
  const root = fields(override, '', ['plans', 'packs']);
  const plans = fields(section(root, 'plans'), 'plans', PLAN_IDS);
  const packs = fields(section(root, 'packs'), 'packs', PACK_IDS);
  return freezeCatalog({
    plans: Object.fromEntries(PLAN_IDS.map((id) => [id, buildPlan(id, base.plans[id], plans[id])])) as Record<
      PlanId,
      Plan
    >,
    packs: Object.fromEntries(PACK_IDS.map((id) => [id, buildPack(id, base.packs[id], packs[id])])) as Record<
      PackId,
      Pack
    >,
  });
}
