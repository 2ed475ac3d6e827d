// Why a run was asked to stop: the reason its stop signal carries (its lease taken over by
// another run), or SIGTERM when the signal gives none (bin/fse-sync.js aborts without a reason).

/** The reason of an aborted stop signal, as a sentence. */
export function stopReason(signal: AbortSignal | undefined): string {
    const reason = signal?.reason as { message?: string; name?: string } | string | undefined;
    if (typeof reason === 'string') return reason;
    if (reason && reason.name !== 'AbortError' && reason.message) return reason.message;
    return 'stop requested (SIGTERM)';
}
