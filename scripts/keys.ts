/**
 * `pnpm run keys status | rotate | retire <version>`: master-key rotation for the referrals key store
 * (see --help). Re-wraps the per-client keys; never touches the events.
 */
import { runKeysCli } from '../services/referrals/src/keys/keysCli.js';

const code = await runKeysCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
