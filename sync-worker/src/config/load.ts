// Reads config/sync.config.json (keys starting with `$` are comments) and validates it.
import { readFile } from 'node:fs/promises';
import { ConfigError } from './errors.ts';
import { parseConfig, type SyncConfig } from './schema.ts';

export async function loadConfig(file: string | undefined, required: boolean): Promise<SyncConfig> {
    if (!file) return parseConfig({});
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch {
        if (required) throw new ConfigError(`Cannot read the config file ${file}`);
        return parseConfig({});
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new ConfigError(`Config file ${file} is not valid JSON: ${(e as Error).message}`);
    }
    // "$schema"/"$comment" keys are documentation only
    if (json && typeof json === 'object') {
        for (const k of Object.keys(json))
            if (k.startsWith('$')) delete (json as Record<string, unknown>)[k];
    }
    return parseConfig(json, `config file ${file}`);
}
