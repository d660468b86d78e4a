import type { Browser, Page } from 'playwright-core';
import { keyDate, keyFill, keyPress, keySelect } from './keyboard.js';
import { newPage } from './browser.js';

export const DEMO_PASSWORD = 'estia-demo-password';
/** Two Athens members of the fictional demo network: the sender has no legal service of its own, the receiver does. */
export const SENDER = 'officer@kyma-aid-6.demo.estia.example';
export const RECEIVER = 'officer@open-doors-0.demo.estia.example';
export const RECEIVING_SERVICE = 'Legal — Athens';

/** Called at every main screen: the test runs axe there, the guide script takes its screenshot. */
export type Checkpoint = (name: string, page: Page) => Promise<void>;

export interface JourneyResult {
  referralUrl: string;
  errors: string[];
}

const waitForText = (page: Page, text: string | RegExp) => page.getByText(text).first().waitFor({ timeout: 15_000 });

/**
 * The referral officer's day as far as the API goes today: sign in, register a client (and see a field
 * error next to its field), record consent, assess a need, pick a suggested service, refer, write to
 * the receiver. Keyboard only: every control is reached with Tab and worked with keys.
 */
export const senderRefers = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'en-GB' });
  await page.goto('/sign-in');
  await checkpoint('sign-in', page);
  await keyFill(page, page.getByLabel('Email'), SENDER);
  await keyFill(page, page.getByLabel('Password'), DEMO_PASSWORD);
  await keyPress(page, page.getByRole('button', { name: 'Sign in' }));
  await page.waitForURL('**/caseload');
  await waitForText(page, 'Waiting for your answer');
  await checkpoint('caseload', page);

  await keyPress(page, page.getByRole('link', { name: 'Register a client' }));
  await page.waitForURL('**/clients/new');
  const form = page.getByRole('form', { name: 'Register a client' });
  await keyFill(page, form.getByLabel('Given names'), 'Amira');
  await keyDate(page, form.getByLabel('Date of birth'), '1990-03-15');
  await keySelect(page, form.getByLabel('Nationality'), 'Syria');
  await keySelect(page, form.getByLabel('Language', { exact: true }), 'Arabic');
  await keySelect(page, form.getByLabel('Level (CEFR)'), 'C2');
  await keyPress(page, form.getByLabel('First language'), 'Space');
  await keySelect(page, form.getByLabel('Status'), 'Refugee');
  await keyDate(page, form.getByLabel('Residence permit valid from'), '2025-01-10');
  await keyDate(page, form.getByLabel('Residence permit valid until'), '2028-01-09');
  await checkpoint('register', page);
  // The family name is left empty: the service's answer must appear next to that field.
  await keyPress(page, form.getByRole('button', { name: 'Register' }));
  const familyName = form.getByLabel('Family name');
  await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
  const describedBy = await familyName.getAttribute('aria-describedby');
  const fieldError = describedBy
    ? await page.locator(`[id="${describedBy.split(' ').find((id) => id.endsWith('-error'))}"]`).innerText()
    : '';
  if (!/empty|required/i.test(fieldError)) throw new Error(`no error next to Family name (got "${fieldError}")`);
  await checkpoint('register-error', page);
  await keyFill(page, familyName, 'Haddad');
  await keyPress(page, form.getByRole('button', { name: 'Register' }));
  await page.waitForURL(/\/clients\/[0-9a-f-]{36}$/);
  await waitForText(page, 'Your organisation holds this case');
  const clientUrl = page.url();

  await keyPress(page, page.getByRole('button', { name: 'Record a consent' }));
  const consent = page.getByRole('form', { name: 'Record a consent' });
  await keyFill(page, consent.getByLabel('Find an organisation'), 'Open Doors');
  await consent.getByRole('option', { name: 'Open Doors Athens (demo)' }).waitFor({ state: 'attached' });
  await keySelect(page, consent.getByLabel('Organisation', { exact: true }), 'Open Doors Athens');
  await checkpoint('consent', page);
  await keyPress(page, consent.getByRole('button', { name: 'Record the consent' }));
  await waitForText(page, 'In force');

  await keyPress(page, page.getByRole('button', { name: 'Assess a need' }));
  const need = page.getByRole('form', { name: 'Assess a need' });
  await keySelect(page, need.getByLabel('Need'), 'Legal aid');
  await keySelect(page, need.getByLabel('Priority'), 'High');
  await keyPress(page, need.getByRole('button', { name: 'Record the need' }));
  await page.getByRole('link', { name: 'Find services' }).waitFor();
  await checkpoint('client', page);

  await keyPress(page, page.getByRole('link', { name: 'Find services' }));
  await page.waitForURL('**/suggestions');
  await waitForText(page, RECEIVING_SERVICE);
  await checkpoint('suggestions', page);
  await keyPress(page, page.getByRole('link', { name: `Refer to ${RECEIVING_SERVICE}` }));
  await page.waitForURL('**/refer?**');
  await waitForText(page, /Covered by the consent given on/);
  await keyFill(
    page,
    page.getByLabel('Message to the receiver'),
    'Needs advice on family reunification; speaks Arabic.',
  );
  await checkpoint('refer', page);
  await keyPress(page, page.getByRole('button', { name: 'Send the referral' }));
  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await waitForText(page, 'Waiting for an answer');
  const referralUrl = page.url();

  await keyFill(page, page.getByRole('textbox', { name: 'Write a message' }), 'Documents will follow by Friday.');
  await keyPress(page, page.getByRole('button', { name: 'Send the message' }));
  await waitForText(page, 'Documents will follow by Friday.');
  await checkpoint('referral', page);

  await page.goto('/referrals?box=outbox');
  await waitForText(page, 'Legal aid');
  await checkpoint('outbox', page);
  return { context, page, errors, referralUrl, clientUrl };
};

/**
 * The receiving officer, in Arabic (right to left): signs in with the Arabic labels, finds the referral
 * in the inbox, accepts it, starts, answers the thread and completes it with an outcome.
 */
export const receiverCompletesInArabic = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'ar' });
  await page.goto('/sign-in');
  await page.getByLabel('البريد الإلكتروني').fill(RECEIVER);
  await page.getByLabel('كلمة المرور').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await page.waitForURL('**/caseload');
  await waitForText(page, 'بانتظار ردّك');
  await checkpoint('caseload-ar', page);

  await page.getByRole('link', { name: 'الإحالات', exact: true }).click();
  await page.getByRole('link', { name: 'المساعدة القانونية' }).first().click();
  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await waitForText(page, 'بانتظار الرد');
  await waitForText(page, 'Documents will follow by Friday.');
  await checkpoint('referral-ar', page);

  const step = async (button: string, status: string, fill?: () => Promise<void>) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await fill?.();
    await page.getByRole('button', { name: `تأكيد: ${button}` }).click();
    await page.locator('.page-header .badge', { hasText: status }).waitFor({ timeout: 15_000 });
  };
  await step('قبول', 'مقبولة');
  await step('بدء العمل', 'قيد التنفيذ');
  await page.getByRole('textbox', { name: 'اكتب رسالة' }).fill('استلمنا الإحالة، الموعد يوم الاثنين.');
  await page.getByRole('button', { name: 'إرسال الرسالة' }).click();
  await waitForText(page, 'استلمنا الإحالة، الموعد يوم الاثنين.');
  await step('إكمال', 'مكتملة', async () => {
    await page.getByLabel('النتيجة').selectOption({ label: 'تمت تلبية الاحتياج' });
  });
  await checkpoint('referral-completed-ar', page);
  return { context, page, errors };
};
