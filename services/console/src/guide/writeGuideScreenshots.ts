/**
 * `pnpm guide:screenshots`: starts the network with the demo (temporary DATA_DIR), walks the officer's
 * journey, the auditor's, the data protection officer's, the job coach's, the org admin's, the network
 * admin's and the funder's in Chromium and writes a PNG of each main screen to docs/guide/, for
 * docs/guide/officer.md, auditor.md, dpo.md, coach.md, org-admin.md, network-admin.md and funder.md.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, newPage } from '../e2e/browser.js';
import { startNetwork } from '../e2e/network.js';
import { DEMO_PASSWORD, receiverCompletesInArabic, senderRefers } from '../e2e/officerJourney.js';
import { auditorReviews, dpoErases } from '../e2e/oversightJourneys.js';
import { coachReadsInArabic, coachWorks } from '../e2e/coachJourney.js';
import {
  APPROVED_APPLICANT,
  NETWORK_ADMIN,
  networkAdminDecidesInArabic,
  orgAdminManages,
} from '../e2e/adminJourneys.js';
import { funderReadsInsights } from '../e2e/insightsJourney.js';

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
  'coach-opportunities',
  'coach-opportunity-form',
  'coach-opportunity',
  'coach-candidates',
  'coach-why-not',
  'coach-candidate',
  'coach-pipeline',
  'coach-pipeline-ar',
  'coach-why-not-ar',
  'org-profile',
  'org-profile-edit',
  'org-services',
  'org-service-edit',
  'org-service-register',
  'org-people',
  'org-api-client-secret',
  'network-applications',
  'network-members',
  'network-code',
  'network-applications-ar',
  'network-approve-ar',
  'network-members-ar',
  'network-code-ar',
  'insights',
  'insights-sorted',
  'insights-print',
  'insights-ar',
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
  await (await coachWorks(chromium.browser, network.console, shoot)).context.close();
  await (await coachReadsInArabic(chromium.browser, network.console, shoot)).context.close();
  await (await orgAdminManages(chromium.browser, network.console, shoot)).context.close();
  // The network admin's screens in English as well, before the Arabic journey decides the applications.
  const networkAdmin = await newPage(chromium.browser, { baseURL: network.console });
  await networkAdmin.page.goto('/sign-in');
  await networkAdmin.page.getByLabel('Email').fill(NETWORK_ADMIN);
  await networkAdmin.page.getByLabel('Password').fill(DEMO_PASSWORD);
  await networkAdmin.page.getByRole('button', { name: 'Sign in' }).click();
  await networkAdmin.page.getByRole('region', { name: APPROVED_APPLICANT }).waitFor();
  await shoot('network-applications', networkAdmin.page);
  await networkAdmin.page.goto('/network/members');
  await networkAdmin.page.getByRole('row').nth(5).waitFor();
  await shoot('network-members', networkAdmin.page);
  await networkAdmin.page.goto('/network/code-of-conduct');
  await networkAdmin.page.getByText(/Not yet accepted/).waitFor();
  await shoot('network-code', networkAdmin.page);
  await networkAdmin.context.close();
  await (await networkAdminDecidesInArabic(chromium.browser, network.console, shoot)).context.close();
  await (await funderReadsInsights(chromium.browser, network.console, shoot)).context.close();
  console.log(`wrote ${new Set(written).size} screenshots to ${OUT}`);
} finally {
  await chromium.close();
  await network.stop();
}
