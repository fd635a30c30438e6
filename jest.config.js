'use strict';
/** Tests load the built package from dist/, so `npm test` builds first (see package.json). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	setupFiles: ['<rootDir>/test/helpers/env.js'],
	reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
	testTimeout: 30000,
};
