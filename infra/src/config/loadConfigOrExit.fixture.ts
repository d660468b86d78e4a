// Run by loadConfig.unit.spec.ts in a child process: a service main that reads its configuration.
import { baseConfigSchema } from './baseConfig.js';
import { loadConfigOrExit } from './loadConfig.js';

loadConfigOrExit(baseConfigSchema);
console.log('started');
