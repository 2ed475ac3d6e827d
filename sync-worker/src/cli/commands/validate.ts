// `fse-sync validate`: reads an export and says what a run would make of it, with no org: the
// grouped rejects, the unknown codes, the mapping each vocabulary would apply and the run
// health. Exit 0 when the export is healthy, 5 when a share of rejects is above its threshold.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EntityName } from '../../entities/types.ts';
import { formatFindings, formatParts } from '../../pipeline/report.ts';
import { EXIT_CODES } from '../../pipeline/run-health.ts';
import { validateSource, type ValidationReport } from '../../pipeline/validate.ts';
import { configFrom, effectiveConfig, sourcesFrom, type CliIo } from '../options.ts';
import { ttyProgress } from '../progress.ts';

interface ValidateFlags {
    source: string[];
    entities?: string;
    config?: string;
    json?: boolean;
    report?: string;
}

const BY: Record<string, string> = {
    config: 'config',
    value: 'API name',
    label: 'label',
    fallback: 'fallback'
};

/** The mapping each vocabulary applied: code -> value (how it matched) ×count. */
function formatMapping(report: ValidationReport, lines: string[]): void {
    lines.push(`  mapping (picklist values from ${report.mapping.picklists}):`);
    for (const v of report.mapping.vocabularies) {
        const codes = v.seen.map(
            (s) =>
                `'${s.code}' → ${s.value === undefined ? 'rejected' : `${s.value} (${BY[s.by!]})`} ×${s.count}`
        );
        const more = v.otherCodes ? `, ${v.otherCodes} more` : '';
        lines.push(
            `    ${v.vocabulary} → ${v.field}: ${codes.join(', ') || 'no code seen'}${more}`
        );
    }
}

export function formatValidation(report: ValidationReport): string {
    const lines = [report.headline, `Validation of ${report.source} (no org read or written)`];
    for (const [name, c] of Object.entries(report.entities)) {
        if (!c) continue;
        lines.push(
            `  ${name.padEnd(14)} read ${c.read}, valid ${c.valid}, rejected ${c.rejected}${formatParts(c)}`
        );
    }
    formatFindings(report, lines);
    formatMapping(report, lines);
    for (const problem of report.health.problems.slice(1))
        lines.push(`  also above a threshold: ${problem.message}`);
    return lines.join('\n');
}

async function validate(flags: ValidateFlags, io: CliIo): Promise<number> {
    const config = effectiveConfig(await configFrom(flags.config), flags);
    const source = await sourcesFrom(flags.source, config, io.env.FHIR_TOKEN);
    const report = await validateSource({
        source,
        config,
        entities: (config.entities ?? []) as EntityName[],
        progress: flags.json ? undefined : ttyProgress(io.stderr)
    });
    if (flags.report) {
        await mkdir(dirname(resolve(flags.report)), { recursive: true });
        await writeFile(flags.report, JSON.stringify(report, null, 2) + '\n');
    }
    if (flags.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else io.stdout.write(formatValidation(report) + '\n');
    return report.health.ok ? EXIT_CODES.OK : EXIT_CODES.UNHEALTHY;
}

export function validateCommand(program: Command, io: CliIo, done: (code: number) => void): void {
    program
        .command('validate')
        .description(
            'read an export and report what a run would make of it (no org needed): rejects by reason, unknown codes, the mapping, run health'
        )
        .requiredOption(
            '--source <source>',
            'ndjson:<dir> (FHIR Bulk Data export), fhir:<baseUrl> or content:<dir>; repeatable',
            (v: string, prev: string[] | undefined) => [...(prev ?? []), v]
        )
        .option(
            '--entities <list>',
            'comma-separated: organizations,professionals,consents,content (default: all the sources provide)'
        )
        .option('--config <file>', 'configuration file (default config/sync.config.json)')
        .option('--report <file>', 'write the JSON report to this file')
        .option('--json', 'print the JSON report on stdout')
        .action(async (flags: ValidateFlags) => done(await validate(flags, io)));
}
