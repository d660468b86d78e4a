/**
 * The console as people use it: the real network (`pnpm start`: three services and the console, embedded
 * stores in a temporary DATA_DIR, random ports) driven through Debian's Chromium. One browser for the file.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './accessibility.js';
import { newPage } from './browser.js';
import { browserSuite } from './browserSuite.js';
import {
  DEMO_PASSWORD,
  RECEIVER,
  receiverCompletesInArabic,
  RECEIVING_SERVICE,
  senderRefers,
} from './officerJourney.js';
import { auditorReviews, dpoErases } from './oversightJourneys.js';
import { coachReadsInArabic, coachWorks } from './coachJourney.js';

const suite = browserSuite();
const { violations, axeAt } = suite;
let sender: Awaited<ReturnType<typeof senderRefers>>;
let requester: Awaited<ReturnType<typeof newPage>> | undefined;

describe('the console, end to end in a browser', () => {
  it('prints its URL first, like the services', () => {
    const lines = suite.network.output().split('\n');
    const first = lines.findIndex((l) => /^\s+\w+\s+http:\/\//.test(l));
    expect(lines[first]).toMatch(/^\s+console\s+http:\/\/127\.0\.0\.1:\d+/);
  });

  it('an officer registers a client, records consent, refers and writes — with the keyboard alone', async () => {
    sender = await senderRefers(suite.chromium.browser, suite.network.console, axeAt);
    expect(sender.referralUrl).toMatch(/\/referrals\/[0-9a-f-]{36}$/);
    expect(sender.errors).toEqual([]);
  }, 180_000);

  it('the receiver works it in Arabic, right to left: accepts, starts, answers, completes', async () => {
    const receiver = await receiverCompletesInArabic(suite.chromium.browser, suite.network.console, axeAt);
    const page = receiver.page;
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    // Mirrored: the brand sits at the right edge, the navigation to its left, text starts on the right.
    const width = page.viewportSize()!.width;
    const brand = (await page.locator('.brand').boundingBox())!;
    const nav = (await page.getByRole('navigation').first().boundingBox())!;
    expect(brand.x + brand.width).toBeGreaterThan(width - 60);
    expect(nav.x + nav.width).toBeLessThan(brand.x);
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).direction)).toBe('rtl');
    expect(receiver.errors).toEqual([]);
    await receiver.context.close();
  }, 120_000);

  it('the sender sees the loop closed: completed, with the receiver’s answer in the thread', async () => {
    const page = sender.page;
    await page.goto(sender.referralUrl);
    await page.locator('.page-header .badge', { hasText: 'Completed' }).waitFor({ timeout: 15_000 });
    await page.getByText('استلمنا الإحالة، الموعد يوم الاثنين.').waitFor();
    await page.getByText('Need met').first().waitFor();
    await page.goto('/referrals?box=outbox&status=completed');
    await page.getByRole('button', { name: /Completed\s*\d+/, pressed: true }).waitFor();
    await page.locator(`a[href="${new URL(sender.referralUrl).pathname}"]`).waitFor();
    // Every move is on the timeline, with who did it.
    await page.goto(sender.referralUrl);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    for (const status of ['Waiting for an answer', 'Accepted', 'In progress', 'Completed'])
      await timeline.locator('.badge', { hasText: status }).first().waitFor();
    await timeline.getByText('Open Doors Athens (demo)').first().waitFor();
  }, 60_000);

  it("a refused field is named in the reader's language, right to left, without the service's English", async () => {
    const { context, page, errors } = await newPage(suite.chromium.browser, {
      baseURL: suite.network.console,
      locale: 'ar',
    });
    await page.goto('/sign-in');
    await page.getByLabel('البريد الإلكتروني').fill(RECEIVER);
    await page.getByLabel('كلمة المرور').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.waitForURL('**/caseload');
    await page.goto('/clients/new');
    const form = page.getByRole('form', { name: 'تسجيل مستفيد' });
    // Everything but the family name, as in the English journey.
    await form.getByLabel('الاسم الأول').fill('Amira');
    await form.getByLabel('تاريخ الميلاد').fill('1990-03-15');
    await form.getByLabel('الجنسية').selectOption('SY');
    await form.getByLabel('اللغة', { exact: true }).selectOption('ar');
    await form.getByLabel(/^الوضع(\s|$)/).selectOption('refugee');
    await form.getByRole('button', { name: 'تسجيل', exact: true }).click();
    const familyName = form.getByLabel('اسم العائلة');
    await form.locator('[aria-invalid="true"]').first().waitFor();
    const describedBy = (await familyName.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId, 'an error described next to the family name').toBeDefined();
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toContain('هذا الحقل مطلوب.');
    const alert = form.getByRole('alert');
    expect(await alert.innerText()).toContain('بعض البيانات تحتاج إلى مراجعة.');
    expect(await form.innerText()).not.toMatch(/must|is required|characters/);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await axeAt('register-error-ar', page);
    await page.screenshot({ path: join(tmpdir(), 'estia-register-error-ar.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('another member registering the same person is told they may already be known, and asks for access', async () => {
    const { context, page, errors } = await newPage(suite.chromium.browser, { baseURL: suite.network.console });
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(RECEIVER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/caseload');
    await page.goto('/clients/new');
    const form = page.getByRole('form', { name: 'Register a client' });
    await form.getByLabel('Given names').fill('Amira');
    await form.getByLabel('Family name').fill('Haddad');
    await form.getByLabel('Date of birth').fill('1990-03-15');
    await form.getByLabel('Nationality').selectOption('SY');
    await form.getByLabel('Language', { exact: true }).selectOption('ar');
    await form.getByLabel('Status').selectOption('refugee');
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'This person may already be known in the network' }).waitFor();
    await axeAt('register-duplicate', page);
    await page.getByRole('button', { name: 'Request access' }).click();
    await page.getByText('Your request was sent. The case opens for you once the holder approves it.').waitFor();
    await page.getByRole('link', { name: 'Access requests' }).click();
    await page.getByRole('link', { name: 'Sent' }).click();
    await page.getByText('Waiting').first().waitFor();
    requester = { context, page, errors };
  }, 60_000);

  it("the holder approves it on its access requests, with the client's consent; the requester opens the case", async () => {
    const page = sender.page;
    await page.goto('/caseload');
    await page.getByRole('link', { name: 'Access requests' }).click();
    const card = page.getByRole('listitem').filter({ hasText: 'Open Doors Athens (demo)' }).first();
    await card.getByRole('button', { name: 'Approve with consent' }).click();
    await axeAt('access-requests', page);
    await card.getByLabel('How the client consented').selectOption({ index: 1 });
    await card.getByRole('button', { name: 'Approve with consent' }).click();
    await card.getByText('Approved').waitFor();

    const { context, page: other, errors } = requester!;
    await other.reload();
    await other.getByText('Approved').first().waitFor();
    await other.getByRole('link', { name: 'Open the case' }).first().click();
    await other.getByRole('heading', { name: /Amira/ }).first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('the public directory is searchable without signing in: category, language, area, intake', async () => {
    const { context, page, errors } = await newPage(suite.chromium.browser, { baseURL: suite.network.console });
    await page.goto('/directory');
    const filters = page.getByRole('form', { name: 'Search services' });
    await filters.getByLabel('Category').selectOption({ label: 'Legal aid' });
    await filters.getByLabel('Language spoken').selectOption({ label: 'Arabic' });
    await filters.getByLabel('Area').selectOption({ label: 'Attica' });
    await filters.getByLabel('Only services taking clients now').check();
    await page.getByRole('heading', { name: RECEIVING_SERVICE }).waitFor();
    await page.getByText('Open Doors Athens (demo)').first().waitFor();
    expect(page.url()).toMatch(/category=legal.*language=ar.*region=EL30.*open=true/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('the language is chosen with the control labelled "Language" and remembered', async () => {
    const page = sender.page;
    await page.goto('/caseload');
    await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Français' });
    await page.getByRole('heading', { name: 'Dossiers' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Dossiers' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'fr',
      'ltr',
    ]);
    await page.getByLabel('Langue', { exact: true }).selectOption({ label: 'فارسی' });
    await page.getByRole('heading', { name: 'پرونده‌ها' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByLabel('زبان', { exact: true }).selectOption({ label: 'English' });
  }, 60_000);

  it('keeps the token on the server: httpOnly SameSite=Strict cookie, CSRF and Origin checks, CSP without inline code', async () => {
    const page = sender.page;
    const cookies = await sender.context.cookies();
    const session = cookies.find((c) => c.name === 'estia_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('estia_session');
    const answer = await page.evaluate(async () => {
      const session = await (await fetch('/api/session')).text();
      const noToken = await fetch('/api/referrals/v1/clients', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { session, noTokenStatus: noToken.status };
    });
    expect(answer.session).not.toMatch(/access_token|eyJ[A-Za-z0-9_-]+\./);
    expect(answer.noTokenStatus).toBe(403);
    const foreign = await fetch(`${suite.network.console}/api/referrals/v1/clients`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        cookie: `estia_session=${session.value}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const headers = (await fetch(`${suite.network.console}/caseload`)).headers;
    const csp = headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    // Only the contract's operations pass: a service's docs or metrics are not reachable through the console.
    expect((await fetch(`${suite.network.console}/api/referrals/docs`)).status).toBe(404);
  }, 60_000);

  it('the auditor reviews: who overrode consent and why, a case with its chain verified and as of a date, their own reads — keyboard only', async () => {
    const auditor = await auditorReviews(suite.chromium.browser, suite.network.console, axeAt);
    expect(auditor.errors).toEqual([]);
    await auditor.context.close();
  }, 120_000);

  it("the holder's data protection officer erases the client with a reason and gets a receipt — keyboard only", async () => {
    const dpo = await dpoErases(suite.chromium.browser, suite.network.console, 'Amira', axeAt);
    // Gone for the officers too: the case answers that it was erased.
    await sender.page.goto(sender.clientUrl);
    await sender.page.getByText('This case was erased.').first().waitFor({ timeout: 15_000 });
    expect(dpo.errors).toEqual([]);
    await dpo.context.close();
  }, 120_000);

  it('the job coach publishes, reads explained matches and why-not, records a follow-up due — keyboard only', async () => {
    const coach = await coachWorks(suite.chromium.browser, suite.network.console, axeAt);
    expect(coach.errors).toEqual([]);
    await coach.context.close();
  }, 180_000);

  it('the job coach in Arabic: the pipeline and why-not right to left', async () => {
    const coach = await coachReadsInArabic(suite.chromium.browser, suite.network.console, axeAt);
    const page = coach.page;
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    // Mirrored: the brand at the right edge, the answer's text running right to left.
    const width = page.viewportSize()!.width;
    const brand = (await page.locator('.brand').boundingBox())!;
    expect(brand.x + brand.width).toBeGreaterThan(width - 60);
    expect(
      await page
        .locator('.reasons')
        .first()
        .evaluate((l) => getComputedStyle(l).direction),
    ).toBe('rtl');
    expect(coach.errors).toEqual([]);
    await coach.context.close();
  }, 120_000);

  it('every screen has no serious or critical accessibility violation (axe-core)', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(27);
    const found = Object.entries(violations).filter(([, list]) => list.length > 0);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });

  it('signing out ends the session on the server', async () => {
    const page = sender.page;
    const cookie = (await sender.context.cookies()).find((c) => c.name === 'estia_session')!.value;
    await page.goto('/caseload');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    const replay = await fetch(`${suite.network.console}/api/session`, {
      headers: { cookie: `estia_session=${cookie}` },
    });
    expect(replay.status).toBe(401);
    await page.goto('/caseload');
    await page.waitForURL('**/sign-in?**');
    expect(sender.errors).toEqual([]);
    await sender.context.close();
  }, 60_000);
});
