import type { Browser, Page } from 'playwright-core';
import { keyFill, keyPress, keySelect } from './keyboard.js';
import { newPage } from './browser.js';
import { DEMO_PASSWORD, type Checkpoint } from './officerJourney.js';

/** The job coach of an Athens member of the demo network (its clients agreed to job matching). */
export const COACH = 'coach@open-doors-0.demo.estia.example';
export const NEW_OPPORTUNITY = 'Carpenter, kitchen refit in Piraeus';

const waitForText = (page: Page, text: string | RegExp) => page.getByText(text).first().waitFor({ timeout: 20_000 });

const signIn = async (page: Page, email: string) => {
  await page.goto('/sign-in');
  await keyFill(page, page.getByLabel('Email'), email);
  await keyFill(page, page.getByLabel('Password'), DEMO_PASSWORD);
  await keyPress(page, page.getByRole('button', { name: 'Sign in' }));
};

/**
 * The job coach's day, keyboard only: lands on the opportunities with the follow-ups due; publishes an
 * opportunity (a missing title is shown next to its field), finds ESCO terms by typing, reads its matches
 * explained; sees the candidate who matches nothing and why, asks why-not for a candidate and an
 * opportunity; reads a candidate's matches with the score's parts as bars with their values written out;
 * records a follow-up that is due in the pipeline; closes the opportunity with a reason.
 */
export const coachWorks = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'en-GB' });
  await signIn(page, COACH);
  await page.waitForURL('**/coach/opportunities');
  await page.getByRole('heading', { name: 'Opportunities', level: 1 }).waitFor();
  const counts = page.getByRole('group', { name: 'Your work at a glance' });
  await counts.getByText('Follow-ups due').waitFor();
  await waitForText(page, /— Athens \(demo\)/);
  // Every publisher's name has arrived (each is read once from the directory).
  await page.waitForFunction(() => Array.from(document.querySelectorAll('td bdi')).every((b) => b.textContent !== '…'));
  await checkpoint('coach-opportunities', page);

  // Publish: the title left empty first, the service's answer appears next to that field.
  await keyPress(page, page.getByRole('link', { name: 'Publish an opportunity' }));
  await page.waitForURL('**/coach/opportunities/new');
  const form = page.getByRole('form', { name: 'Publish an opportunity' });
  await keyFill(page, form.getByLabel('Find: Occupation (ESCO)'), 'carpenter');
  await keyPress(page, form.getByRole('button', { name: 'Add carpenter', exact: true }));
  await keyFill(page, form.getByLabel('Find: Essential skills (ESCO)'), 'install wood elements');
  await keyPress(page, form.getByRole('button', { name: /^Add install wood elements/ }).first());
  await keySelect(page, form.getByLabel('Language', { exact: true }), 'Greek');
  await keySelect(page, form.getByLabel('At least (CEFR)'), 'A2');
  await keyPress(page, form.getByRole('button', { name: 'Add the language' }));
  await keyFill(page, form.getByLabel('Positions'), '2');
  await keyFill(page, form.getByLabel('Amount'), '1200');
  await keyPress(page, form.getByRole('button', { name: 'Publish', exact: true }));
  const title = form.getByLabel('Title');
  await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
  const describedBy = (await title.getAttribute('aria-describedby')) ?? '';
  if (!describedBy.includes('-error')) throw new Error('no error next to Title');
  await checkpoint('coach-opportunity-form', page);
  await keyFill(page, title, NEW_OPPORTUNITY);
  await keyPress(page, form.getByRole('button', { name: 'Publish', exact: true }));
  await page.waitForURL(/\/coach\/opportunities\/[0-9a-f-]{36}$/);
  const opportunityUrl = page.url();
  await page.getByRole('heading', { name: NEW_OPPORTUNITY }).waitFor();
  const matches = page.getByRole('region', { name: 'Best candidates, explained' });
  // Never silently empty: matches or the words that say why there are none, and the score floor.
  await matches.getByText(/Matches scoring below/).waitFor();
  await checkpoint('coach-opportunity', page);

  // Edit: one more position.
  await keyPress(page, page.getByRole('link', { name: 'Edit', exact: true }));
  await page.waitForURL(/\/edit$/);
  const edit = page.getByRole('form', { name: 'Edit the opportunity' });
  await keyFill(page, edit.getByLabel('Positions'), '3');
  await keyPress(page, edit.getByRole('button', { name: 'Save the changes' }));
  await page.waitForURL(/\/coach\/opportunities\/[0-9a-f-]{36}$/);
  await waitForText(page, '0 of 3 filled');

  // The candidates: one matches nothing, and the list says why.
  await keyPress(page, page.getByRole('link', { name: 'Candidates', exact: true }));
  await page.waitForURL('**/coach/candidates');
  const blocked = page.getByRole('listitem').filter({ hasText: 'This candidate matches nothing' }).first();
  await blocked.getByText('Right to work unknown').waitFor({ timeout: 20_000 });
  await checkpoint('coach-candidates', page);

  // Why not, for that candidate and the opportunity just published.
  await keyPress(page, blocked.getByRole('link', { name: 'Why not…' }));
  await page.waitForURL(/\/coach\/why-not\?clientId=/);
  await keySelect(page, page.getByLabel('Opportunity', { exact: true }), NEW_OPPORTUNITY);
  await keyPress(page, page.getByRole('button', { name: 'Explain' }));
  const answer = page.getByRole('region', { name: 'The answer' });
  await answer.getByText(/They are kept apart by/).waitFor({ timeout: 20_000 });
  await answer.getByText('Right to work unknown').first().waitFor();
  await answer
    .getByText(/consent to job matching does not share the dates/)
    .first()
    .waitFor();
  await checkpoint('coach-why-not', page);

  // A candidate who matches: their best opportunities, one explained.
  await keyPress(page, page.getByRole('link', { name: 'Candidates', exact: true }));
  const matched = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: 'Matches' }) })
    .filter({ hasNotText: 'This candidate matches nothing' })
    .first();
  await keyPress(page, matched.getByRole('link', { name: 'Matches' }));
  await page.waitForURL(/\/coach\/candidates\/[0-9a-f-]{36}$/);
  const best = page.getByRole('region', { name: 'Best opportunities, explained' });
  await best.getByText(/Matches scoring below/).waitFor({ timeout: 20_000 });
  const why = best.locator('summary', { hasText: 'Why this match' }).first();
  if ((await why.count()) > 0) {
    await keyPress(page, why);
    await best
      .getByRole('list', { name: 'Parts of the score' })
      .first()
      .getByText(/fits .* · gives/)
      .first()
      .waitFor();
    await best.getByText('Essential skills missing').first().waitFor();
  }
  await checkpoint('coach-candidate', page);

  // The pipeline: the follow-ups due, one recorded.
  await keyPress(page, page.getByRole('link', { name: 'Pipeline', exact: true }));
  await page.waitForURL('**/coach/pipeline');
  for (const stage of ['Proposed', 'Applied', 'Interview', 'Hired'])
    await page.getByRole('heading', { name: new RegExp(`^${stage}`), level: 2 }).waitFor();
  await waitForText(page, /3-month follow-up, due .*: due now/);
  await checkpoint('coach-pipeline', page);
  await keyPress(page, page.getByRole('link', { name: /^Follow-ups due/ }));
  await page.waitForURL(/followUpDue=true/);
  const due = page.getByRole('listitem').filter({ hasText: 'due now' }).first();
  await keyPress(page, due.getByRole('button', { name: 'Record the follow-up' }));
  await keySelect(page, due.getByLabel('Still employed?'), 'Yes');
  await keyPress(page, due.getByRole('button', { name: 'Record the follow-up' }));
  // Recorded: it leaves the follow-ups due, and the pipeline shows it recorded.
  await waitForText(page, 'No follow-up is due: every one due has been recorded.');
  await keyPress(page, page.getByRole('link', { name: /^Hired/ }));
  await waitForText(page, /3-month follow-up, due .*: recorded/);

  // Close the opportunity published today, with a reason.
  await page.goto(opportunityUrl);
  await keyPress(page, page.getByRole('button', { name: 'Close…' }));
  await keyFill(page, page.getByLabel('Why it closes'), 'The client hired someone through their own network.');
  await keyPress(page, page.getByRole('button', { name: 'Close for good' }));
  await page.locator('h1 .badge', { hasText: 'Closed' }).waitFor({ timeout: 20_000 });
  return { context, page, errors, opportunityUrl };
};

/** The coach in Arabic, right to left: the pipeline and a why-not answer, mirrored. */
export const coachReadsInArabic = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'ar' });
  await page.goto('/sign-in');
  await page.getByLabel('البريد الإلكتروني').fill(COACH);
  await page.getByLabel('كلمة المرور').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await page.waitForURL('**/coach/opportunities');
  await page.getByRole('heading', { name: 'الفرص', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'مسار التوظيف', exact: true }).click();
  await page.getByRole('heading', { name: 'مسار التوظيف', level: 1 }).waitFor();
  await waitForText(page, /متابعة بعد/);
  await checkpoint('coach-pipeline-ar', page);
  await page.getByRole('link', { name: 'المرشحون', exact: true }).click();
  const blocked = page.getByRole('listitem').filter({ hasText: 'الحق في العمل غير معروف' }).first();
  await blocked.waitFor({ timeout: 20_000 });
  await blocked.getByRole('link', { name: 'لماذا لا…' }).click();
  await page.getByLabel('الفرصة', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('button', { name: 'اشرح' }).click();
  await page.getByRole('region', { name: 'الجواب' }).getByText('الحق في العمل غير معروف').first().waitFor();
  await checkpoint('coach-why-not-ar', page);
  return { context, page, errors };
};
