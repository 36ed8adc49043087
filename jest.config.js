// Two projects: `unit` (beside the code, no database or Redis) and `e2e` (real PostgreSQL + Redis).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      // Rewrites @app/<lib> imports at transform time, so the global setup resolves them too.
      baseUrl: __dirname,
      paths: { '@app/*': ['libs/*/src'] },
    },
    module: { type: 'commonjs' },
  },
];

// Dependencies that ship only ES modules; swc turns them into CommonJS for Jest.
const ESM_ONLY = ['/node_modules/(?!(content-disposition|openid-client|oauth4webapi|jose)/)'];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      transform: { '^.+\\.(ts|js)$': swc },
      transformIgnorePatterns: ESM_ONLY,
      testEnvironment: 'node',
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // The test PDS's own packages (Node 22, run as a separate process).
      modulePathIgnorePatterns: ['<rootDir>/test/pds/'],
      transform: { '^.+\\.(ts|js)$': swc },
      transformIgnorePatterns: ESM_ONLY,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
