/** Every entity, listed explicitly (no globs: they break with bundlers and hide mistakes). */
export const ENTITIES: Function[] = [];
