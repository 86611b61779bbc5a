import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const outDir = fileURLToPath(new URL('../test-output/', import.meta.url));
const docsDir = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

/** Saves a full-page screenshot to test-output/ (git-ignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const path = `${outDir}${name}.png`;
  // Let charts finish their layout and toasts settle before the picture is taken.
  await page.waitForTimeout(300);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The README shows these. They are committed, so a run rewrites them only when asked
 * (`UPDATE_DOCS_IMAGES=1 npm test`), never as a side effect of CI.
 */
export function publishToDocs(path: string, name: string): void {
  if (process.env.UPDATE_DOCS_IMAGES !== '1') return;
  mkdirSync(docsDir, { recursive: true });
  copyFileSync(path, `${docsDir}${name}.png`);
}
