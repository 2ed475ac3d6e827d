// npm run workbench:screenshots: the README's pictures of the workbench, regenerated from the
// current components (portal at 375 px, console at 1280 px) into docs/images/.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, root } from './build.js';
import { startServer } from './server.js';
import { launchChromium } from './test-browser.js';

const outDir = path.join(root, 'docs/images');
const SHOTS = [
    { file: 'workbench-portal-catalog-375.png', id: 'fseCatalog/data', width: 375, height: 760 },
    {
        file: 'workbench-portal-consents-375.png',
        id: 'fseConsentPreferences/data',
        width: 375,
        height: 760
    },
    {
        file: 'workbench-privacy-console-1280.png',
        id: 'privacyErasureConsole/data',
        width: 1280,
        height: 820,
        async prepare(page) {
            await page
                .locator('#wb-stage')
                .getByRole('button', { name: /RP-000001/ })
                .click();
            await page.locator('#wb-stage').getByRole('button', { name: 'Anteprima' }).click();
        }
    }
];

await build({ quiet: true });
mkdirSync(outDir, { recursive: true });
const server = await startServer(0);
const browser = await launchChromium();
try {
    for (const shot of SHOTS) {
        const context = await browser.newContext({
            viewport: { width: shot.width, height: shot.height },
            locale: 'it-IT',
            timezoneId: 'Europe/Rome'
        });
        const page = await context.newPage();
        await page.goto(`${server.url}/?bare=1#${shot.id}`);
        await page.waitForTimeout(500);
        if (shot.prepare) {
            await shot.prepare(page);
            await page.waitForTimeout(300);
        }
        const file = path.join(outDir, shot.file);
        await page.screenshot({ path: file });
        console.log(`${path.relative(root, file)}: ${Math.round(statSync(file).size / 1024)} KB`);
        await context.close();
    }
} finally {
    await browser.close();
    await server.close();
}
