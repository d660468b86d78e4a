import { launchBrowser, newPage } from './browser.js';
const base = process.env.BASE ?? 'http://127.0.0.1:3100';
const [email, ...paths] = process.argv.slice(2);
const b = await launchBrowser();
const { page, errors } = await newPage(b.browser, { baseURL: base });
await page.goto('/sign-in');
await page.getByLabel('Email').fill(email!);
await page.getByLabel('Password').fill('estia-demo-password');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((u) => !u.pathname.includes('sign-in'));
for (const p of paths) {
  const [path, name, click] = p.split('|');
  await page.goto(path!);
  await page.waitForLoadState('networkidle');
  if (click) {
    await page.getByRole('link', { name: click }).first().click();
    await page.waitForLoadState('networkidle');
  }
  await page.waitForTimeout(400);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
console.log(errors.join('\n'));
await b.close();
