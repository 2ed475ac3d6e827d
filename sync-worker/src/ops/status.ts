// `fse-sync status`: the last runs recorded in the org (SyncRun__c) with their outcome.
import type { SfClient } from '../salesforce/http.ts';
import { queryFirstPage } from '../salesforce/query.ts';
import { lastSeen } from './lease.ts';

export interface RunStatus {
    runId: string;
    status: string;
    /** a Running run whose heartbeat is older than leaseStaleAfterMs */
    stale: boolean;
    mode: string | null;
    dryRun: boolean;
    entities: string[];
    startedAt: string | null;
    finishedAt: string | null;
    heartbeat: string | null;
    durationSeconds: number | null;
    apiCalls: number | null;
    written: number;
    rejected: number;
    failed: number;
    takenOverFrom: string | null;
}

const FIELDS = [
    'RunId__c',
    'Status__c',
    'Mode__c',
    'DryRun__c',
    'Entities__c',
    'StartedAt__c',
    'FinishedAt__c',
    'Heartbeat__c',
    'ApiCallsUsed__c',
    'TakenOverFrom__c',
    'OrganizationsWritten__c',
    'OrganizationsRejected__c',
    'OrganizationsFailed__c',
    'ProfessionalsCreated__c',
    'ProfessionalsUpdated__c',
    'ProfessionalsDeactivated__c',
    'ProfessionalsRejected__c',
    'ProfessionalsFailed__c'
];

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export async function readRunStatus(
    client: SfClient,
    options: { limit: number; staleAfterMs: number; now?: Date }
): Promise<RunStatus[]> {
    const soql = `SELECT ${FIELDS.join(', ')} FROM SyncRun__c ORDER BY StartedAt__c DESC NULLS LAST LIMIT ${Math.max(1, Math.min(200, Math.floor(options.limit)))}`;
    const page = await queryFirstPage<Record<string, unknown>>(client, soql);
    const now = (options.now ?? new Date()).getTime();
    return page.records.map((record) => {
        const startedAt = (record.StartedAt__c as string) ?? null;
        const finishedAt = (record.FinishedAt__c as string) ?? null;
        const heartbeat = (record.Heartbeat__c as string) ?? null;
        const status = String(record.Status__c ?? '');
        const start = Date.parse(startedAt ?? '');
        const end = finishedAt ? Date.parse(finishedAt) : status === 'Running' ? now : NaN;
        return {
            runId: String(record.RunId__c ?? ''),
            status,
            stale:
                status === 'Running' &&
                now - lastSeen({ heartbeat, startedAt }) > options.staleAfterMs,
            mode: (record.Mode__c as string) ?? null,
            dryRun: record.DryRun__c === true,
            entities: String(record.Entities__c ?? '')
                .split(',')
                .filter(Boolean),
            startedAt,
            finishedAt,
            heartbeat,
            durationSeconds:
                Number.isFinite(start) && Number.isFinite(end)
                    ? Math.max(0, Math.round((end - start) / 1000))
                    : null,
            apiCalls: typeof record.ApiCallsUsed__c === 'number' ? record.ApiCallsUsed__c : null,
            written:
                n(record.OrganizationsWritten__c) +
                n(record.ProfessionalsCreated__c) +
                n(record.ProfessionalsUpdated__c) +
                n(record.ProfessionalsDeactivated__c),
            rejected: n(record.OrganizationsRejected__c) + n(record.ProfessionalsRejected__c),
            failed: n(record.OrganizationsFailed__c) + n(record.ProfessionalsFailed__c),
            takenOverFrom: (record.TakenOverFrom__c as string) ?? null
        };
    });
}

/** A plain-text table (one line per run). */
export function formatStatusTable(runs: RunStatus[]): string {
    if (runs.length === 0) return 'No sync runs recorded in the org yet.';
    const head = [
        'STARTED',
        'STATUS',
        'MODE',
        'ENTITIES',
        'DURATION',
        'WRITTEN',
        'REJECTED',
        'FAILED',
        'API',
        'RUN ID'
    ];
    const rows = runs.map((r) => [
        r.startedAt ? r.startedAt.replace('T', ' ').slice(0, 19) : '-',
        r.status + (r.stale ? ' (stale)' : '') + (r.takenOverFrom ? ' (took over)' : ''),
        (r.mode ?? '-') + (r.dryRun ? ' dry-run' : ''),
        r.entities.join(',') || '-',
        r.durationSeconds === null ? '-' : `${r.durationSeconds}s`,
        String(r.written),
        String(r.rejected),
        String(r.failed),
        r.apiCalls === null ? '-' : String(r.apiCalls),
        r.runId
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
            .join('  ')
            .trimEnd();
    return [line(head), ...rows.map(line)].join('\n');
}
