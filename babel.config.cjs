// Babel is used by Jest only, for the TypeScript project (sync-worker, test):
// TypeScript and ES modules become CommonJS, import.meta is mapped for CJS.
// LWC files are transformed by @lwc/jest-transformer through the sfdx-lwc-jest preset.
module.exports = {
    presets: [
        ['@babel/preset-env', { targets: { node: '22' } }],
        ['@babel/preset-typescript', { allowDeclareFields: true }]
    ],
    plugins: ['babel-plugin-transform-import-meta']
};
