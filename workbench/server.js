// Static server of the workbench: the bundle and page (workbench/dist), SLDS assets, and the
// force-app static resources at /resource/<name> (like $Resource URLs in an org).
import { createServer } from 'node:http';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { root, distDir } from './build.js';

const sldsAssets = path.join(root, 'node_modules/@salesforce-ux/design-system/assets');
const staticResources = path.join(root, 'force-app/main/default/staticresources');
const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.woff2': 'font/woff2',
    '.woff': 'font/woff'
};

function staticResource(name) {
    const file = readdirSync(staticResources).find(
        (f) => f.startsWith(`${name}.`) && !f.endsWith('-meta.xml')
    );
    return file ? path.join(staticResources, file) : undefined;
}

function resolve(urlPath) {
    const clean = decodeURIComponent(urlPath.split('?')[0]);
    if (clean === '/' || clean === '/index.html') return path.join(distDir, 'index.html');
    if (clean === '/workbench.js') return path.join(distDir, 'workbench.js');
    if (clean.startsWith('/resource/')) return staticResource(clean.slice('/resource/'.length));
    if (clean.startsWith('/assets/')) {
        const file = path.normalize(path.join(sldsAssets, clean.slice('/assets/'.length)));
        return file.startsWith(sldsAssets) ? file : undefined;
    }
    return undefined;
}

/** Starts the server on 127.0.0.1 (port 0: any free port). Resolves { url, close }. */
export function startServer(port = 0) {
    const server = createServer((req, res) => {
        const file = resolve(req.url || '/');
        if (!file || !existsSync(file) || !statSync(file).isFile()) {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('not found');
            return;
        }
        const type =
            path.extname(file) === '.js' && file.includes(staticResources)
                ? TYPES['.js']
                : TYPES[path.extname(file)] || 'application/octet-stream';
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
        createReadStream(file).pipe(res);
    });
    return new Promise((resolveStart, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
            const { port: actual } = server.address();
            resolveStart({
                url: `http://127.0.0.1:${actual}`,
                close: () => new Promise((done) => server.close(() => done()))
            });
        });
    });
}
