import { ConfigError } from '@estia/infra/config/loadConfig.js';
import { isAppError } from '@estia/infra/errors/appError.js';
import { parseAsOf } from './asOf.js';
import { loadCaseHistory } from './caseHistory.js';
import { formatChain, formatHistory } from './formatHistory.js';
import { AuditSetupError, openAuditStores } from './openAuditStores.js';
import { verifyAllStreams, verifyCase } from './verifyCase.js';

export const AUDIT_USAGE = `usage:
  pnpm run audit replay <clientId> [--as-of YYYY-MM-DD | --as-of 2025-03-01T12:00:00Z]
  pnpm run audit verify <clientId>      hash chains of one client's case
  pnpm run audit verify [--all]         hash chains of every stream
Opens the referrals store named by DATA_DIR / EVENT_STORE / PG_URL (as the service does), read-only.
Exit codes: 0 ok, 1 a hash chain is broken, 2 bad arguments or setup.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UsageError extends Error {}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

type Command = { kind: 'replay'; clientId: string; asOf?: string } | { kind: 'verify'; clientId?: string };

function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  let asOf: string | undefined;
  let all = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--as-of' || arg.startsWith('--as-of=')) {
      const value = arg === '--as-of' ? rest[++i] : arg.slice('--as-of='.length);
      if (value === undefined || value === '') throw new UsageError('--as-of needs a date');
      asOf = parseAsOf(value, '--as-of');
    } else if (arg === '--all') all = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const clientIdFrom = (value: string | undefined): string => {
    if (value === undefined) throw new UsageError(`${command} needs a client id`);
    if (!UUID.test(value)) throw new UsageError(`client id ${JSON.stringify(value)} is not a UUID`);
    return value;
  };
  if (positional.length > 1) throw new UsageError(`unexpected argument ${positional[1]}`);
  switch (command) {
    case 'replay':
      if (all) throw new UsageError('--all is for verify');
      return { kind: 'replay', clientId: clientIdFrom(positional[0]), ...(asOf === undefined ? {} : { asOf }) };
    case 'verify':
      if (asOf !== undefined) throw new UsageError('--as-of is for replay (a chain is verified whole)');
      if (all && positional.length > 0) throw new UsageError('give a client id or --all, not both');
      return positional.length > 0 ? { kind: 'verify', clientId: clientIdFrom(positional[0]) } : { kind: 'verify' };
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

/**
 * `pnpm run audit` (bare `pnpm audit` is pnpm's own vulnerability check): replay a client's case as of a date, verify hash chains. Returns the exit code; every
 * refusal is one line on stderr (no stack trace, nothing opened for writing).
 */
export async function runAuditCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: Output,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(AUDIT_USAGE);
    return 0;
  }
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    io.err(`audit: ${error instanceof Error ? error.message : String(error)} (see --help)`);
    return 2;
  }
  let stores;
  try {
    stores = await openAuditStores(env, { withKeys: command.kind === 'replay' });
  } catch (error) {
    if (error instanceof AuditSetupError || error instanceof ConfigError || isAppError(error)) {
      io.err(`audit: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    if (command.kind === 'replay') {
      const history = await loadCaseHistory(
        stores.store,
        stores.keyStore!,
        command.clientId,
        command.asOf === undefined ? {} : { asOf: command.asOf },
      );
      if (!history) {
        io.err(`audit: client ${command.clientId} not found`);
        return 2;
      }
      io.out(formatHistory(history));
      return 0;
    }
    if (command.clientId !== undefined) {
      const result = await verifyCase(stores.store, command.clientId);
      if (!result) {
        io.err(`audit: client ${command.clientId} not found`);
        return 2;
      }
      for (const chain of result.chains) io.out(formatChain(chain));
      io.out(result.ok ? `all ${result.chains.length} chains intact` : 'HASH CHAIN BROKEN');
      return result.ok ? 0 : 1;
    }
    const { streams, broken } = await verifyAllStreams(stores.store, (chain) => {
      if (!chain.ok) io.out(formatChain(chain));
    });
    io.out(
      broken.length === 0
        ? `all ${streams} streams intact`
        : `HASH CHAIN BROKEN in ${broken.length} of ${streams} streams`,
    );
    return broken.length === 0 ? 0 : 1;
  } finally {
    await stores.close();
  }
}
