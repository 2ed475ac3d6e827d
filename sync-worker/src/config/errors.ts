// The usage or configuration error: a clear message on stderr, nothing written, exit 2.

export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ConfigError';
    }
}
