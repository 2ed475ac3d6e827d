// ESLint 9 flat config.
//  - force-app LWC: @salesforce/eslint-config-lwc (recommended) + the Lightning plugin rules;
//    jest globals for __tests__ and the shared mocks.
//  - sync-worker, test, scripts: typescript-eslint recommended (type-aware rules are left to tsc).
import { createRequire } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import jestPlugin from 'eslint-plugin-jest';

const require = createRequire(import.meta.url);
const lwcConfig = require('@salesforce/eslint-config-lwc');

const lwcFiles = [
    'force-app/**/lwc/**/*.js',
    'force-app/test/jest-mocks/**/*.js',
    'workbench/src/components/**/*.js'
];
const lwcTestFiles = ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'];

export default [
    {
        ignores: [
            'node_modules/**',
            'coverage/**',
            '.tmp/**',
            '.demo/**',
            '.sf/**',
            '.sfdx/**',
            'force-app/main/default/staticresources/**',
            'force-app/**/aura/**',
            'workbench/dist/**'
        ]
    },
    ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: lwcFiles })),
    {
        files: lwcTestFiles,
        plugins: { jest: jestPlugin },
        languageOptions: { globals: { ...globals.node, ...globals.jest } },
        rules: {
            ...jestPlugin.configs['flat/recommended'].rules,
            'jest/no-focused-tests': 'error',
            'jest/no-disabled-tests': 'error',
            '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off'
        }
    },
    ...tseslint.configs.recommended.map((config) => ({
        ...config,
        files: ['sync-worker/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts']
    })),
    {
        files: [
            'sync-worker/**/*.ts',
            'test/**/*.ts',
            'scripts/**/*.ts',
            'bench/**/*.ts',
            '**/*.{js,cjs}'
        ],
        ignores: lwcFiles,
        languageOptions: { globals: { ...globals.node } }
    },
    {
        // the sync worker stays in small functions a reader can hold in mind (issue 13)
        files: ['sync-worker/src/**/*.ts'],
        rules: {
            'max-lines-per-function': [
                'error',
                { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }
            ]
        }
    },
    {
        // the workbench page (browser code bundled by workbench/build.js)
        files: ['workbench/src/**/*.js'],
        ignores: ['workbench/src/components/**'],
        languageOptions: { globals: { ...globals.browser } }
    },
    {
        files: ['**/*.test.ts', '**/__tests__/**/*.ts'],
        plugins: { jest: jestPlugin },
        languageOptions: { globals: { ...globals.jest } },
        rules: {
            'jest/no-focused-tests': 'error',
            'jest/no-disabled-tests': 'error',
            'jest/no-identical-title': 'error',
            'jest/valid-expect': 'error'
        }
    },
    {
        files: ['test/setup/*.cjs', 'babel.config.cjs'],
        languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
        rules: { '@typescript-eslint/no-require-imports': 'off' }
    }
];
