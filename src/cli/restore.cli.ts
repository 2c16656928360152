// `npm run restore -- --file tawjih.dump --database-url postgres://…/tawjih_restored`: pg_restore into
// a new (or empty) database, in one transaction. Then start the app on it with the same keys: it
// proves them against the restored key check values and refuses to start with other ones.
import { argsOf, restore } from './backup.js';

const args = argsOf(process.argv.slice(2));
const url = args['database-url'] ?? process.env.DATABASE_URL;
if (!args.file || !url) {
  process.stderr.write('restore: --file <dump> and --database-url (or DATABASE_URL) are required\n');
  process.exit(1);
}
restore(args.file, url)
  .then((r) => process.stdout.write(`${JSON.stringify({ msg: 'restored; start the app with the same ENCRYPTION_KEYS and BLIND_INDEX_KEY', ...r })}\n`))
  .catch((e: unknown) => {
    process.stderr.write(`${JSON.stringify({ msg: 'restore failed', error: (e as Error).message })}\n`);
    process.exit(1);
  });
