/**
 * `pnpm guide:screenshots`: starts the network with the demo (temporary DATA_DIR), walks the officer's
 * journey, the auditor's and the data protection officer's in Chromium and writes a PNG of each main
 * screen to docs/guide/, for docs/guide/officer.md, auditor.md and dpo.md.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, newPage } from '../e2e/browser.js';
import { startNetwork } from '../e2e/network.js';
import { receiverCompletesInArabic, senderRefers } from '../e2e/officerJourney.js';
import { auditorReviews, dpoErases } from '../e2e/oversightJourneys.js';

const OUT = resolve(import.meta.dirname, '../../../../docs/guide');
/** The screens the guide shows (the journey passes more checkpoints than these). */
const WANTED = new Set([
  'sign-in',
  'caseload',
  'register',
  'register-error',
  'consent',
  'client',
  'suggestions',
  'refer',
  'referral',
  'outbox',
  'referral-ar',
  'referral-completed-ar',
  'audit',
  'audit-case',
  'erasure',
]);

mkdirSync(OUT, { recursive: true });
const written: string[] = [];
const shoot = async (name: string, page: Page) => {
  if (!WANTED.has(name)) return;
  // Focus rings and the caret would differ from run to run; the picture should not.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  written.push(path);
};

const network = await startNetwork();
const chromium = await launchBrowser();
try {
  const directory = await newPage(chromium.browser, { baseURL: network.console });
  await directory.page.goto('/directory?category=legal&region=EL30');
  await directory.page.getByRole('heading', { name: 'Legal — Athens' }).waitFor();
  await directory.page.getByText('Open Doors Athens (demo)').first().waitFor();
  const directoryPath = join(OUT, 'directory.png');
  await directory.page.screenshot({ path: directoryPath, fullPage: true });
  written.push(directoryPath);
  await directory.context.close();

  const sender = await senderRefers(chromium.browser, network.console, shoot);
  await receiverCompletesInArabic(chromium.browser, network.console, shoot);
  await sender.context.close();
  await (await auditorReviews(chromium.browser, network.console, shoot)).context.close();
  await (await dpoErases(chromium.browser, network.console, 'Amira', shoot)).context.close();
  console.log(`wrote ${new Set(written).size} screenshots to ${OUT}`);
} finally {
  await chromium.close();
  await network.stop();
}
