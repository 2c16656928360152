import { configFromEnv, createApp, resolveDatabase } from './bootstrap.js';
import { SeedService } from './seed/seed.service.js';

/** What the process itself says, as JSON lines like every other log line (pino's shape). */
const say = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  (level >= 50 ? process.stderr : process.stdout).write(`${JSON.stringify({ level, time: Date.now(), app: 'tawjih', msg, ...extra })}\n`);

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
    // Shown once, on the console only (LOG_FILE never receives it).
    say(30, 'demo accounts created; their password is shown once', { demoPassword: result.generatedPassword });
  }
  await app.listen(config.port, '0.0.0.0');
  say(30, 'Tawjih listening', { url: config.publicUrl, docs: `${config.publicUrl}/api/docs` });
}

main().catch((e: unknown) => {
  // The message names the setting or key id at fault (never a key); the stack only says where.
  const err = e as Error;
  say(60, 'Tawjih failed to start', { err: { type: err?.name, message: err?.message ?? String(e), stack: err?.stack?.split('\n').slice(1, 6).join('\n') } });
  process.exit(1);
});
