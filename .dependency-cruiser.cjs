/**
 * The boundaries of the house, checked by `npm test` (test/foundation/boundaries.test.ts) and
 * drawn by `npm run graph`. Spec files are left out: tests may reach across modules.
 * Dependencies point one way: cli / bootstrap → web → features → authorization, common,
 * database, vocabulary.
 */
const FEATURES = '^src/(activities|audit|auth|cases|directory|health|idempotency|notifications|organisations|places|referrals|reporting|seed|users|web)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-between-folders',
      comment: 'Top-level folders of src form no cycle: a module that reacts to another listens to its events.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'repositories-are-their-modules-own',
      comment: 'Only a module imports its repositories; others call its services or read API.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.+[.]repository[.]ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'features-never-import-the-bootstrap-or-a-cli',
      comment: 'The bootstrap and the commands sit on top; nothing below imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main|bootstrap)[.]ts$|^src/cli/' },
      to: { path: '^src/(main|bootstrap)[.]ts$|^src/cli/|[.]cli[.]ts$' },
    },
    {
      name: 'directory-imports-nothing-personal',
      comment: 'The service directory is public data: it never reaches cases (persons, consent, incidents).',
      severity: 'error',
      from: { path: '^src/directory/' },
      to: { path: '^src/(cases|referrals)/' },
    },
    {
      name: 'notifications-import-no-feature',
      comment: 'Notifications render and send what features announce; they know no feature.',
      severity: 'error',
      from: { path: '^src/notifications/' },
      to: { path: FEATURES, pathNot: '^src/notifications/' },
    },
    {
      name: 'vocabulary-imports-nothing-of-the-app',
      comment: 'The vocabulary is the bottom of the house.',
      severity: 'error',
      from: { path: '^src/vocabulary/' },
      to: { path: '^src/', pathNot: '^src/vocabulary/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    exclude: { path: '[.]spec[.]ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: {
      archi: { collapsePattern: '^src/[^/]+' },
      dot: { collapsePattern: '^src/[^/]+' },
    },
  },
};
