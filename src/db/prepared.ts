import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './index.ts';

/** Stands for the i-th argument while the query is compiled; found again among the compiled parameters. */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each compiled parameter, the argument it takes (its index), or -1 for a constant of the query. */
  sources: number[];
}

/**
 * A statement that every update runs, built and compiled by Kysely once per SQL dialect and then run with
 * new arguments. Kysely otherwise rebuilds and compiles a query on every call, which costs more than
 * SQLite takes to run these (see docs/benchmarks.md). `build` is called with placeholders for its
 * arguments: it may use them only as values (`where('id', '=', id)`, an inserted value), never to decide
 * the query's shape, and each must reach the query, which is checked when it is first compiled.
 */
export function prepared<A extends unknown[], R>(
  build: (db: Executor, ...args: A) => Compilable<R>,
): (db: Executor, ...args: A) => Promise<R[]> {
  // Keyed by the dialect's adapter, which a database shares with its transactions.
  const byDialect = new WeakMap<object, Compiled<R>>();
  const compile = (db: Executor, arity: number): Compiled<R> => {
    const placeholders = Array.from({ length: arity }, (_, i) => new Placeholder(i)) as unknown as A;
    const query = build(db, ...placeholders).compile();
    const sources = query.parameters.map((p) => (p instanceof Placeholder ? p.index : -1));
    for (let i = 0; i < arity; i++) {
      if (!sources.includes(i))
        throw new Error(`prepared query: argument ${i} does not reach the query as a value (${query.sql})`);
    }
    return { query, sources };
  };
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let compiled = byDialect.get(adapter);
    if (!compiled) {
      compiled = compile(db, args.length);
      byDialect.set(adapter, compiled);
    }
    const { query, sources } = compiled;
    const parameters = sources.map((source, i) => (source < 0 ? query.parameters[i] : args[source]));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  };
}
