/**
 * `pnpm run audit replay <clientId> [--as-of DATE]` and `pnpm run audit verify [<clientId> | --all]`: the
 * auditor's view of the referrals log, opened read-only where the service keeps it (see --help).
 */
import { runAuditCli } from '../services/referrals/src/audit/auditCli.js';

const code = await runAuditCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
