import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request } from 'express';

/** What this file reads of an Express 5 router layer (the `router` package's Layer). */
interface Layer {
  route?: { path: unknown; _handlesMethod(method: string): boolean };
  match?(path: string): unknown;
}
interface RouterLike {
  stack: Layer[];
  params: Record<string, unknown>;
  use(fn: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): unknown;
  handle(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void;
}

/** How many leading path segments the index tells routes apart by (`/api/v1/cases`). */
const DEPTH = 3;
/** A segment of a route's path that is plain text (no parameter, wildcard or optional part). */
const LITERAL = /^[A-Za-z0-9._~-]+$/;
/** A request path the index can key: anything else (non-ASCII, odd characters) walks every route. */
const KEYABLE = /^[\x21-\x7e]*$/;

/** A route's leading plain-text segments (lower case, as Express matches case-insensitively), at most DEPTH. */
function literalPrefix(path: unknown): string[] | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  const out: string[] = [];
  for (const segment of path.slice(1).split('/')) {
    if (out.length === DEPTH || !segment || !LITERAL.test(segment)) break;
    out.push(segment.toLowerCase());
  }
  return out;
}

interface Node {
  children: Map<string, Node>;
  /** The layers whose literal prefix ends here (indexes into the run). */
  own: number[];
  router?: RouterLike;
}

/**
 * Express tries every route in registration order against every request: ≈ 240 layers here (the
 * pages' CSRF middleware per page route, then the API's and the pages' handlers), so an API request
 * near the end of the list ran ≈ 150 path matches before its own (issue #18). This replaces each long
 * run of consecutive route layers with one middleware that first looks at the request's leading
 * segments and then runs, in their registration order, only the layers of that run whose leading
 * plain-text segments agree — the same Layer objects, through an Express Router of their own, so each
 * still decides with its own pattern, and every layer that could match is still tried in the same order.
 * A run is left as it is when a layer in it answers OPTIONS (the sub-router would answer the automatic
 * OPTIONS reply itself instead of falling through to the not-found handler), and so is the whole
 * stack when router-level param handlers exist. Called once, after every route is registered.
 */
export function indexRoutes(app: { router: unknown }, minRun = 16): void {
  const outer = app.router as RouterLike;
  if (Object.keys(outer.params).length) return;
  const stack = outer.stack;
  const rebuilt: Layer[] = [];
  for (let i = 0; i < stack.length; ) {
    let j = i;
    while (j < stack.length && stack[j]!.route) j++;
    if (j === i) {
      rebuilt.push(stack[i++]!);
      continue;
    }
    const run = stack.slice(i, j);
    const dispatcher = run.length >= minRun ? indexed(run) : null;
    if (dispatcher) rebuilt.push(dispatcher);
    else rebuilt.push(...run);
    i = j;
  }
  stack.splice(0, stack.length, ...rebuilt);
}

function indexed(run: Layer[]): Layer | null {
  if (run.some((l) => l.route!._handlesMethod('OPTIONS'))) return null;
  const root: Node = { children: new Map(), own: [] };
  run.forEach((layer, index) => {
    let node = root;
    for (const segment of literalPrefix(layer.route!.path) ?? []) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map(), own: [] }));
      node = child;
    }
    node.own.push(index);
  });
  // Each node's router: the layers whose prefix is the node's path or a part of it, in run order.
  const build = (node: Node, inherited: number[]): void => {
    const indexes = [...inherited, ...node.own].sort((a, b) => a - b);
    const router = Router() as unknown as RouterLike;
    router.stack = indexes.map((k) => run[k]!);
    node.router = router;
    for (const child of node.children.values()) build(child, indexes);
  };
  build(root, []);
  const all = Router() as unknown as RouterLike;
  all.stack = run;

  const host = Router() as unknown as RouterLike;
  host.use((req, res, next) => {
    // Express's own pathname of the request (parseurl's, already parsed and cached by the outer router).
    const path = (req as Request).path;
    let router = all;
    if (path.startsWith('/') && KEYABLE.test(path)) {
      let node = root;
      let start = 1;
      for (let depth = 0; depth < DEPTH && start <= path.length; depth++) {
        let end = path.indexOf('/', start);
        if (end < 0) end = path.length;
        const child = node.children.get(path.slice(start, end).toLowerCase());
        if (!child) break;
        node = child;
        start = end + 1;
      }
      router = node.router!;
    }
    if (req.method !== 'OPTIONS') return router.handle(req, res, next);
    // No route in the run answers OPTIONS (checked above): the walk would only have matched their
    // paths (a malformed parameter failing as it is decoded) and passed the request on.
    for (const layer of router.stack) {
      try {
        layer.match!(path);
      } catch (err) {
        return next(err);
      }
    }
    next();
  });
  return host.stack[0]!;
}
