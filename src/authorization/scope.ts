import { createHash } from 'node:crypto';
import { rulesToAST } from '@casl/ability/extra';
import type { AppAbility, Action, Subject } from './ability.factory.js';

/** A piece of SQL with its own named parameters, for QueryBuilder's `andWhere(sql, params)`. */
export interface SqlScope {
  sql: string;
  params: Record<string, unknown>;
}

/** Maps the condition fields of a subject (see ability.factory.ts) to SQL column expressions. */
export type ScopeColumns = Record<string, string>;

interface Node {
  operator: string;
  field?: string;
  value: unknown;
}

/**
 * Turns the ability's rules for (action, subject) into a WHERE fragment, so a list query only ever
 * reads rows in scope. No rule → `FALSE`; an unconditional rule → `TRUE`. A condition on a field
 * the repository did not map is a programming error and throws (fail closed).
 */
export function scopeFor(ability: AppAbility, action: Action, subject: Subject, columns: ScopeColumns): SqlScope {
  // Abilities are shared and never changed (abilityFor): the fragment of one (action, subject,
  // columns) is rendered once per ability, not on every request (issue #18). Frozen: callers copy.
  let byColumns = rendered.get(ability);
  if (!byColumns) rendered.set(ability, (byColumns = new WeakMap()));
  let byRule = byColumns.get(columns);
  if (!byRule) byColumns.set(columns, (byRule = new Map()));
  const key = `${action}|${subject}`;
  let scope = byRule.get(key);
  if (!scope) byRule.set(key, (scope = renderScope(ability, action, subject, columns)));
  return scope;
}

// Weak on the columns too: columns a caller builds per call are not kept (reportScope keeps one per source).
const rendered = new WeakMap<AppAbility, WeakMap<ScopeColumns, Map<string, SqlScope>>>();

function renderScope(ability: AppAbility, action: Action, subject: Subject, columns: ScopeColumns): SqlScope {
  const ast = rulesToAST(ability, action, subject as never) as Node | null;
  if (!ast) return Object.freeze({ sql: 'FALSE', params: Object.freeze({}) });
  const params: Record<string, unknown> = {};
  const sql = render(ast, columns, params);
  return Object.freeze({ sql, params: Object.freeze(params) });
}

function render(node: Node, columns: ScopeColumns, params: Record<string, unknown>): string {
  if (node.field === undefined) {
    const parts = (node.value as Node[]).map((n) => render(n, columns, params));
    switch (node.operator) {
      case 'and':
        return parts.length ? `(${parts.join(' AND ')})` : 'TRUE';
      case 'or':
        return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
      case 'not':
        return `NOT (${parts.join(' AND ') || 'TRUE'})`;
      default:
        throw new Error(`scope: unsupported operator ${node.operator}`);
    }
  }
  const column = columns[node.field];
  if (!column) throw new Error(`scope: field "${node.field}" has no column mapping`);
  // Named after what it binds (operator, column, value): the same condition renders the same SQL
  // for every call, so statements that differ only by scope are recognised as one (reporting
  // groups indicators by scope text), and two conditions in one query never share a name unless
  // they bind the same value.
  const name = `scope_${createHash('sha1').update(JSON.stringify([node.operator, column, node.value])).digest('hex').slice(0, 12)}`;
  params[name] = node.value;
  switch (node.operator) {
    case 'eq':
      return `${column} = :${name}`;
    case 'ne':
      return `${column} IS DISTINCT FROM :${name}`;
    case 'in':
      return `${column} IN (:...${name})`;
    case 'nin':
      return `${column} NOT IN (:...${name})`;
    default:
      throw new Error(`scope: unsupported operator ${node.operator}`);
  }
}
