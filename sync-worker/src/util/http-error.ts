// The error of an HTTP answer that is not a success (Salesforce, FHIR server), and a short,
// PII-free description of any error for logs and fatal messages.

/** An HTTP answer with an error status and the error code the server gave (or HTTP_<status>). */
export class HttpStatusError extends Error {
    readonly status: number;
    readonly errorCode: string;
    constructor(status: number, errorCode: string, message: string) {
        super(`${status} ${errorCode}: ${message}`);
        this.name = 'HttpStatusError';
        this.status = status;
        this.errorCode = errorCode;
    }
}

/** `503 SERVER_UNAVAILABLE`, `TypeError ECONNRESET`: what kind of failure, without its data. */
export function describeError(err: unknown): string {
    if (err instanceof HttpStatusError) return `${err.status} ${err.errorCode}`;
    const e = err as { name?: string; code?: string; cause?: { code?: string } };
    return [e?.name, e?.code ?? e?.cause?.code].filter(Boolean).join(' ') || String(err);
}
