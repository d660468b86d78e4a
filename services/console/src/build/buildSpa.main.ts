/** `pnpm --filter @estia/console build`: builds the page, failing when the initial JavaScript is over budget. */
import { buildSpa } from './spaBuild.js';
import { INITIAL_JS_BUDGET_BYTES } from './initialJsBudget.js';

const { initialJsBytes } = await buildSpa();
console.log(
  `initial JavaScript: ${(initialJsBytes / 1024).toFixed(1)} KB gzipped (budget ${INITIAL_JS_BUDGET_BYTES / 1024} KB)`,
);
