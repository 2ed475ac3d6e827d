// `fse-sync validate`: an export read, validated and mapped as a run would, with no org: the
// same counts, rejects grouped by reason, unknown codes and run health, plus the mapping each
// vocabulary would apply. Nothing is read from or written to an org; the Contacts consents
// need are taken from the export itself, and no erasure tombstone is known.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncConfig } from '../config/schema.ts';
import { Subjects } from '../domain/subject-key.ts';
import { NO_ORGANIZATIONS, readOrganizations } from '../entities/organizations.ts';
import { entitiesOf, resolveEntities } from '../entities/registry.ts';
import type { EntityContext, EntityName } from '../entities/types.ts';
import { loadVocabularies, type Vocabularies } from '../entities/vocabularies/load.ts';
import type { VocabularyReport } from '../entities/vocabularies/vocabulary.ts';
import type { RegistrySource } from '../sources/types.ts';
import type { Progress } from './context.ts';
import { OrgIndex } from './org-index.ts';
import { planChanges } from './plan.ts';
import { ReportBuilder, type Report } from './report.ts';
import { vocabulariesOf } from './run.ts';
import { healthHeadline } from './run-health.ts';
import { stageRecords } from './stage.ts';

export interface ValidateOptions {
    source: RegistrySource;
    config: SyncConfig;
    /** empty: every entity the sources provide */
    entities: readonly EntityName[];
    progress?: Progress;
    now?: () => Date;
    tmpDir?: string;
}

/** The mapping a run would apply: where the picklist values come from, and per vocabulary. */
export interface MappingReport {
    picklists: string;
    vocabularies: VocabularyReport[];
}

export type ValidationReport = Report & { mapping: MappingReport };

/** One entity staged and planned against an empty org: counts, rejects and duplicates. */
async function validateEntity(
    context: EntityContext,
    entity: ReturnType<typeof entitiesOf>[number],
    run: { config: SyncConfig; report: ReportBuilder; progress?: Progress },
    dir: string
): Promise<void> {
    const tally = context.tally;
    const step = { entity, tally, dir: join(dir, entity.name), full: false };
    await mkdir(step.dir, { recursive: true });
    const opened = await entity.open(context);
    const staged = await stageRecords(step, opened.produce(), run);
    await planChanges(step, staged, new OrgIndex(staged.keys), run);
    // without an org, what would be created or updated is not known
    Object.assign(tally.counts, { created: 0, updated: 0, unchanged: 0, deactivated: 0 });
}

function mappingOf(vocabularies: Vocabularies): MappingReport {
    return { picklists: vocabularies.origin, vocabularies: vocabularies.reports() };
}

export async function validateSource(options: ValidateOptions): Promise<ValidationReport> {
    const { source, config } = options;
    const now = (options.now ?? (() => new Date()))().toISOString();
    const report = new ReportBuilder(
        {
            runId: randomUUID(),
            mode: 'full',
            dryRun: true,
            reconcile: false,
            startedAt: now,
            source: source.description
        },
        config.maxListed
    );
    const entities = entitiesOf(await resolveEntities(source, options.entities));
    const vocabularies = await loadVocabularies(config, vocabulariesOf(entities));
    report.useVocabularies(vocabularies);
    // subject keys are computed for the consent keys only and never leave the process
    const subjects = new Subjects(randomBytes(32).toString('hex'), new Set());
    const organizations = entities.some((e) => e.usesOrganizations)
        ? await readOrganizations(source, vocabularies)
        : NO_ORGANIZATIONS;
    const dir = join(options.tmpDir ?? tmpdir(), `fse-validate-${report.report.runId}`);
    const run = { config, report, progress: options.progress };
    try {
        for (const entity of entities) {
            const context: EntityContext = {
                source,
                now,
                organizations,
                subjects,
                vocabularies,
                incrementalRolePrefilter: false,
                tally: report.tally(entity.name)
            };
            await validateEntity(context, entity, run, dir);
        }
    } finally {
        await rm(dir, { recursive: true, force: true });
    }
    report.report.finishedAt = (options.now ?? (() => new Date()))().toISOString();
    const settled = report.settle(config.health);
    settled.headline = healthHeadline(settled.health) ?? '';
    if (settled.health.ok) {
        const counts = Object.values(settled.entities);
        const valid = counts.reduce((n, c) => n + (c?.valid ?? 0), 0);
        const rejected = counts.reduce((n, c) => n + (c?.rejected ?? 0), 0);
        settled.headline = `Healthy export: ${valid} valid records, ${rejected} rejected (every share below the health thresholds)`;
    }
    return { ...settled, mapping: mappingOf(vocabularies) };
}
