// `npm run keys:rotate`: re-wraps every encrypted value to ENCRYPTION_ACTIVE_KEY (all keys still in
// ENCRYPTION_KEYS). Re-runnable. Prints only counts per key id.
import { configFromEnv, createContext, resolveDatabase } from '../bootstrap.js';
import { KeyRotationService } from '../common/crypto/key-rotation.service.js';

const { config, embedded } = await resolveDatabase({ ...configFromEnv(), jobsEnabled: false });
// An application context: the services and the database, no HTTP server.
const app = await createContext(config);
try {
  const report = await app.get(KeyRotationService).rotate();
  process.stdout.write(`Active key ${report.activeKey}: ${report.rewrapped} value(s) re-wrapped. Values per key now: ${JSON.stringify(report.remaining)}\n`);
} finally {
  await app.close();
  await embedded?.stop();
}
