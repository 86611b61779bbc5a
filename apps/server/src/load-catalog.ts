import { readFileSync } from 'node:fs';
import type { Config } from '@contox/api';
import { type Catalog, catalogFromOverride, defaultCatalog } from '@contox/core';

export function loadCatalog(config: Config): Catalog {
  if (!config.BILLING_CATALOG_FILE) return defaultCatalog;
  const text = readFileSync(config.BILLING_CATALOG_FILE, 'utf8');
  return catalogFromOverride(JSON.parse(text), defaultCatalog);
}
