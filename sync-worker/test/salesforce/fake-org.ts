// A scripted stand-in for SfClient in unit tests of the Bulk job state machine and the apply
// step: each request goes to a handler the test writes (or throws what the test says), and
// every request is recorded, so tests assert the exact sequence of calls.
import type { SfClient } from '../../src/salesforce/http.ts';
import { SfHttpError } from '../../src/salesforce/retry.ts';

export interface Call {
    method: string;
    path: string;
    body?: unknown;
    /** an upload's file (PUT of a Bulk job's data) */
    file?: string;
}

/** What a handler answers: JSON, CSV text, or an error to throw. */
export type Answer = { json: unknown } | { csv: string } | { error: unknown } | undefined;

export type Handler = (call: Call) => Answer;

export const API = '/services/data/v62.0';

export class FakeOrg {
    readonly calls: Call[] = [];
    serverTime: number | undefined = Date.parse('2026-01-10T02:00:00.000Z');
    readonly dataPath = API;
    private readonly handler: Handler;

    constructor(handler: Handler) {
        this.handler = handler;
    }

    private answer(call: Call): Answer {
        this.calls.push(call);
        const answer = this.handler(call);
        if (answer && 'error' in answer) throw answer.error;
        return answer;
    }

    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
        const answer = this.answer({ method, path, body });
        return (answer && 'json' in answer ? answer.json : undefined) as T;
    }

    async request(
        method: string,
        path: string,
        options: { file?: string } = {}
    ): Promise<Response> {
        const answer = this.answer({
            method,
            path,
            ...(options.file ? { file: options.file } : {})
        });
        if (answer && 'csv' in answer) return new Response(answer.csv, { status: 200 });
        return new Response(answer && 'json' in answer ? JSON.stringify(answer.json) : null, {
            status: answer ? 200 : 201
        });
    }

    get client(): SfClient {
        return this as unknown as SfClient;
    }

    /** "METHOD /path" of every call, the API prefix dropped */
    get trail(): string[] {
        return this.calls.map((c) => `${c.method} ${c.path.replace(API, '')}`);
    }
}

export const invalidJobState = () =>
    new SfHttpError(409, 'INVALIDJOBSTATE', 'Job with id 750x is not in Open state');
