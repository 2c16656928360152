// `npm run identities:reindex`: fills the name search indexes of identities written before they
// existed (migration PersonNameIndexes). Re-runnable. Prints only a count.
import { configFromEnv, createContext, resolveDatabase } from '../bootstrap.js';
import { CasesService } from '../cases/cases.service.js';

const { config, embedded } = await resolveDatabase({ ...configFromEnv(), jobsEnabled: false });
// An application context: the services and the database, no HTTP server.
const app = await createContext(config);
try {
  const n = await app.get(CasesService).reindexNames();
  process.stdout.write(`${n} identit${n === 1 ? 'y' : 'ies'} given name search indexes.\n`);
} finally {
  await app.close();
  await embedded?.stop();
}
