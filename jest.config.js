// One Jest run, two projects:
//  - lwc:    Lightning Web Components under force-app, with the sfdx-lwc-jest preset,
//            @sa11y/jest's toBeAccessible() and our shared mocks in force-app/test/jest-mocks.
//  - worker: TypeScript for the sync worker, the org emulator and scripts (Babel turns TS and
//            ES modules into CommonJS; ESM-only dependencies are transformed too).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const esmOnly = ['p-queue', 'p-timeout', 'eventemitter3', 'marked'].join('|');

export default {
    projects: [
        {
            ...jestConfig,
            displayName: 'lwc',
            testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.js'],
            setupFilesAfterEnv: [
                ...(jestConfig.setupFilesAfterEnv ?? []),
                '<rootDir>/force-app/test/jest-setup.js'
            ],
            moduleNameMapper: {
                '^lightning/navigation$':
                    '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
                '^lightning/button$': '<rootDir>/force-app/test/jest-mocks/lightning/button',
                '^lightning/platformShowToastEvent$':
                    '<rootDir>/force-app/test/jest-mocks/lightning/platformShowToastEvent',
                '^@salesforce/i18n/(locale|timeZone)$':
                    '<rootDir>/force-app/test/jest-mocks/i18n/$1'
            },
            testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/.tmp/']
        },
        {
            displayName: 'worker',
            testEnvironment: 'node',
            roots: ['<rootDir>/sync-worker', '<rootDir>/test', '<rootDir>/scripts'],
            testMatch: ['**/*.test.ts'],
            setupFiles: ['<rootDir>/test/setup/node-realm.cjs'],
            transform: { '^.+\\.[cm]?[tj]s$': 'babel-jest' },
            transformIgnorePatterns: [`/node_modules/(?!(${esmOnly})/)`]
        }
    ]
};
