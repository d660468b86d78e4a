import type { Locator, Page } from 'playwright-core';

/**
 * Keyboard-only operation: Tab until the element has focus (proving it is reachable in the tab order),
 * then act with keys. No clicks, no programmatic focus.
 */
export const tabTo = async (page: Page, target: Locator, maxPresses = 150): Promise<void> => {
  await target.waitFor({ state: 'visible' });
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with the Tab key: ${target.toString()}`);
};

export const keyFill = async (page: Page, target: Locator, text: string): Promise<void> => {
  await tabTo(page, target);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
};

/**
 * A date field: its segments are typed in order. Chromium orders them by its own locale, which the
 * page cannot set, so day-first is tried, then (Shift+Tab back to the first segment) month-first.
 */
export const keyDate = async (page: Page, target: Locator, isoDate: string): Promise<void> => {
  const [year, month, day] = isoDate.split('-');
  await tabTo(page, target);
  await page.keyboard.type(`${day}${month}${year}`);
  if ((await target.inputValue()) === isoDate) return;
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type(`${month}${day}${year}`);
  const value = await target.inputValue();
  if (value !== isoDate) throw new Error(`typing ${isoDate} into a date field gave "${value}"`);
};

/** A closed <select> chooses by typing the start of an option's label, as people do. */
export const keySelect = async (page: Page, target: Locator, label: string): Promise<void> => {
  await tabTo(page, target);
  await page.keyboard.type(label, { delay: 20 });
  const chosen = await target.evaluate((element) => {
    const select = element as HTMLSelectElement;
    return select.options[select.selectedIndex]?.text ?? '';
  });
  if (!chosen.startsWith(label)) throw new Error(`typing "${label}" chose "${chosen}"`);
};

export const keyPress = async (page: Page, target: Locator, key: 'Enter' | 'Space' = 'Enter'): Promise<void> => {
  await tabTo(page, target);
  await page.keyboard.press(key);
};
