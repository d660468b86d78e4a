import type { Browser, Locator, Page } from 'playwright-core';
import { keyDate, keyFill, keyPress, keySelect } from './keyboard.js';
import { newPage } from './browser.js';
import { DEMO_PASSWORD, type Checkpoint } from './officerJourney.js';

export const AUDITOR = 'auditor@demo.estia.example';
/** The data protection officer of the sending member of the officer's journey (it holds that client). */
const VITAL_INTEREST = "To protect the client's vital interests";
export const SENDER_DPO = 'dpo@kyma-aid-6.demo.estia.example';

const waitForText = (page: Page | Locator, text: string | RegExp) =>
  page.getByText(text).first().waitFor({ timeout: 15_000 });

const signIn = async (page: Page, email: string) => {
  await page.goto('/sign-in');
  await keyFill(page, page.getByLabel('Email'), email);
  await keyFill(page, page.getByLabel('Password'), DEMO_PASSWORD);
  await keyPress(page, page.getByRole('button', { name: 'Sign in' }));
};

/**
 * The auditor, keyboard only: lands on the audit desk, finds the demo's consent override (who, for which
 * organisation, why), opens that case from the report, verifies its chain, looks at it as of a date
 * before it existed (nothing yet), and finds these reads in their own access log.
 */
export const auditorReviews = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL });
  await signIn(page, AUDITOR);
  await page.waitForURL('**/audit');
  const report = page.getByRole('region', { name: 'Consent overrides' });
  await waitForText(report, VITAL_INTEREST);
  await waitForText(report, 'No shelter tonight');
  await checkpoint('audit', page);

  await keyPress(page, report.getByRole('link', { name: 'Open the case' }).first());
  await page.waitForURL(/\/audit\?clientId=/);
  await waitForText(page, /Intact: all \d+ hash chains/);
  const timeline = page.getByRole('region', { name: 'Every event of the case' });
  await waitForText(timeline, 'Registered');
  await waitForText(timeline, 'Referral sent');
  await checkpoint('audit-case', page);

  await keyDate(page, page.getByLabel('As of'), '2020-01-01');
  await keyPress(page, page.getByRole('button', { name: 'Show the case' }));
  await page.waitForURL(/asOf=2020-01-01/);
  await waitForText(page, 'Events: 0');
  const reads = page.getByRole('region', { name: 'Your reads' });
  await waitForText(reads, 'Client case');
  await waitForText(reads, 'Consent-override report');
  await checkpoint('audit-reads', page);
  return { context, page, errors };
};

/**
 * The data protection officer of the member holding a client, keyboard only: finds the client by name,
 * erases them with a reason, gets the receipt; the client is gone from the caseload.
 */
export const dpoErases = async (browser: Browser, baseURL: string, name: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL });
  await signIn(page, SENDER_DPO);
  await page.waitForURL('**/erasure');
  await keyFill(page, page.getByLabel('Name or date of birth'), name);
  await keyPress(page, page.getByRole('button', { name: 'Search' }));
  const card = page.getByRole('listitem').filter({ hasText: name }).first();
  await keyPress(page, card.getByRole('button', { name: 'Erase…' }));
  await keySelect(page, card.getByLabel('Reason'), 'The client asked to be erased');
  await checkpoint('erasure', page);
  await keyPress(page, card.getByRole('button', { name: 'Erase for good' }));
  await waitForText(page, 'Erasure receipt');
  await waitForText(page, 'The client asked to be erased');
  await checkpoint('erasure-receipt', page);
  return { context, page, errors };
};
