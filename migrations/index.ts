/** Every migration, in order. `npm run migration:generate` writes a file; add it here. */
export const MIGRATIONS: Function[] = [];
