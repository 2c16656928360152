import { configFromEnv, createApp, resolveDatabase } from './bootstrap.js';
import { SeedService } from './seed/seed.service.js';

async function main(): Promise<void> {
  const { config, embedded } = await resolveDatabase(configFromEnv());
  const app = await createApp(config);
  if (embedded) {
    const stop = () => void embedded.stop();
    app.getHttpServer().once('close', stop);
  }
  // Reference places always (idempotent). The embedded database is a developer's: it also gets the
  // demo data unless told otherwise; never in production.
  const result = await app.get(SeedService).run({ demo: config.seedDemo ?? Boolean(embedded) });
  if (result.generatedPassword) {
    process.stdout.write(`\nDemo accounts created. Their password (shown once): ${result.generatedPassword}\n\n`);
  }
  await app.listen(config.port, '0.0.0.0');
  process.stdout.write(`Tawjih listening on ${config.publicUrl} (API docs: ${config.publicUrl}/api/docs)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Tawjih failed to start: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
