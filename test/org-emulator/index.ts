// Programmatic entry point of the org emulator: a local Salesforce org on 127.0.0.1 that
// speaks REST, sObject Collections, Bulk API 2.0 and OAuth (see docs/org-emulator.md).
import type { Faults } from './faults.ts';
import { listen, Org, type EmulatorOptions } from './server.ts';
import type { Value } from './store.ts';

export type { EmulatorOptions } from './server.ts';
export type { Faults } from './faults.ts';

export interface OrgEmulator {
    instanceUrl: string;
    /** a valid access token (00D...!...) */
    accessToken: string;
    /** calls by endpoint kind, records by object, API usage */
    stats(): ReturnType<Org['stats']>;
    /** empties every table (keeps the org and the integration user), API usage and bulk jobs */
    reset(): void;
    stop(): Promise<void>;
    /** replaces the active faults (also POST /__emulator/faults) */
    setFaults(faults: Faults): void;
    /** live records of an object as plain objects with every field (dates as ISO text) */
    records(type: string): Record<string, Value>[];
    /** issues a fresh access token, as the token endpoint would */
    newToken(): string;
    /** the underlying org state, for white-box tests */
    org: Org;
}

export async function startOrgEmulator(options: EmulatorOptions = {}): Promise<OrgEmulator> {
    const org = new Org(options);
    const server = await listen(org, options.port ?? 0);
    return {
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        org,
        stats: () => org.stats(),
        reset: () => org.reset(),
        setFaults: (faults) => org.faults.set(faults),
        newToken: () => org.issueToken(),
        records: (type) => {
            const obj = org.schema.get(type);
            if (!obj) throw new Error(`unknown object ${type}`);
            const table = org.store.table(obj);
            const out: Record<string, Value>[] = [];
            for (let r = 0; r < table.size; r++) {
                if (!table.isLive(r)) continue;
                const rec: Record<string, Value> = {};
                for (const f of obj.fields) {
                    const v = f.type === 'id' ? table.idOf(r) : table.get(r, f);
                    rec[f.name] =
                        v !== null && (f.type === 'datetime' || f.type === 'date')
                            ? new Date(v as number)
                                  .toISOString()
                                  .slice(0, f.type === 'date' ? 10 : 24)
                            : v;
                }
                out.push(rec);
            }
            return out;
        },
        stop: async () => {
            org.bulk.stop();
            org.events.close();
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
        }
    };
}
