// Where apex-ls and its type jars live: node_modules of @salesforce/code-analyzer-pmd-engine
// (a devDependency). Their names carry versions (apex-ls_2.13-6.0.2.jar,
// sobject-types-65.0.0.jar), so they are found by prefix, never by full name.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function javaLibDir(projectDir = '.'): string {
    return path.resolve(
        projectDir,
        'node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib'
    );
}

/** Every jar of the java-lib folder; throws a readable error when the folder is missing. */
export function javaLibJars(projectDir = '.'): string[] {
    const dir = javaLibDir(projectDir);
    if (!existsSync(dir)) throw new Error(`${dir} not found: run npm ci`);
    return readdirSync(dir)
        .filter((f) => f.endsWith('.jar'))
        .sort()
        .map((f) => path.join(dir, f));
}

/** The jar whose name starts with `prefix` (e.g. 'sobject-types-'). */
export function javaLibJar(prefix: string, projectDir = '.'): string {
    const jar = javaLibJars(projectDir).find((j) => path.basename(j).startsWith(prefix));
    if (!jar) throw new Error(`no ${prefix}*.jar in ${javaLibDir(projectDir)}`);
    return jar;
}
