// Apex semantic check with apex-ls (Apex Dev Tools' language server, already in node_modules as
// a dependency of the Code Analyzer PMD engine; runs on Java 17): type errors, unknown
// variables/methods/fields, reserved identifiers, wrong runAs arguments... what a deploy would
// reject and Prettier/PMD (parsers only) cannot see.
//
// apex-ls loads standard objects from the classes com.nawforce.runforce.SObjects.* of its
// sobject-types jar, and lists them from the FIRST classpath entry holding that package. Its copy
// lacks Omni-Channel (PendingServiceRouting, ServiceChannel, SkillRequirement.IsAdditionalSkill),
// so this script extracts that jar into a temp dir, compiles our stubs over it
// (scripts/apex-ls-stubs, fields per the Object Reference) and puts the dir first.
//
// Fails on every error, and on "Local variable is hiding class field" (Apex names are
// case-insensitive: a local `plain` hides a constant `PLAIN`). Other warnings are printed.
// Usage: node scripts/apex-check.ts [project dir]   (default: the current directory)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { javaLibJar, javaLibJars } from './apex-ls-jars.ts';

const projectDir = path.resolve(process.argv[2] ?? '.');
const stubsDir = path.join(projectDir, 'scripts/apex-ls-stubs');
const java = process.env.JAVA_COMMAND ?? 'java';
const javaBin = (tool: string) =>
    process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', tool) : tool;

const work = mkdtempSync(path.join(os.tmpdir(), 'fse-apex-check-'));
function fail(message: string): never {
    console.error(`apex-check: ${message}`);
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
}

function run(command: string, args: string[], cwd?: string) {
    const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (result.error) fail(`cannot run ${command}: ${result.error.message} (Java 17 JDK needed)`);
    return result;
}

let jars: string[] = [];
let apexLs = '';
let sobjectTypes = '';
let standardTypes = '';
try {
    jars = javaLibJars(projectDir);
    apexLs = javaLibJar('apex-ls_', projectDir);
    sobjectTypes = javaLibJar('sobject-types-', projectDir);
    standardTypes = javaLibJar('standard-types-', projectDir);
} catch (e) {
    fail((e as Error).message);
}

try {
    // 1. A clean copy of the project: apex-ls scans the whole workspace (node_modules too).
    const copy = path.join(work, 'project');
    mkdirSync(copy);
    for (const name of ['sfdx-project.json', '.forceignore']) {
        if (existsSync(path.join(projectDir, name)))
            cpSync(path.join(projectDir, name), path.join(copy, name));
    }
    cpSync(path.join(projectDir, 'force-app'), path.join(copy, 'force-app'), {
        recursive: true,
        filter: (src) => !/[\\/](node_modules|__tests__|jest-mocks)$/.test(src)
    });

    // 2. Standard objects plus our stubs, in one classpath entry placed first.
    const classes = path.join(work, 'sobjects');
    mkdirSync(classes);
    const extract = run(javaBin('jar'), ['xf', sobjectTypes], classes);
    if (extract.status !== 0) fail(`jar xf ${sobjectTypes} failed: ${extract.stderr}`);
    const stubs = readdirSync(stubsDir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.java'))
        .map((f) => path.join(stubsDir, f));
    const javac = run(javaBin('javac'), [
        '-nowarn',
        '-d',
        classes,
        '-cp',
        [sobjectTypes, standardTypes].join(path.delimiter),
        ...stubs
    ]);
    if (javac.status !== 0) fail(`the stubs in ${stubsDir} do not compile:\n${javac.stderr}`);

    // 3. apex-ls, JSON output with warnings.
    const started = Date.now();
    const check = run(java, [
        '-cp',
        [classes, ...jars].join(path.delimiter),
        'io.github.apexdevtools.apexls.CheckForIssues',
        '-n',
        '-d',
        'warnings',
        '-f',
        'json',
        '-w',
        copy
    ]);
    // Exit 0: clean; 4: issues found. Anything else is a crash.
    if (check.status !== 0 && check.status !== 4) {
        fail(`apex-ls exited with ${check.status}:\n${check.stderr}${check.stdout}`);
    }
    type Message = {
        start: { line: number };
        category: string;
        message: string;
    };
    let report: { files: { path: string; messages: Message[] }[] };
    try {
        report = JSON.parse(check.stdout) as typeof report;
    } catch {
        fail(`unreadable apex-ls output:\n${check.stdout}\n${check.stderr}`);
    }
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const file of report.files) {
        const where = path.relative(copy, file.path);
        for (const m of file.messages) {
            const text = m.message.replaceAll(copy + path.sep, '');
            const line = `${where}:${m.start.line} ${m.category}: ${text}`;
            const blocking =
                m.category !== 'Warning' || /Local variable is hiding class field/.test(text);
            (blocking ? errors : warnings).push(line);
        }
    }
    for (const w of warnings) console.log(`warn  ${w}`);
    for (const e of errors) console.log(`ERROR ${e}`);
    // classes/ is grouped in folders by domain: apex-ls reads the whole package directory.
    const sources = readdirSync(path.join(copy, 'force-app'), {
        recursive: true,
        encoding: 'utf8'
    });
    const count = (ext: string) => sources.filter((f) => f.endsWith(ext)).length;
    console.log(
        `apex-check: apex-ls ${path.basename(apexLs)}, ${count('.cls')} classes and ` +
            `${count('.trigger')} triggers, ${errors.length} error(s), ` +
            `${warnings.length} warning(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
    process.exitCode = errors.length > 0 ? 1 : 0;
} finally {
    rmSync(work, { recursive: true, force: true });
}
