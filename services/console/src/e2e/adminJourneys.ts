import type { Browser, Locator, Page } from 'playwright-core';
import { newPage } from './browser.js';
import { keyDate, keyFill, keyPress, keySelect, tabTo } from './keyboard.js';
import { DEMO_PASSWORD, type Checkpoint } from './officerJourney.js';

/** The org admin of a demo member that the officer's journey does not use. */
export const ORG_ADMIN = 'admin@safe-passage-1.demo.estia.example';
export const ORG_SERVICE = 'Asylum procedure — Thessaloniki';
/** The service the org admin registers. */
export const NEW_SERVICE = 'Employment support — Thessaloniki';
export const NETWORK_ADMIN = 'network-admin@demo.estia.example';
/** Two of the pending applications the demo seeds. */
export const APPROVED_APPLICANT = 'Harbour Legal Aid Collective Athens (demo)';
export const DECLINED_APPLICANT = 'Olive Tree Language School Thessaloniki (demo)';

const waitForText = (scope: Page | Locator, text: string | RegExp) =>
  scope.getByText(text).first().waitFor({ timeout: 15_000 });

const keyCheck = async (page: Page, target: Locator) => {
  await tabTo(page, target);
  await page.keyboard.press('Space');
};

/**
 * The org admin, keyboard only: lands on the organisation's profile (code of conduct accepted), corrects
 * its address and phone (a missing coordinate named at its field first), closes and reopens a service's
 * intake in one click each, edits its opening hours, registers a new service (a refused capacity named
 * at its field first), invites a person, creates an API client (the secret shown once), replaces its
 * secret and revokes it.
 */
export const orgAdminManages = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'en-GB' });
  await page.goto('/sign-in');
  await keyFill(page, page.getByLabel('Email'), ORG_ADMIN);
  await keyFill(page, page.getByLabel('Password'), DEMO_PASSWORD);
  await keyPress(page, page.getByRole('button', { name: 'Sign in' }));
  await page.waitForURL('**/organisation');
  await waitForText(page, 'Safe Passage Thessaloniki (demo)');
  await waitForText(page, /has accepted the current version/);
  await checkpoint('org-profile', page);

  // The admin keeps address and contacts true; who the organisation is stays as admitted.
  const profile = page.getByRole('region', { name: 'Profile' });
  await keyPress(page, profile.getByRole('button', { name: 'Edit profile' }));
  const profileForm = profile.getByRole('form', { name: 'Edit the organisation profile' });
  await keyFill(page, profileForm.getByLabel('Street and number'), 'Egnatia 154');
  await keyFill(page, profileForm.getByLabel('Phone'), '+30 2310 555 010');
  await checkpoint('org-profile-edit', page);
  await keyFill(page, profileForm.getByLabel('Latitude'), '');
  await keyPress(page, profileForm.getByRole('button', { name: 'Save' }));
  // An emptied coordinate is named next to its field and nothing is saved.
  await profileForm.locator('.field-error').first().waitFor();
  await checkpoint('org-profile-error', page);
  await keyFill(page, profileForm.getByLabel('Latitude'), '40.6264');
  await keyPress(page, profileForm.getByRole('button', { name: 'Save' }));
  await profileForm.waitFor({ state: 'detached' });
  await waitForText(profile, /Egnatia 154/);
  await waitForText(profile, '+30 2310 555 010');

  await keyPress(page, page.getByRole('link', { name: 'Services' }));
  const service = page.getByRole('region', { name: ORG_SERVICE });
  await keyPress(page, service.getByRole('button', { name: 'Close intake' }));
  await waitForText(service, 'Intake closed');
  await keyPress(page, service.getByRole('button', { name: 'Open intake' }));
  await service.getByRole('button', { name: 'Close intake' }).waitFor();
  await checkpoint('org-services', page);

  await keyPress(page, service.getByRole('button', { name: 'Edit the service' }));
  const form = service.getByRole('form', { name: 'Service details' });
  await keyFill(page, form.getByLabel('Answer within (hours)'), '36');
  await keyPress(page, form.getByRole('button', { name: 'Add opening hours' }).first());
  const closes = form.getByLabel('Closes (HH:MM)');
  await keyFill(page, closes.last(), '12:30');
  await checkpoint('org-service-edit', page);
  await keyPress(page, form.getByRole('button', { name: 'Save' }));
  await form.waitFor({ state: 'detached' });
  await waitForText(service, '36 hours');
  await waitForText(service, /09:00–12:30/);

  await keyPress(page, page.getByRole('button', { name: 'Add a service' }));
  const register = page.getByRole('form', { name: 'New service' });
  await keyFill(page, register.getByLabel('Name'), NEW_SERVICE);
  await keySelect(page, register.getByLabel('Category'), 'Employment');
  await keyFill(page, register.getByLabel('Description'), 'CVs, job search and interview practice.');
  await keyCheck(page, register.getByLabel('Refugee'));
  await keyCheck(page, register.getByLabel('Arabic', { exact: true }));
  await keyCheck(page, register.getByLabel('Central Macedonia'));
  await keyFill(page, register.getByLabel('Places free'), '12');
  await keyFill(page, register.getByLabel('Places in total'), '10');
  await keySelect(page, register.getByLabel('Intake'), 'Open');
  // Where people come: a place with its address and map position (its coordinates left empty at first).
  await keyPress(page, register.getByRole('button', { name: 'Add a location' }));
  await keyFill(page, register.getByLabel('Name of the place'), 'Kalamaria job club');
  await keyFill(page, register.getByLabel('Street and number'), 'Komninon 12');
  await keyFill(page, register.getByLabel('Postal code'), '55132');
  await keyFill(page, register.getByLabel('Town or city'), 'Kalamaria');
  await checkpoint('org-service-register', page);
  await keyPress(page, register.getByRole('button', { name: 'Register the service' }));
  // The contract refuses the empty map position first, at its field; nothing is registered.
  await register.locator('#f-details-locations-0-coordinates-latitude[aria-invalid="true"]').waitFor();
  await keyFill(page, register.getByLabel('Latitude'), '40.5823');
  await keyFill(page, register.getByLabel('Longitude'), '22.9506');
  await keyPress(page, register.getByRole('button', { name: 'Register the service' }));
  // Then the registry's own rule lands at the field it names, in the reader's words.
  await waitForText(register, 'Must be at most 10.');
  await checkpoint('org-service-register-error', page);
  await keyFill(page, register.getByLabel('Places free'), '10');
  await keyPress(page, register.getByRole('button', { name: 'Register the service' }));
  await register.waitFor({ state: 'detached' });
  await waitForText(page, `${NEW_SERVICE} is registered.`);
  const registered = page.getByRole('region', { name: NEW_SERVICE });
  await waitForText(registered, '10 of 10 places free');
  await waitForText(registered, 'Komninon 12, Kalamaria');
  await registered.getByRole('button', { name: 'Close intake' }).waitFor();

  await keyPress(page, page.getByRole('link', { name: 'People' }));
  await waitForText(page, 'Officer 2');
  await keyPress(page, page.getByRole('button', { name: 'Invite a person' }));
  const invite = page.getByRole('form', { name: 'Invite a person' });
  await keyFill(page, invite.getByLabel('Name'), 'Nadia Karimi');
  await keyFill(page, invite.getByLabel('Email'), 'nadia@safe-passage-1.demo.estia.example');
  await keyCheck(page, invite.getByLabel('Job coach'));
  await keyPress(page, invite.getByRole('button', { name: 'Send the invitation' }));
  await waitForText(page, 'Nadia Karimi is invited.');
  const person = page.getByRole('listitem').filter({ hasText: 'nadia@safe-passage-1.demo.estia.example' });
  await waitForText(person, 'Invited');
  await waitForText(person, 'Referral officer, Job coach');
  await checkpoint('org-people', page);

  await keyPress(page, page.getByRole('link', { name: 'API clients' }));
  await keyPress(page, page.getByRole('button', { name: 'Create an API client' }));
  const create = page.getByRole('form', { name: 'Create an API client' });
  await keyFill(page, create.getByLabel('Name of the system'), 'Case notes system');
  await keyCheck(page, create.getByLabel('Read referrals'));
  await keyPress(page, create.getByRole('button', { name: 'Create an API client' }));
  const secret = page.locator('code.secret');
  await secret.waitFor();
  const first = await secret.textContent();
  const client = page.getByRole('listitem').filter({ hasText: 'Case notes system' });
  await waitForText(client, 'Read the directory, Read referrals');
  await checkpoint('org-api-client-secret', page);
  await keyPress(page, page.getByRole('button', { name: 'I have copied it' }));
  await secret.waitFor({ state: 'detached' });

  await keyPress(page, client.getByRole('button', { name: 'Replace the secret' }));
  await secret.waitFor();
  const second = await secret.textContent();
  if (!first || !second || first === second) throw new Error('replacing the secret showed no new secret');
  await keyPress(page, page.getByRole('button', { name: 'I have copied it' }));
  await keyPress(page, client.getByRole('button', { name: 'Revoke…' }));
  await keyFill(page, client.getByLabel('Reason'), 'Replaced by the new case system');
  await keyPress(page, client.getByRole('button', { name: 'Revoke', exact: true }));
  await waitForText(client, 'Revoked');
  await checkpoint('org-api-clients', page);
  return { context, page, errors, secrets: [first, second] };
};

/**
 * The network admin in Arabic, right to left, keyboard only: approves one pending application with a
 * licence, declines another with a reason, finds the new member among the licences and sees it among
 * those that have not yet accepted the code of conduct.
 */
export const networkAdminDecidesInArabic = async (browser: Browser, baseURL: string, checkpoint: Checkpoint) => {
  const { context, page, errors } = await newPage(browser, { baseURL, locale: 'ar' });
  await page.goto('/sign-in');
  await keyFill(page, page.getByLabel('البريد الإلكتروني'), NETWORK_ADMIN);
  await keyFill(page, page.getByLabel('كلمة المرور'), DEMO_PASSWORD);
  await keyPress(page, page.getByRole('button', { name: 'تسجيل الدخول' }));
  await page.waitForURL('**/network/applications');
  const approved = page.getByRole('region', { name: APPROVED_APPLICANT });
  const declined = page.getByRole('region', { name: DECLINED_APPLICANT });
  await approved.waitFor();
  await declined.waitFor();
  await checkpoint('network-applications-ar', page);

  await keyPress(page, approved.getByRole('button', { name: 'موافقة…' }));
  await keyFill(page, approved.getByLabel('رقم الترخيص'), 'ESTIA-2026-101');
  await keyDate(page, approved.getByLabel('ساري حتى (آخر يوم)'), '2031-06-30');
  await checkpoint('network-approve-ar', page);
  await keyPress(page, approved.getByRole('button', { name: 'الموافقة بهذا الترخيص' }));
  await waitForText(page, `أصبحت ${APPROVED_APPLICANT} عضوًا.`);
  await approved.waitFor({ state: 'detached' });

  await keyPress(page, declined.getByRole('button', { name: 'رفض…' }));
  await keyFill(page, declined.getByLabel('السبب'), 'لا يوجد تسجيل لدى هيئة حماية البيانات.');
  await keyPress(page, declined.getByRole('button', { name: 'رفض', exact: true }));
  await waitForText(page, `رُفض طلب ${DECLINED_APPLICANT}.`);
  await declined.waitFor({ state: 'detached' });

  await keyPress(page, page.getByRole('link', { name: 'الأعضاء والتراخيص' }));
  const row = page.getByRole('row').filter({ hasText: APPROVED_APPLICANT });
  await row.waitFor();
  // Arabic digits or Latin ones, as Chromium's Intl writes them for `ar`.
  await waitForText(row, /2031|٢٠٣١/);
  await checkpoint('network-members-ar', page);

  await keyPress(page, page.getByRole('link', { name: 'مدونة السلوك' }));
  const current = page.getByRole('region', { name: /^النسخة (1|١)$/ });
  await waitForText(current, 'سارية');
  await waitForText(current, /لم تقبلها بعد \((1|١)\)/);
  await waitForText(current.getByRole('listitem').filter({ hasText: APPROVED_APPLICANT }), APPROVED_APPLICANT);
  await checkpoint('network-code-ar', page);
  return { context, page, errors };
};
