// dependency-cruiser: the sync worker's modules must not import each other in a cycle
// (`npm run deps:check`, part of `npm test`).
module.exports = {
    forbidden: [
        {
            name: 'no-circular',
            severity: 'error',
            comment: 'A module must not reach itself through its imports (type-only imports too).',
            from: {},
            to: { circular: true }
        }
    ],
    options: {
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: 'tsconfig.json' },
        enhancedResolveOptions: { extensions: ['.ts', '.js'] }
    }
};
