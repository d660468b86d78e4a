import { readFileSync } from 'node:fs';
import type { Browser, Page, Response } from 'playwright-core';
import { compileSchema, requestSchemas } from '@estia/contracts';
import { newPage } from './browser.js';
import { keyDate, keyFill, keyPress, keySelect, tabTo } from './keyboard.js';
import { DEMO_PASSWORD, type Checkpoint } from './officerJourney.js';

export const FUNDER = 'funder@demo.estia.example';

const contract = requestSchemas('insights');
const REPORT_SCHEMAS: Record<string, string> = {
  '/api/insights/v1/insights/providers': 'ProvidersReport',
  '/api/insights/v1/insights/demand': 'DemandReport',
  '/api/insights/v1/insights/funnel': 'FunnelReport',
};

/**
 * Every insights answer the page is given, checked against the contract (JSON by its report schema, CSV
 * by its type): what the console shows is what the service documents.
 */
const watchContract = (page: Page): { checked: string[]; mismatches: string[] } => {
  const checked: string[] = [];
  const mismatches: string[] = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    const schema = REPORT_SCHEMAS[url.pathname];
    if (!schema || response.request().method() !== 'GET') return;
    const type = response.headers()['content-type'] ?? '';
    void (async () => {
      if (response.status() !== 200) return mismatches.push(`${url.pathname}: ${response.status()}`);
      if (type.startsWith('text/csv')) return checked.push(`${url.pathname} (csv)`);
      const valid = compileSchema(contract.schema(schema));
      if (valid(await response.json())) checked.push(url.pathname);
      else mismatches.push(`${url.pathname}: ${JSON.stringify(valid.errors)}`);
    })().catch((error: unknown) => mismatches.push(`${url.pathname}: ${String(error)}`));
  });
  return { checked, mismatches };
};

/** The figures of one column of the providers table, top to bottom (the network's row apart). */
const columnOf = async (page: Page, index: number): Promise<string[]> =>
  page
    .getByRole('region', { name: 'Providers' })
    .locator('table tbody:not(.network-row) tr')
    .evaluateAll((rows, i) => rows.map((row) => (row.children[i] as HTMLElement).innerText.trim()), index);

const asNumber = (cell: string): number => (cell.includes('5') && cell.includes('<') ? -1 : Number(cell));

/**
 * The demo funder, keyboard only: lands on Insights, narrows the report to a period and a category and
 * back, sorts the providers by what they received (largest first, then smallest), finds the employment funnel drawn, downloads the providers as CSV, prints the
 * period's report, then reads it all in Arabic, right to left.
 */
export const funderReadsInsights = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'en-GB' });
  const contractCheck = watchContract(page);
  await page.goto('/sign-in');
  await keyFill(page, page.getByLabel('Email'), FUNDER);
  await keyFill(page, page.getByLabel('Password'), DEMO_PASSWORD);
  await keyPress(page, page.getByRole('button', { name: 'Sign in' }));
  await page.waitForURL('**/insights');
  const providers = page.getByRole('region', { name: 'Providers' });
  await providers.getByRole('rowheader', { name: 'Whole network' }).waitFor({ timeout: 20_000 });
  const funnel = page.getByRole('region', { name: 'Employment funnel' });
  await funnel.getByRole('img', { name: 'Candidates at each stage' }).waitFor();
  await page.getByRole('img', { name: 'Referrals by month' }).waitFor();
  await page.getByRole('img', { name: 'Open needs and available places by category' }).waitFor();
  await checkpoint('insights', page);

  // The filters are the API's query parameters, kept in the address: a period and a category, then back.
  const filters = page.getByRole('form', { name: 'Period and filters' });
  await keyDate(page, filters.getByLabel('From'), '2020-01-01');
  await keySelect(page, filters.getByLabel('Category'), 'Employment');
  const narrowed = page.waitForRequest((request) =>
    /\/api\/insights\/v1\/insights\/providers\?.*category=employment/.test(request.url()),
  );
  await keyPress(page, filters.getByRole('button', { name: 'Show the report' }));
  const filteredUrl = (await narrowed).url();
  await page.waitForURL(/category=employment/);
  await page.getByText(/^Report for 1 Jan 2020 to .* · Employment$/).waitFor();
  await keySelect(page, filters.getByLabel('Category'), 'Any');
  await keyPress(page, filters.getByRole('button', { name: 'Show the report' }));
  await page.waitForURL((url) => !url.search.includes('category'));
  await providers.getByRole('rowheader', { name: 'Whole network' }).waitFor();

  const received = providers.getByRole('button', { name: /^Received/ });
  await keyPress(page, received);
  await providers.locator('th[aria-sort="descending"]', { hasText: 'Received' }).waitFor();
  const descending = (await columnOf(page, 1)).map(asNumber);
  await checkpoint('insights-sorted', page);
  await keyPress(page, received);
  await providers.locator('th[aria-sort="ascending"]', { hasText: 'Received' }).waitFor();
  const ascending = (await columnOf(page, 1)).map(asNumber);

  const bars = await funnel.locator('svg rect.bar').count();
  const funnelLabels = await funnel.locator('svg text.bar-label').allTextContents();

  const download = page.waitForEvent('download');
  await keyPress(page, providers.getByRole('button', { name: 'Download providers (CSV)' }));
  const file = await download;
  const csv = readFileSync((await file.path())!, 'utf8');
  await providers
    .getByRole('status')
    .getByText(/^Saved insights-providers-/)
    .waitFor();

  await page.emulateMedia({ media: 'print' });
  const printHidden = await page.evaluate(() =>
    ['header.top', '.insights-filters', '.csv-download'].map(
      (selector) => getComputedStyle(document.querySelector(selector)!).display,
    ),
  );
  await checkpoint('insights-print', page);
  const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });

  // Typing Arabic letters is not how a person with an English keyboard picks it: arrow keys are. Each
  // step loads that language before the control shows it, so the next press waits for it.
  const language = page.locator('select#language');
  await tabTo(page, language);
  for (let shown = await language.inputValue(); shown !== 'ar';) {
    await page.keyboard.press('ArrowDown');
    const before = shown;
    await page.waitForFunction(
      (previous) => document.querySelector<HTMLSelectElement>('select#language')?.value !== previous,
      before,
    );
    shown = await language.inputValue();
  }
  await page.getByRole('heading', { level: 1, name: 'مؤشرات الشبكة' }).waitFor();
  await page.getByRole('rowheader', { name: 'الشبكة كلها' }).waitFor();
  await tabTo(page, page.getByRole('button', { name: /^المستلمة/ }));
  await checkpoint('insights-ar', page);
  return {
    context,
    page,
    errors,
    contract: contractCheck,
    filteredUrl,
    descending,
    ascending,
    bars,
    funnelLabels,
    csv,
    csvName: file.suggestedFilename(),
    printHidden,
    pdf,
  };
};
