// `content:<dir>`: what the content team publishes. catalog.ndjson (courses, modules, live
// sessions: one JSON object a line) plus faq/*.md and pills/*.md (YAML front matter + Markdown
// body). Yields raw items; validation and Markdown -> sanitised HTML happen in entities/content/.
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type matterType from 'gray-matter';
import { lazy } from '../util/lazy.ts';
import { nonBlankLines } from '../util/ndjson-file.ts';
import {
    UnparseableResource,
    type ReadOptions,
    type RegistrySource,
    type ResourceType
} from './types.ts';

const matter = lazy<typeof matterType>('gray-matter');

export type ContentOrigin = 'catalog' | 'faq' | 'pill';

/** One raw content item as written by the content team. */
export interface RawContent {
    origin: ContentOrigin;
    /** where it comes from, for rejects: `catalog.ndjson line 3`, `faq/accesso.md` */
    position: string;
    data: Record<string, unknown>;
    /** Markdown body (faq/pills) */
    body?: string;
}

const FOLDERS: Array<[string, ContentOrigin]> = [
    ['faq', 'faq'],
    ['pills', 'pill']
];

export class ContentSource implements RegistrySource {
    readonly dir: string;
    readonly description: string;
    readonly filtersSince = false;

    constructor(dir: string) {
        this.dir = dir;
        this.description = `content:${dir}`;
    }

    async check(): Promise<void> {
        const found = await Promise.all(
            ['catalog.ndjson', 'faq', 'pills'].map((f) =>
                access(join(this.dir, f)).then(
                    () => true,
                    () => false
                )
            )
        );
        if (!found.some(Boolean)) {
            throw new Error(
                `No catalog.ndjson, faq/ or pills/ in ${this.dir}: is it a content folder?`
            );
        }
    }

    async has(type: ResourceType): Promise<boolean> {
        return type === 'LearningContent';
    }

    async *read(type: ResourceType, opts?: ReadOptions): AsyncIterable<unknown> {
        void opts; // content is always read in full (it is small; its hash decides what changed)
        if (type !== 'LearningContent') return;
        yield* this.catalog();
        for (const [folder, origin] of FOLDERS) {
            const dir = join(this.dir, folder);
            let names: string[];
            try {
                names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
            } catch {
                continue;
            }
            for (const name of names) {
                const position = `${folder}/${name}`;
                try {
                    const parsed = matter()(await readFile(join(dir, name), 'utf8'));
                    yield {
                        origin,
                        position,
                        data: { ...(parsed.data as Record<string, unknown>) },
                        body: parsed.content
                    } satisfies RawContent;
                } catch (e) {
                    yield new UnparseableResource(
                        type,
                        position,
                        `front matter is not valid YAML (${(e as Error).message.split('\n')[0]})`
                    );
                }
            }
        }
    }

    private async *catalog(): AsyncIterable<unknown> {
        for await (const [number, line] of nonBlankLines(join(this.dir, 'catalog.ndjson'))) {
            const position = `catalog.ndjson line ${number}`;
            let data: unknown;
            try {
                data = JSON.parse(line);
            } catch {
                yield new UnparseableResource(
                    'LearningContent',
                    position,
                    'line is not valid JSON'
                );
                continue;
            }
            if (!data || typeof data !== 'object' || Array.isArray(data)) {
                yield new UnparseableResource('LearningContent', position, 'not a JSON object');
                continue;
            }
            yield {
                origin: 'catalog',
                position,
                data: data as Record<string, unknown>
            } satisfies RawContent;
        }
    }
}
