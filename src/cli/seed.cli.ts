// `npm run seed`: reference places always; demo organisations, accounts and data unless NODE_ENV=production.
import { configFromEnv, createContext, resolveDatabase } from '../bootstrap.js';
import { SeedService } from '../seed/seed.service.js';

const { config, embedded } = await resolveDatabase({ ...configFromEnv(), jobsEnabled: false });
// An application context: the services and the database, no HTTP server.
const app = await createContext(config);
try {
  const result = await app.get(SeedService).run({ demo: config.env !== 'production' });
  process.stdout.write(`Seeded ${result.places} places${result.demo ? ' and the demo data' : ''}.\n`);
  if (result.generatedPassword) process.stdout.write(`Demo accounts' password (shown once): ${result.generatedPassword}\n`);
} finally {
  await app.close();
  await embedded?.stop();
}
