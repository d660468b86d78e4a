/**
 * The org admin's and the network admin's screens as they use them: the real network (`pnpm start`,
 * the demo seeded, temporary DATA_DIR) driven through Debian's Chromium, keyboard only, axe on each screen.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from './browserSuite.js';
import { networkAdminDecidesInArabic, orgAdminManages } from './adminJourneys.js';

const suite = browserSuite();
const { violations, axeAt } = suite;

describe('the administration screens, end to end in a browser', () => {
  it('the org admin runs the organisation: intake in one click, hours, a new service, people, API clients — keyboard only', async () => {
    const admin = await orgAdminManages(suite.chromium.browser, suite.network.console, axeAt);
    // The secret is answered once: the list of clients never shows it again.
    const listed = await admin.page.evaluate(async () => {
      const session = (await (await fetch('/api/session')).json()) as { organisationId: string };
      return (await fetch(`/api/registry/v1/organisations/${session.organisationId}/api-clients`)).text();
    });
    for (const secret of admin.secrets) expect(listed).not.toContain(secret);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 180_000);

  it('the network admin decides membership applications in Arabic, right to left — keyboard only', async () => {
    const admin = await networkAdminDecidesInArabic(suite.chromium.browser, suite.network.console, axeAt);
    const page = admin.page;
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    // Mirrored: the tabs start at the right edge.
    const width = page.viewportSize()!.width;
    const tabs = (await page.getByRole('group', { name: 'الشبكة' }).boundingBox())!;
    const first = (await page.getByRole('link', { name: 'طلبات الانضمام' }).boundingBox())!;
    expect(first.x + first.width).toBeGreaterThan(tabs.x + tabs.width - 40);
    expect(first.x).toBeGreaterThan(width / 2);
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).direction)).toBe('rtl');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  }, 180_000);

  it('every administration screen has no serious or critical accessibility violation (axe-core)', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(10);
    const found = Object.entries(violations).filter(([, list]) => list.length > 0);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
});
