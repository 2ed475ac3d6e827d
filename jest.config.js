import { jestConfig } from '@salesforce/sfdx-lwc-jest/config.js';
const esmOnly = ['p-queue', 'p-timeout', 'eventemitter3', 'marked'].join('|');
export default {
    projects: [
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
