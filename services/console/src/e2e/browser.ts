/// <reference lib="dom" />
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ConsoleBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * One headless Chromium per spec file. Background networking is off: the machine has no way out,
 * and the browser must not try (nor phone home) during a test. Playwright gives every launch a new
 * empty profile directory of its own (it refuses a --user-data-dir argument) and deletes it on close.
 */
export const launchBrowser = async (): Promise<ConsoleBrowser> => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
};

/** A fresh context (own cookies and storage) in a language, with page errors collected for the test to check. */
export const newPage = async (
  browser: Browser,
  options: { locale?: string; baseURL: string },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> => {
  const context = await browser.newContext({
    baseURL: options.baseURL,
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A CSP violation or a failing script shows up here. The browser also logs every 4xx answer the
    // page handled itself (a field error, the session probe before sign-in): those are not failures.
    if (message.type() === 'error' && !/the server responded with a status of 4\d\d/.test(message.text()))
      errors.push(message.text());
  });
  return { context, page, errors };
};
