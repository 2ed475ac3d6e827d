// Apex static analysis with Salesforce Code Analyzer's PMD engine (the library behind
// `sf code-analyzer`, whose CLI plugin does not install offline): the "Recommended" Apex rules,
// failing on severity 1 (Critical) and 2 (High). Lower severities are printed as warnings.
// Usage: node scripts/apex-analyze.ts [dir ...]   (default: force-app)
import path from 'node:path';
import { existsSync } from 'node:fs';
import { CodeAnalyzer, CodeAnalyzerConfig, SeverityLevel } from '@salesforce/code-analyzer-core';
import * as pmdEngine from '@salesforce/code-analyzer-pmd-engine';

const targets = (process.argv.length > 2 ? process.argv.slice(2) : ['force-app'])
    .map((p) => path.resolve(p))
    .filter((p) => existsSync(p));

// Our standards make these blocking too (every class declares sharing; no SOQL/DML in loops),
// so they are raised from Moderate (3) to High (2).
const config = CodeAnalyzerConfig.fromObject({
    engines: {
        pmd: { java_command: process.env.JAVA_COMMAND ?? 'java' },
        cpd: { disable_engine: true }
    },
    rules: {
        pmd: {
            ApexSharingViolations: { severity: 2 },
            OperationWithLimitsInLoop: { severity: 2 },
            ApexUnitTestClassShouldHaveAsserts: { severity: 2 }
        }
    }
});
const analyzer = new CodeAnalyzer(config);
await analyzer.addEnginePlugin(pmdEngine.createEnginePlugin());
const workspace = await analyzer.createWorkspace(targets);
const rules = await analyzer.selectRules(['pmd:Recommended:Apex'], { workspace });
const results = await analyzer.run(rules, { workspace });

for (const engineName of results.getEngineNames()) {
    const engineResults = results.getEngineRunResults(engineName);
    const error = (engineResults as { getErrorMessage?: () => string }).getErrorMessage?.();
    if (error) {
        console.error(`apex-analyze: engine ${engineName} failed: ${error}`);
        process.exit(1);
    }
}

const violations = results.getViolations();
let blocking = 0;
for (const v of violations) {
    const loc = v.getPrimaryLocation();
    const severity = v.getRule().getSeverityLevel();
    const file = path.relative(process.cwd(), loc.getFile() ?? '');
    const isBlocking = severity <= SeverityLevel.High;
    if (isBlocking) blocking++;
    console.log(
        `${isBlocking ? 'ERROR' : 'warn '} sev${severity} ${file}:${loc.getStartLine()} ` +
            `${v.getRule().getName()}: ${v.getMessage()}`
    );
}
console.log(
    `apex-analyze: ${rules.getCount()} PMD rules, ${violations.length} violation(s), ` +
        `${blocking} of severity 1-2 (blocking)`
);
process.exit(blocking > 0 ? 1 : 0);
