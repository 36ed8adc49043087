import { Identity1764072000000 } from './1764072000000-identity';

/** Every migration, in order. `npm run migration:generate` writes a file; add it here. */
export const MIGRATIONS: Function[] = [Identity1764072000000];
