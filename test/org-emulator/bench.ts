// Benchmark: a 100,000-row Bulk API 2.0 upsert through HTTP, then 1,000,000 Contacts held in
// memory (loaded with ten 100,000-row jobs) and an indexed and a full-scan query over them.
// Run: node test/org-emulator/bench.ts
import { startOrgEmulator } from './index.ts';

const emu = await startOrgEmulator({
    metadataDir: 'test/org-emulator/__tests__/fixtures/force-app',
    bulkStepMs: 10
});
const api = `${emu.instanceUrl}/services/data/v62.0`;
const auth = { Authorization: `Bearer ${emu.accessToken}` };

/** The parts of a Bulk API 2.0 job's info that the benchmark reads. */
interface JobInfo {
    id: string;
    state: string;
    numberRecordsFailed: number;
}

/** A REST query result. */
interface QueryResult {
    totalSize: number;
}

/** Calls the REST API; `T` is the JSON answer expected (text when the answer is not JSON). */
async function call<T = unknown>(
    method: string,
    path: string,
    body?: string,
    type = 'application/json'
): Promise<T> {
    const res = await fetch(api + path, {
        method,
        headers: { ...auth, 'Content-Type': type },
        body
    });
    const text = await res.text();
    return (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T;
}

function csv(from: number, n: number, suffix: string): string {
    const lines = ['FiscalCode__c,LastName,FirstName,Email,Account.OrgCode__c'];
    for (let i = from; i < from + n; i++) {
        lines.push(
            `CF${String(i).padStart(14, '0')},Last${i}${suffix},First${i},user${i}@example.org,ASST-${i % 40}`
        );
    }
    return lines.join('\n') + '\n';
}

async function upsert(data: string): Promise<{ ms: number; info: JobInfo }> {
    const t = performance.now();
    const job = await call<JobInfo>(
        'POST',
        '/jobs/ingest',
        JSON.stringify({
            object: 'Contact',
            operation: 'upsert',
            externalIdFieldName: 'FiscalCode__c'
        })
    );
    await call('PUT', `/jobs/ingest/${job.id}/batches`, data, 'text/csv');
    await call('PATCH', `/jobs/ingest/${job.id}`, JSON.stringify({ state: 'UploadComplete' }));
    let info: JobInfo;
    for (;;) {
        info = await call<JobInfo>('GET', `/jobs/ingest/${job.id}`);
        if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) break;
        await new Promise((r) => setTimeout(r, 50));
    }
    return { ms: performance.now() - t, info };
}

for (let i = 0; i < 40; i++)
    await call(
        'POST',
        '/sobjects/Account',
        JSON.stringify({ Name: `ASST ${i}`, OrgCode__c: `ASST-${i}` })
    );

const first = await upsert(csv(0, 100000, ''));
console.log(
    `100,000-row upsert (inserts): ${(first.ms / 1000).toFixed(2)} s, state ${first.info.state}, failed ${first.info.numberRecordsFailed}`
);
const second = await upsert(csv(0, 100000, 'b'));
console.log(
    `100,000-row upsert (updates): ${(second.ms / 1000).toFixed(2)} s, state ${second.info.state}, failed ${second.info.numberRecordsFailed}`
);

const before = process.memoryUsage().heapUsed;
const t = performance.now();
for (let k = 1; k < 10; k++) await upsert(csv(k * 100000, 100000, ''));
global.gc?.();
const heap = process.memoryUsage().heapUsed;
console.log(
    `loaded to ${emu.stats().records.Contact.toLocaleString('en')} Contacts in ${((performance.now() - t) / 1000).toFixed(1)} s; heap ${(heap / 2 ** 20).toFixed(0)} MiB (+${((heap - before) / 2 ** 20).toFixed(0)} MiB for 900,000 rows)`
);
let q = performance.now();
const one = await call<QueryResult>(
    'GET',
    '/query?q=' +
        encodeURIComponent(
            "SELECT Id, LastName, Account.Name FROM Contact WHERE FiscalCode__c = 'CF00000000777777'"
        )
);
console.log(`indexed query: ${one.totalSize} row in ${(performance.now() - q).toFixed(0)} ms`);
q = performance.now();
const scan = await call<QueryResult>(
    'GET',
    '/query?q=' + encodeURIComponent("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Last99%'")
);
console.log(
    `full-scan COUNT() over 1,000,000 rows: ${scan.totalSize} rows in ${(performance.now() - q).toFixed(0)} ms`
);
await emu.stop();
