import { readFileSync } from 'node:fs';
import { type Catalog, catalogFromOverride, defaultCatalog } from '@contox/core';
import type { Config } from './config';

/** The default catalogue, or the operator's override named by BILLING_CATALOG_FILE (validated by core). */
export function loadCatalog(config: Pick<Config, 'BILLING_CATALOG_FILE'>): Catalog {
  if (!config.BILLING_CATALOG_FILE) return defaultCatalog;
  return catalogFromOverride(JSON.parse(readFileSync(config.BILLING_CATALOG_FILE, 'utf8')), defaultCatalog);
}
