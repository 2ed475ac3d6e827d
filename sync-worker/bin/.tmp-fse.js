import module from 'node:module';
module.enableCompileCache?.();
const { main } = await import('../.tmp-bundle/main.js');
const argv = process.argv.slice(2);
main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => { process.exitCode = code; });
