export type StoreKind = 'sqlite' | 'postgres';

/** `postgres://…` and `postgresql://…` are PostgreSQL; anything else is an SQLite file path or `sqlite:` URL. */
export function storeKind(databaseUrl: string): StoreKind {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
}
