// Programmatic entry point of the org emulator: a local Salesforce org on 127.0.0.1 that
// speaks REST, sObject Collections, Bulk API 2.0 and OAuth (see docs/org-emulator.md).
import type { Faults } from './faults.ts';
import type { UserSpec } from './permissions.ts';
import { listen, Org, type EmulatorOptions } from './server.ts';
import type { Value } from './store.ts';
import { dml } from './validate.ts';

export type { EmulatorOptions } from './server.ts';
export type { Faults } from './faults.ts';
export type { UserSpec } from './permissions.ts';

/** A user of the emulated org, with a token of their own. */
export interface EmulatedUser {
    id: string;
    username: string;
    /** an access token of this user */
    token: string;
}

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
    /** issues a fresh access token, as the token endpoint would (for `accessToken`'s user) */
    newToken(): string;
    /** the user `accessToken` belongs to (options.user: the administrator by default) */
    userId: string;
    /** the integration user (FSE_Sync_Integration) and the administrator */
    integrationUser: EmulatedUser;
    adminUser: EmulatedUser;
    /** adds a user (Minimum Access profile plus `permissionSets`, or `admin: true`) */
    createUser(spec: UserSpec): EmulatedUser;
    /** a fresh token of a user (id, username, 'admin' or 'integration') */
    tokenFor(user: string): string;
    /**
     * Writes a record as the org's own code would, running as `user` (Apex in system mode: no
     * object, field or sharing check; the record is created by and owned by that user unless
     * `OwnerId` is given; validation rules apply with that user's custom permissions). Returns
     * the id; throws with the errors when the write fails.
     */
    insertAs(user: string, type: string, record: Record<string, unknown>): string;
    /** the same as an update of fields by Id */
    updateAs(user: string, type: string, record: Record<string, unknown>): void;
    /** the underlying org state, for white-box tests */
    org: Org;
}

export async function startOrgEmulator(options: EmulatorOptions = {}): Promise<OrgEmulator> {
    const org = new Org(options);
    const server = await listen(org, options.port ?? 0);
    const userOf = (who: string): EmulatedUser => {
        const id = org.userIdOf(who);
        return { id, username: org.userSpec(id).username, token: org.issueToken(id) };
    };
    const systemWrite = (
        who: string,
        op: 'insert' | 'update',
        type: string,
        record: Record<string, unknown>
    ): string => {
        const obj = org.schema.get(type);
        if (!obj) throw new Error(`unknown object ${type}`);
        const [r] = dml(org.writeContext(org.userIdOf(who), true), op, [{ obj, input: record }], {
            mode: 'json',
            allOrNone: true
        });
        if (!r.success)
            throw new Error(
                `${op} ${type} as ${who}: ${r.errors.map((e) => `${e.statusCode} ${e.message}`).join('; ')}`
            );
        return r.id!;
    };
    return {
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        org,
        userId: org.defaultUserId,
        integrationUser: userOf('integration'),
        adminUser: userOf('admin'),
        createUser: (spec) => userOf(org.createUser(spec)),
        tokenFor: (who) => org.issueToken(org.userIdOf(who)),
        insertAs: (who, type, record) => systemWrite(who, 'insert', type, record),
        updateAs: (who, type, record) => {
            systemWrite(who, 'update', type, record);
        },
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
