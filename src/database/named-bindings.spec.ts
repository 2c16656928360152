import { DataSource } from 'typeorm';
import { NamedBindings } from './transaction.js';

/** Remembered bindings give exactly what TypeORM's own binding gives, for every shape of parameters. */
describe('NamedBindings', () => {
  // The driver is made with the data source; nothing connects.
  const driver = new DataSource({ type: 'postgres' }).driver;
  const typeorm = (sql: string, params: Record<string, unknown>) => driver.escapeQueryWithParameters(sql, params);

  const cases: [string, string, Record<string, unknown>][] = [
    ['a name used twice, one $n', 'SELECT 1 WHERE a = :x AND b = :y AND c = :x', { x: 1, y: 'two' }],
    ['a list spread', 'SELECT 1 WHERE a IN (:...ids) AND b = :y', { ids: ['u1', 'u2', 'u3'], y: null }],
    ['a list bound whole', 'SELECT 1 WHERE a = ANY(:ids)', { ids: ['u1', 'u2'] }],
    ['a name not given stays as written', 'SELECT 1 WHERE a = :x AND b::text = :missing', { x: new Date(0) }],
    ['a list spread then named again', 'SELECT 1 WHERE a IN (:...ids) OR b IN (:...ids)', { ids: [1, 2] }],
    ['no parameters', 'SELECT 1', {}],
  ];

  it.each(cases)('%s', (_name, sql, params) => {
    const bindings = new NamedBindings(driver);
    expect(bindings.bind(sql, params)).toEqual(typeorm(sql, params));
    // Again with other values of the same shape: the remembered text, the new values.
    const other = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => `${String(x)}'`) : `${String(v)}!`]));
    expect(bindings.bind(sql, other)).toEqual(typeorm(sql, other));
  });

  it('binds again when a list changes length (another text)', () => {
    const bindings = new NamedBindings(driver);
    const sql = 'SELECT 1 WHERE a IN (:...ids)';
    expect(bindings.bind(sql, { ids: [1] })).toEqual(['SELECT 1 WHERE a IN ($1)', [1]]);
    expect(bindings.bind(sql, { ids: [1, 2, 3] })).toEqual(['SELECT 1 WHERE a IN ($1, $2, $3)', [1, 2, 3]]);
  });

  it('leaves a function value (SQL of its own) to TypeORM each time', () => {
    const bindings = new NamedBindings(driver);
    const sql = 'SELECT 1 WHERE a = :now AND b = :x';
    expect(bindings.bind(sql, { now: () => 'now()', x: 1 })).toEqual(['SELECT 1 WHERE a = now() AND b = $1', [1]]);
    expect(bindings.bind(sql, { now: () => 'clock_timestamp()', x: 2 })).toEqual(['SELECT 1 WHERE a = clock_timestamp() AND b = $1', [2]]);
  });
});
