// `npm run backup -- [--file tawjih.dump] [--database-url postgres://…]`: pg_dump (custom format) of
// DATABASE_URL. Key check values included, keys never. Prints one JSON line.
import { argsOf, backup } from './backup.js';

const args = argsOf(process.argv.slice(2));
const url = args['database-url'] ?? process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('backup: set DATABASE_URL (or --database-url)\n');
  process.exit(1);
}
const file = args.file ?? `tawjih-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`;
backup(url, file)
  .then((r) => process.stdout.write(`${JSON.stringify({ msg: 'backup written', ...r })}\n`))
  .catch((e: unknown) => {
    process.stderr.write(`${JSON.stringify({ msg: 'backup failed', error: (e as Error).message })}\n`);
    process.exit(1);
  });
