import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { seriousViolations, type AxeViolation } from './accessibility.js';
import { launchBrowser, type ConsoleBrowser } from './browser.js';
import { startNetwork, type RunningNetwork } from './network.js';

export interface BrowserSuite {
  readonly network: RunningNetwork;
  readonly chromium: ConsoleBrowser;
  /** Serious or critical axe findings per screen checked, for the suite's last test to assert on. */
  readonly violations: Record<string, AxeViolation[]>;
  axeAt(name: string, page: Page): Promise<void>;
}

/**
 * A spec file's real network (`pnpm start`, the demo seeded, temporary DATA_DIR) and Debian's Chromium,
 * started before its tests and stopped after them; read `network` and `chromium` inside the tests.
 */
export function browserSuite(): BrowserSuite {
  let network: RunningNetwork | undefined;
  let chromium: ConsoleBrowser | undefined;
  const violations: Record<string, AxeViolation[]> = {};
  beforeAll(async () => {
    [network, chromium] = await Promise.all([startNetwork(), launchBrowser()]);
  }, 540_000);
  afterAll(async () => {
    await chromium?.close();
    await network?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser suite has not started');
    return value;
  };
  return {
    get network() {
      return started(network);
    },
    get chromium() {
      return started(chromium);
    },
    violations,
    async axeAt(name, page) {
      violations[name] = await seriousViolations(page);
    },
  };
}
