// Libraries most runs never use (rich text and Markdown for training content, YAML front matter,
// the terminal progress bar), loaded on first use: each costs tens of milliseconds of CPU and
// megabytes of memory at every start (issue 22). CommonJS packages only (require).
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A getter of package `id`, required the first time it is called. */
export function lazy<T>(id: string): () => T {
    let loaded: T | undefined;
    return () => (loaded ??= load(id) as T);
}
