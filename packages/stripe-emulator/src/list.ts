import type Stripe from 'stripe';
import { invalidRequest } from './errors';
import type { Params } from './form';

/**
 * Stripe list semantics over newest-first items: `limit` (1..100, default 10),
 * `starting_after` / `ending_before` cursors and `has_more`.
 */
export function paginate<T extends { id?: string }>(items: T[], p: Params, url: string): Stripe.ApiList<T> {
  const limit = p.int('limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest('This value must be greater than or equal to 1 and less than or equal to 100.', 'limit');
  }
  const startingAfter = p.str('starting_after');
  const endingBefore = p.str('ending_before');
  let data: T[];
  let hasMore: boolean;
  if (startingAfter) {
    const i = items.findIndex((x) => x.id === startingAfter);
    if (i === -1) throw invalidRequest(`No such object: '${startingAfter}'`, 'starting_after', 'resource_missing');
    const rest = items.slice(i + 1);
    data = rest.slice(0, limit);
    hasMore = rest.length > limit;
  } else if (endingBefore) {
    const i = items.findIndex((x) => x.id === endingBefore);
    if (i === -1) throw invalidRequest(`No such object: '${endingBefore}'`, 'ending_before', 'resource_missing');
    const before = items.slice(0, i);
    data = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    data = items.slice(0, limit);
    hasMore = items.length > limit;
  }
  return { object: 'list', data, has_more: hasMore, url };
}

/** Newest first, the order every Stripe list endpoint uses. */
export function newestFirst<T>(values: Iterable<T>): T[] {
  return [...values].reverse();
}

/**
 * Keeps the items whose field equals each given query parameter, Stripe's list filters: `fields` maps a
 * parameter to the item's value it is compared with, and a parameter left out keeps every item.
 */
export function matchingParams<T>(p: Params, fields: Record<string, (item: T) => unknown>): (item: T) => boolean {
  const wanted = Object.entries(fields).flatMap(([param, fieldOf]) => {
    const value = p.str(param);
    return value === undefined ? [] : [{ value, fieldOf }];
  });
  return (item) => wanted.every(({ value, fieldOf }) => fieldOf(item) === value);
}

/** `created=123` or `created[gt|gte|lt|lte]=123`. */
export function createdFilter(p: Params, key = 'created'): (created: number) => boolean {
  const exact = p.data[key];
  if (typeof exact === 'string' && exact !== '') {
    const v = p.int(key) ?? 0;
    return (c) => c === v;
  }
  const range = p.obj(key);
  if (!range) return () => true;
  const gt = range.int('gt');
  const gte = range.int('gte');
  const lt = range.int('lt');
  const lte = range.int('lte');
  return (c) =>
    (gt === undefined || c > gt) &&
    (gte === undefined || c >= gte) &&
    (lt === undefined || c < lt) &&
    (lte === undefined || c <= lte);
}
