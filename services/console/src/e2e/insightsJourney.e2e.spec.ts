/**
 * The funder's insights as they use them: the real network (`pnpm start`, the demo seeded, temporary
 * DATA_DIR) driven through Debian's Chromium, keyboard only, axe on each screen, every insights answer
 * checked against the contract.
 */
import { describe, expect, it } from 'vitest';
import { newPage } from './browser.js';
import { browserSuite } from './browserSuite.js';
import { funderReadsInsights } from './insightsJourney.js';
import { DEMO_PASSWORD } from './officerJourney.js';

const suite = browserSuite();
const { violations, axeAt } = suite;

describe('the insights page, end to end in a browser', () => {
  it('the funder lands on Insights, sorts, sees the funnel, downloads CSV, prints, reads it in Arabic — keyboard only', async () => {
    const funder = await funderReadsInsights(suite.chromium.browser, suite.network.console, axeAt);
    expect(new URL(funder.filteredUrl).searchParams.get('from')).toBe('2020-01-01');
    // Largest first, then smallest; "<5" (read here as -1) below every shown figure.
    expect(funder.descending).toEqual([...funder.descending].sort((a, b) => b - a));
    expect(funder.ascending).toEqual([...funder.ascending].sort((a, b) => a - b));
    expect(funder.descending.filter((n) => n >= 5).length, 'the demo shows figures, not only <5').toBeGreaterThan(0);
    // The funnel is drawn: a bar per stage, named in words.
    expect(funder.bars).toBe(8);
    expect(funder.funnelLabels[0]).toBe('Consented');
    expect(funder.csvName).toMatch(/^insights-providers-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(funder.csv.split('\r\n')[0]).toMatch(/^organisationId,name,received,accepted,rejected,/);
    expect(funder.csv).toContain('<5');
    // On paper: no navigation, filters or buttons; a real PDF.
    expect(funder.printHidden).toEqual(['none', 'none', 'none']);
    expect(funder.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const page = funder.page;
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    // Right to left, and nothing wider than the window (a wide table scrolls inside its box).
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).direction)).toBe('rtl');
    expect(funder.contract.mismatches).toEqual([]);
    expect(funder.contract.checked).toEqual(
      expect.arrayContaining([
        '/api/insights/v1/insights/providers',
        '/api/insights/v1/insights/demand',
        '/api/insights/v1/insights/funnel',
        '/api/insights/v1/insights/providers (csv)',
      ]),
    );
    // A CSP violation or a failing script would be a console error.
    expect(funder.errors).toEqual([]);
    await funder.context.close();
  }, 240_000);

  it('the network admin has Insights in the navigation; an officer neither sees it nor gets figures', async () => {
    const signInAs = async (email: string) => {
      const opened = await newPage(suite.chromium.browser, { baseURL: suite.network.console });
      await opened.page.goto('/sign-in');
      await opened.page.getByLabel('Email').fill(email);
      await opened.page.getByLabel('Password').fill(DEMO_PASSWORD);
      await opened.page.getByRole('button', { name: 'Sign in' }).click();
      await opened.page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      return opened;
    };
    const admin = await signInAs('network-admin@demo.estia.example');
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Insights' }).click();
    await admin.page.getByRole('rowheader', { name: 'Whole network' }).waitFor({ timeout: 20_000 });
    await axeAt('insights-network-admin', admin.page);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    const officer = await signInAs('officer@open-doors-0.demo.estia.example');
    await officer.page.waitForURL('**/caseload');
    expect(await officer.page.getByRole('navigation').getByRole('link', { name: 'Insights' }).count()).toBe(0);
    const status = await officer.page.evaluate(async () => (await fetch('/api/insights/v1/insights/providers')).status);
    expect(status).toBe(403);
    await officer.context.close();
  }, 120_000);

  it('every insights screen has no serious or critical accessibility violation (axe-core)', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(4);
    const found = Object.entries(violations).filter(([, list]) => list.length > 0);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
});
