// Data source for the TypeORM CLI (migration:generate / run / revert), used from the compiled
// output in dist/. Entities are found by file name there; the app itself registers them per module.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required for migration commands');

export default new DataSource(
  dataSourceOptions(
    { url, poolSize: 2, connectTimeoutMs: 5000, statementTimeoutMs: 600_000, migrationsRun: false },
    [new URL('../**/*.entity.js', import.meta.url).pathname],
  ),
);
