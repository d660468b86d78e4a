import type { ChainVerification, EventStore } from '@estia/infra/eventStore/types.js';
import { caseStreamIds } from './caseStreams.js';

export interface CaseVerification {
  clientId: string;
  ok: boolean;
  chains: ChainVerification[];
}

/** Verifies the hash chain of every stream of the client's case (streams that exist). Null if unknown. */
export async function verifyCase(store: EventStore, clientId: string): Promise<CaseVerification | null> {
  const streams = await caseStreamIds(store, clientId);
  const chains: ChainVerification[] = [];
  for (const streamId of streams) {
    const result = await store.verifyStream(streamId);
    if (result.events === 0 && result.ok) continue;
    chains.push(result);
  }
  if (!chains.some((c) => c.streamId === streams[0])) return null;
  return { clientId, ok: chains.every((c) => c.ok), chains };
}

/**
 * Every stream of the store, page by page (for `audit verify --all`). Calls `onChain` per stream so a
 * long log is reported as it goes; resolves with the count and the broken chains.
 */
export async function verifyAllStreams(
  store: EventStore,
  onChain: (result: ChainVerification) => void = () => {},
  pageSize = 500,
): Promise<{ streams: number; broken: ChainVerification[] }> {
  let after: string | undefined;
  let streams = 0;
  const broken: ChainVerification[] = [];
  for (;;) {
    const page = await store.listStreams({ ...(after === undefined ? {} : { after }), limit: pageSize });
    for (const streamId of page) {
      const result = await store.verifyStream(streamId);
      streams += 1;
      if (!result.ok) broken.push(result);
      onChain(result);
    }
    if (page.length < pageSize) return { streams, broken };
    after = page[page.length - 1];
  }
}
