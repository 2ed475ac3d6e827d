// npm run test:browser: every workbench scenario (component × state) in headless Chromium at
// 1280 and 375 px, plus the interactions that matter (enrol with Enter, consent switch with Space,
// opening a request, submitting a test...). Each check fails on:
//  - any axe-core violation (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA: target-size), with colour
//    contrast really evaluated (see enableAxeInSyntheticShadow);
//  - a page error, a console error or a failed request;
//  - buttons or links whose accessible names repeat without context ("Dettagli" ×3);
//  - text run together by the template compiler ("il3 nov", "Operatore ·21", "modifica:1 ott");
//  - a raw server message shown to the user;
//  - horizontal overflow of the page at 375 px;
//  - focus lost (on <body>) or not where the interaction should leave it.
// Screenshots go to reports/workbench/ (git-ignored). Exit code 1 on any failure.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { build, root } from './build.js';
import { startServer } from './server.js';

export const CHROMIUM_FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
];
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VIEWPORTS = [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'mobile', width: 375, height: 812 }
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const RAW_SERVER_TEXT = /List has no rows|System\.\w+Exception|stackTrace|Class\.\w+/;
const RUN_TOGETHER = [
    /[a-zà-ù]{2}\d{1,2} [a-zà-ù]{3}/i, // "il3 nov", "Inviata il1 novembre"
    /[a-zà-ù]:\d/i, // "Ultima modifica:1 ott"
    /[^\s(]·|·[^\s)]/ // "Operatore ·21", "2025· Anagrafe"
];
const shotDir = path.join(root, 'reports/workbench');

/**
 * axe-core resolves aria-labelledby, aria-describedby and <label for> through
 * getRootNode().getElementById(). LWC's synthetic shadow roots throw on getElementById, so axe
 * marks those checks (and colour contrast, which looks labels up) "incomplete" and quietly skips
 * them. This gives synthetic shadow roots a getElementById that finds the element with that id
 * owned by the same root (XPath is not patched by synthetic shadow).
 */
function enableAxeInSyntheticShadow() {
    // SLDS draws decorative stripes (a 2.5 % black linear-gradient) on alerts and toasts; axe cannot
    // compute contrast over a gradient. Without the stripes the background is lighter, so the
    // contrast axe measures is never better than the real one.
    if (!document.getElementById('fse-axe-no-stripes')) {
        const style = document.createElement('style');
        style.id = 'fse-axe-no-stripes';
        style.textContent =
            '.slds-notify_alert, .slds-notify_toast { background-image: none !important; }';
        document.head.appendChild(style);
    }
    const host = [...document.querySelectorAll('#wb-stage *')].find((e) => e.shadowRoot);
    if (!host) return;
    const proto = Object.getPrototypeOf(host.shadowRoot);
    if (proto.__fseGetElementById) return;
    Object.defineProperty(proto, '__fseGetElementById', { value: true });
    Object.defineProperty(proto, 'getElementById', {
        configurable: true,
        writable: true,
        value(id) {
            const literal = id.includes('"') ? `'${id}'` : `"${id}"`;
            const found = document.evaluate(
                `//*[@id=${literal}]`,
                document,
                null,
                XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
                null
            );
            for (let i = 0; i < found.snapshotLength; i++) {
                const element = found.snapshotItem(i);
                if (element.getRootNode() === this) return element;
            }
            return null;
        }
    });
}

// ---------- helpers used by the interactions ----------
const byRole = (page, role, name) =>
    page.locator('#wb-stage').getByRole(role, { name, exact: false }).first();

async function settle(page) {
    await page.evaluate(
        () =>
            new Promise((resolve) =>
                requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 60)))
            )
    );
}

/** What has focus, looking through synthetic shadow (document.activeElement is retargeted). */
async function focused(page) {
    const target = page.locator(':focus');
    if ((await target.count()) === 0) {
        return { tag: 'BODY', name: '' };
    }
    return target.first().evaluate((el) => ({
        tag: el.tagName,
        name: (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' '),
        classes: `${el.className} ${el.closest('[class*="fse-"]')?.className || ''}`,
        type: el.getAttribute('type') || '',
        role: el.getAttribute('role') || ''
    }));
}

const focusMatches = (pattern) => (f) =>
    pattern.test(`${f.tag} ${f.name} ${f.classes} ${f.role}`)
        ? null
        : `focus on ${f.tag} "${f.name}" (${f.classes.trim()}), expected ${pattern}`;

/**
 * Interactions per scenario: run, then what focus must be (a check returning an error or null),
 * and what the page must show afterwards (text or role checks).
 */
const INTERACTIONS = {
    'fseUnsubscribe/data': [
        {
            name: 'confirm the unsubscribe with Enter',
            async run(page) {
                await byRole(page, 'button', 'Conferma la disiscrizione').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/fse-outcome/),
            expectText: /Disiscrizione registrata/
        }
    ],
    'fseUnsubscribe/writeFailed': [
        {
            name: 'confirm, the server cannot write: the error is announced and focused',
            async run(page) {
                await byRole(page, 'button', 'Conferma la disiscrizione').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/fse-failed/),
            expectText: /Non è stato possibile registrare la disiscrizione/
        }
    ],
    'consoleCampaignProgress/finished': [
        {
            name: 'send now with Enter',
            async run(page) {
                await byRole(page, 'button', 'Invia ora').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Invia ora|fse-send|fse-title/),
            expectText: /Richiesta inviata/
        }
    ],
    'fseCatalog/data': [
        {
            name: 'enrol with Enter',
            async run(page) {
                await byRole(page, 'button', 'Iscriviti: Fondamenti').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Annulla iscrizione: Fondamenti|fse-withdraw/),
            expectText: /Iscrizione effettuata|Iscritto/
        },
        {
            name: 'next page with Enter',
            async run(page) {
                await byRole(page, 'button', 'Pagina successiva').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/successiva|fse-next/)
        }
    ],
    'fseCatalog/filtersError': [
        {
            name: 'filter error is shown',
            async run() {},
            expectRole: 'alert'
        }
    ],
    'fseContentDetail/data': [
        {
            name: 'enrol with Enter',
            async run(page) {
                await byRole(page, 'button', 'Iscriviti').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Inizia|Annulla iscrizione|fse-start|fse-withdraw/)
        }
    ],
    'fseConsentPreferences/data': [
        {
            name: 'switch a consent with Space',
            async run(page) {
                await page
                    .locator('#wb-stage')
                    .getByRole('switch')
                    .or(page.locator('#wb-stage').getByRole('checkbox'))
                    .nth(1)
                    .focus();
                await page.keyboard.press('Space');
            },
            focus: focusMatches(/SMS|fse-toggle/),
            expectText: /Portale FSE/
        }
    ],
    'fseSupportRequest/data': [
        {
            name: 'search the FAQ',
            async run(page) {
                await page.locator('#wb-stage').getByRole('searchbox').first().fill('accesso');
                await page.waitForTimeout(400);
            },
            expectRole: 'group'
        },
        {
            name: 'open the form',
            async run(page) {
                await byRole(page, 'button', 'Non ho trovato').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Argomento|fse-topic/)
        }
    ],
    'fseSupportRequest/empty': [
        {
            name: 'search the FAQ without results',
            async run(page) {
                await page.locator('#wb-stage').getByRole('searchbox').first().fill('zzz');
                await page.waitForTimeout(400);
            },
            expectRole: 'status'
        }
    ],
    'fseMyLearning/data': [
        {
            name: 'open a certificate',
            async run(page) {
                await byRole(page, 'button', 'Attestato').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Attestato di partecipazione|H3/)
        }
    ],
    'fseQuiz/data': [
        {
            name: 'answer and submit',
            async run(page) {
                const stage = page.locator('#wb-stage');
                // SLDS draws its own radio: a person clicks the label
                await stage.locator('label', { hasText: 'Profilo Sanitario Sintetico' }).click();
                await stage.locator('label', { hasText: 'Sì' }).click();
                await byRole(page, 'button', 'Invia').click();
            },
            focus: focusMatches(/H3/)
        }
    ],
    'fseSelfAssessment/data': [
        {
            name: 'answer and submit',
            async run(page) {
                const groups = page.locator('#wb-stage lightning-radio-group');
                const count = await groups.count();
                for (let i = 0; i < count; i++) {
                    await groups.nth(i).locator('.slds-radio__label').first().click();
                }
                await byRole(page, 'button', 'Calcola').click();
            },
            focus: focusMatches(/fse-result-heading|H3/)
        }
    ],
    'fseSurvey/data': [
        {
            name: 'submit without a rating',
            async run(page) {
                await byRole(page, 'button', 'Invia').click();
            },
            expectRole: 'alert'
        }
    ],
    'fsePrivacyRequest/data': [
        {
            name: 'ask for erasure',
            async run(page) {
                await byRole(page, 'button', 'cancellazione').click();
            },
            expectRole: 'alertdialog'
        }
    ],
    'consoleFaqSearch/data': [
        {
            name: 'search and attach with Enter',
            async run(page) {
                await byRole(page, 'searchbox', '').fill('accesso');
                await byRole(page, 'button', 'Cerca').click();
                await settle(page);
                await page
                    .locator('#wb-stage')
                    .getByRole('button', { name: /Allega/ })
                    .first()
                    .focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Allega/)
        }
    ],
    'consoleFaqSearch/empty': [
        {
            name: 'search without results',
            async run(page) {
                await byRole(page, 'searchbox', '').fill('zzz');
                await byRole(page, 'button', 'Cerca').click();
            },
            expectRole: 'status'
        }
    ],
    'consoleFaqSearch/error': [
        {
            name: 'search fails',
            async run(page) {
                await byRole(page, 'searchbox', '').fill('accesso');
                await byRole(page, 'button', 'Cerca').click();
            },
            expectRole: 'alert'
        }
    ],
    'consoleKpiStrip/data': [
        {
            name: 'refresh with Enter keeps the focus',
            async run(page) {
                await byRole(page, 'button', 'Aggiorna indicatori').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/Aggiorna indicatori|fse-refresh/),
            expectText: /Aggiornato alle/
        }
    ],
    'consoleKpiStrip/error': [
        {
            name: 'retry after a failure',
            async run(page) {
                await byRole(page, 'button', 'Riprova').click();
            },
            expectRole: 'alert'
        }
    ],
    'consoleCallOutcome/data': [
        {
            name: 'call back without a date',
            async run(page) {
                await page.locator('#wb-stage').getByText('Da richiamare').click();
                await byRole(page, 'button', 'Registra').click();
            },
            focus: focusMatches(/INPUT/)
        }
    ],
    'consoleCallOutcome/error': [
        {
            name: 'logging fails',
            async run(page) {
                await byRole(page, 'button', 'Registra').click();
            },
            expectToast: 'error'
        }
    ],
    'consoleCaseRoutingInsight/data': [
        {
            name: 're-route without a reason',
            async run(page) {
                await byRole(page, 'button', 'Reinstrada').click();
            },
            focus: focusMatches(/TEXTAREA/)
        }
    ],
    'consoleCampaignAudienceBuilder/data': [
        {
            name: 'preview the audience',
            async run(page) {
                await byRole(page, 'button', 'Anteprima').click();
            },
            focus: focusMatches(/fse-result-heading|H3/)
        }
    ],
    'consoleCampaignAudienceBuilder/empty': [
        {
            name: 'preview without matches',
            async run(page) {
                await byRole(page, 'button', 'Anteprima').click();
            },
            expectRole: 'status'
        }
    ],
    'privacyErasureConsole/data': [
        {
            name: 'open a request with Enter',
            async run(page) {
                await byRole(page, 'button', 'RP-000001').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/fse-detail-heading|H2/)
        },
        {
            name: 'preview the erasure',
            async run(page) {
                await byRole(page, 'button', 'Anteprima').click();
            },
            expectText: /ContactPointTypeConsent/
        }
    ],
    'adminSyncRunMonitor/data': [
        {
            name: 'open a run with Enter',
            async run(page) {
                await byRole(page, 'button', 'SYNC-000001').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/SYNC-000001|H3/)
        }
    ],
    'adminProgrammeDashboard/data': [
        {
            name: 'show the organisations table',
            async run(page) {
                await byRole(page, 'button', 'tabella').focus();
                await page.keyboard.press('Enter');
            },
            focus: focusMatches(/tabella|fse-toggle-org/),
            expectRole: 'table'
        }
    ]
};

// ---------- checks ----------
async function checkPage(page, ctx, label) {
    const problems = [];
    await page.evaluate(enableAxeInSyntheticShadow);
    const axe = await new AxeBuilder({ page }).include('#wb-stage').withTags(AXE_TAGS).analyze();
    for (const v of axe.violations) {
        const where = v.nodes
            .slice(0, 3)
            .map(
                (n) =>
                    `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join(' ').trim()})` : ''}`
            )
            .join('; ');
        problems.push(`axe ${v.id}: ${v.help} — ${where}`);
    }
    // "incomplete" means axe could not decide: after enableAxeInSyntheticShadow and the gradient
    // neutraliser nothing should be left undecided for contrast or id references.
    for (const result of axe.incomplete) {
        for (const node of result.nodes) {
            const reasons = [...node.any, ...node.all, ...node.none]
                .map((c) => c.message)
                .join(' ');
            // a collapsed combobox may point aria-controls at a list it renders only when open
            // (WAI-ARIA 1.2 combobox); axe leaves that for review ("while using aria-haspopup")
            const collapsedPopup = /while using aria-haspopup/.test(reasons);
            if (
                result.id === 'color-contrast' ||
                (/Unable to determine|Cannot resolve/.test(reasons) && !collapsedPopup)
            ) {
                problems.push(`axe ${result.id} undecided on ${node.target.join(' ')}: ${reasons}`);
            }
        }
    }
    const contrast = [...axe.passes, ...axe.violations].find((r) => r.id === 'color-contrast');
    ctx.contrastNodes += contrast ? contrast.nodes.length : 0;
    const text = await page.locator('#wb-stage').innerText();
    const snapshot = await page.locator('#wb-stage').ariaSnapshot();
    const names = {};
    for (const match of snapshot.matchAll(/- (button|link) "([^"]+)"/g)) {
        // lightning-dual-listbox's own buttons (its labels, not ours)
        if (/^Move selection/.test(match[2])) continue;
        const key = `${match[1]} "${match[2]}"`;
        names[key] = (names[key] || 0) + 1;
    }
    for (const [key, count] of Object.entries(names)) {
        if (count > 1) problems.push(`${count} × ${key}: the name has no context`);
    }
    for (const pattern of RUN_TOGETHER) {
        const hit = text.match(new RegExp(`.{0,20}${pattern.source}.{0,10}`, pattern.flags));
        if (hit) problems.push(`words run together: "${hit[0]}"`);
    }
    if (RAW_SERVER_TEXT.test(text)) {
        problems.push(`raw server text shown: "${text.match(RAW_SERVER_TEXT)[0]}"`);
    }
    const toasts = await page.evaluate(() => window.fseWorkbench.platformEvents());
    for (const t of toasts.filter((e) => e.kind === 'toast')) {
        if (RAW_SERVER_TEXT.test(`${t.title} ${t.message}`)) {
            problems.push(`raw server text in a toast: "${t.message}"`);
        }
    }
    if (ctx.viewport.width <= 375) {
        // a button whose label breaks onto a second line ("Pagina / precedente") at 375 px;
        // XPath, because synthetic shadow hides the components' elements from querySelectorAll
        const wrapped = await page.evaluate(() => {
            const found = document.evaluate(
                '//*[@id="wb-stage"]//button',
                document,
                null,
                XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
                null
            );
            const names = [];
            for (let i = 0; i < found.snapshotLength; i++) {
                const button = found.snapshotItem(i);
                const box = button.getBoundingClientRect();
                const text = button.innerText.trim();
                if (box.width && text && box.height > 44 && !button.closest('[role="listbox"]')) {
                    names.push(text.replace(/\s+/g, ' '));
                }
            }
            return names;
        });
        for (const name of wrapped) {
            problems.push(`button label wraps at ${ctx.viewport.width} px: "${name}"`);
        }
        const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
        if (width > ctx.viewport.width) {
            problems.push(
                `horizontal overflow at ${ctx.viewport.width} px: page is ${width} px wide`
            );
        }
    }
    await page.screenshot({
        path: path.join(shotDir, ctx.viewport.name, `${label.replace(/[/ ]/g, '_')}.png`),
        fullPage: true
    });
    return problems;
}

async function runScenario(page, ctx, scenario, results) {
    const errors = [];
    ctx.errors = errors;
    await page.evaluate((id) => window.fseWorkbench.mount(id), scenario.id);
    await settle(page);
    if (scenario.component === 'adminProgrammeDashboard' && scenario.state === 'data') {
        await page
            .locator('#wb-stage canvas')
            .first()
            .waitFor({ timeout: 5000 })
            .catch(() => {});
        await settle(page);
    }
    const label = `${scenario.id}`;
    const problems = [...(await checkPage(page, ctx, label)), ...errors.splice(0)];
    results.push({ id: scenario.id, viewport: ctx.viewport.name, problems });
    for (const step of INTERACTIONS[scenario.id] || []) {
        const stepLabel = `${scenario.id} → ${step.name}`;
        const stepProblems = [];
        try {
            await step.run(page);
            await settle(page);
            await page.waitForTimeout(50);
            if (step.focus) {
                const problem = step.focus(await focused(page));
                if (problem) stepProblems.push(problem);
            }
            if (step.expectText) {
                const text = await page.locator('#wb-stage').innerText();
                const toasts = JSON.stringify(
                    await page.evaluate(() => window.fseWorkbench.platformEvents())
                );
                if (!step.expectText.test(text) && !step.expectText.test(toasts)) {
                    stepProblems.push(`expected text ${step.expectText} not shown`);
                }
            }
            if (step.expectRole) {
                const count = await page.locator('#wb-stage').getByRole(step.expectRole).count();
                if (!count) stepProblems.push(`expected a "${step.expectRole}" region`);
            }
            if (step.expectToast) {
                const toasts = await page.evaluate(() => window.fseWorkbench.platformEvents());
                if (!toasts.some((t) => t.kind === 'toast' && t.variant === step.expectToast)) {
                    stepProblems.push(`expected a ${step.expectToast} toast`);
                }
            }
            stepProblems.push(...(await checkPage(page, ctx, stepLabel)));
        } catch (error) {
            stepProblems.push(`interaction failed: ${error.message.split('\n')[0]}`);
        }
        stepProblems.push(...errors.splice(0));
        results.push({ id: stepLabel, viewport: ctx.viewport.name, problems: stepProblems });
    }
}

export async function launchChromium() {
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

async function main() {
    const started = Date.now();
    const only = process.argv.slice(2);
    await build({ quiet: true });
    const built = Date.now();
    rmSync(shotDir, { recursive: true, force: true });
    VIEWPORTS.forEach((v) => mkdirSync(path.join(shotDir, v.name), { recursive: true }));
    const server = await startServer(0);
    const browser = await launchChromium();
    const results = [];
    const contexts = [];
    try {
        await Promise.all(
            VIEWPORTS.map(async (viewport) => {
                const context = await browser.newContext({
                    viewport: { width: viewport.width, height: viewport.height },
                    locale: 'it-IT',
                    timezoneId: 'Europe/Rome',
                    reducedMotion: 'reduce'
                });
                const page = await context.newPage();
                page.setDefaultTimeout(5000);
                const ctx = { viewport, errors: [], contrastNodes: 0 };
                contexts.push(ctx);
                page.on('pageerror', (e) => ctx.errors.push(`page error: ${e.message}`));
                page.on('console', (m) => {
                    if (m.type() === 'error')
                        ctx.errors.push(`console error: ${m.text().split('\n')[0]}`);
                });
                page.on('requestfailed', (r) => ctx.errors.push(`request failed: ${r.url()}`));
                page.on('response', (r) => {
                    if (r.status() >= 400) ctx.errors.push(`HTTP ${r.status()}: ${r.url()}`);
                });
                await page.goto(`${server.url}/?bare=1`);
                const scenarios = await page.evaluate(() => window.fseWorkbench.scenarios);
                for (const scenario of scenarios) {
                    if (only.length && !only.some((o) => scenario.id.startsWith(o))) continue;
                    await runScenario(page, ctx, scenario, results);
                }
                await context.close();
            })
        );
    } finally {
        await browser.close();
        await server.close();
    }
    const contrastNodes = contexts.reduce((sum, c) => sum + c.contrastNodes, 0);
    if (!contrastNodes) {
        results.push({
            id: 'colour contrast',
            viewport: 'all',
            problems: ['axe never evaluated colour contrast']
        });
    }
    const failed = results.filter((r) => r.problems.length);
    for (const r of failed) {
        console.log(`✗ ${r.id} @${r.viewport}`);
        r.problems.forEach((p) => console.log(`    ${p}`));
    }
    const scenarioChecks = results.filter((r) => !r.id.includes('→')).length;
    console.log(
        `\ntest:browser: ${scenarioChecks} component×state×viewport checks and ` +
            `${results.length - scenarioChecks} interaction checks in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
            `(build ${((built - started) / 1000).toFixed(1)} s); axe checked the colour contrast of ` +
            `${contrastNodes} elements; screenshots in ${path.relative(root, shotDir)}/`
    );
    console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
    process.exitCode = failed.length ? 1 : 0;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
    main().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
