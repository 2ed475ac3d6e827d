// npm run workbench: builds the workbench and serves it (WORKBENCH_PORT, default 4321).
import { build } from './build.js';
import { startServer } from './server.js';

await build();
const { url } = await startServer(Number(process.env.WORKBENCH_PORT || 4321));
console.log(`workbench: open ${url}/ (English: ${url}/?lang=en). Ctrl+C stops it.`);
