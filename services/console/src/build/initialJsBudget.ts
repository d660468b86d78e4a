import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Initial JavaScript a first visit downloads, gzipped: the entry chunk and everything it imports statically. */
export const INITIAL_JS_BUDGET_BYTES = 250 * 1024;

interface ChunkLike {
  type: 'chunk';
  isEntry: boolean;
  imports: string[];
  code: string;
}

/** Sums the gzipped size of the entry chunks and their static imports (lazy routes and catalogues excluded). */
export const initialJsBytes = (bundle: Record<string, { type: string }>): { bytes: number; files: string[] } => {
  const chunks = bundle as Record<string, ChunkLike | { type: 'asset' }>;
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const chunk = chunks[name];
    if (seen.has(name) || !chunk || chunk.type !== 'chunk') return;
    seen.add(name);
    for (const imported of chunk.imports) visit(imported);
  };
  for (const [name, chunk] of Object.entries(chunks)) if (chunk.type === 'chunk' && chunk.isEntry) visit(name);
  let bytes = 0;
  for (const name of seen) bytes += gzipSync((chunks[name] as ChunkLike).code, { level: 9 }).byteLength;
  return { bytes, files: [...seen].sort() };
};

/** Fails the build when the initial JavaScript grows past the budget, naming the figure and the files. */
export const initialJsBudget = (budgetBytes = INITIAL_JS_BUDGET_BYTES, report?: (bytes: number) => void): Plugin => ({
  name: 'estia-initial-js-budget',
  apply: 'build',
  generateBundle(_options, bundle) {
    const { bytes, files } = initialJsBytes(bundle);
    report?.(bytes);
    if (bytes > budgetBytes)
      this.error(
        `initial JavaScript is ${(bytes / 1024).toFixed(1)} KB gzipped, over the ${(budgetBytes / 1024).toFixed(0)} KB budget (${files.join(', ')})`,
      );
  },
});
