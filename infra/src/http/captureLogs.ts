import { Writable } from 'node:stream';

/** A pino destination that keeps every line, for tests that assert on what was (not) logged. */
export const captureLogs = (): {
  destination: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} => {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = (): string => chunks.join('');
  const lines = (): Record<string, unknown>[] =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { destination, lines, text };
};
