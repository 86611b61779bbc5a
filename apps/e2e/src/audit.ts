import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Locator, Page } from 'playwright-core';
import { publishToDocs, screenshot } from './screenshots';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** WCAG 2.1 A and AA, the level the dashboard promises. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core run inside the page (evaluated over the DevTools protocol, so the app's CSP does not apply);
 * returns every serious or critical violation as one line naming the rule and the elements.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    AXE_TAGS,
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
    );
}

/** How far the page itself scrolls sideways: 0 when everything fits the viewport. */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollWidth - window.innerWidth;
  });
}

export interface ScreenCheck {
  name: string;
  violations: string[];
  overflow: number;
  /** Controls that do not fit the viewport, or whose text is clipped inside them. */
  cutOff: string[];
}

async function cutOffAt(width: number, locators: readonly Locator[]): Promise<string[]> {
  const found: string[] = [];
  for (const locator of locators) {
    const box = await locator.boundingBox();
    const clipped = await locator.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    if (!box || box.x < 0 || box.x + box.width > width + 0.5 || clipped) {
      found.push(
        `"${(await locator.textContent())?.trim()}" at ${JSON.stringify(box)}${clipped ? ', text clipped' : ''}`,
      );
    }
  }
  return found;
}

/**
 * One screen as a customer sees it at 1280 and at 390 px: axe finds no serious or critical violation and the
 * page does not scroll sideways on the phone. Pictures of both widths; `docs` also publishes them.
 */
export async function checkScreen(
  page: Page,
  name: string,
  opts: { docs?: boolean; fits?: readonly Locator[] } = {},
): Promise<ScreenCheck[]> {
  const checks: ScreenCheck[] = [];
  for (const [suffix, viewport] of [
    ['', DESKTOP],
    ['-390', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    // Let layout (charts measure their container) settle at the new width.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
    const shot = await screenshot(page, `${name}${suffix}`);
    if (opts.docs) publishToDocs(shot, `${name}${suffix}`);
    checks.push({
      name: `${name}${suffix}`,
      violations: await axeViolations(page),
      overflow: await sidewaysOverflow(page),
      cutOff: await cutOffAt(viewport.width, opts.fits ?? []),
    });
  }
  await page.setViewportSize(DESKTOP);
  return checks;
}
