// Layers as folders, enforced here: renderer → shared; main → core → shared; shared imports nothing
// of ours but itself; core never imports electron.
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((group) => ({ group: [group], message })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.tools/**', 'src/core/sandbox/openapi/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src/shared/**'], ['**/core/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', 'node:*', 'electron', 'react'], 'src/shared is pure TypeScript: no Node, no DOM, no other layer.'),
  layer(['src/core/**'], ['electron', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'], 'src/core is Node-side and UI-free: it may import only src/shared.'),
  layer(['src/renderer/**'], ['**/core/**', '**/main/**', '**/preload/**', '**/cli/**', 'node:*', 'electron'], 'The renderer talks to the backend only through the typed RPC in src/shared.'),
  layer(['src/preload/**'], ['**/core/**', '**/renderer/**', '**/cli/**'], 'The preload exposes a narrow typed API and nothing else.'),
  layer(['src/main/**'], ['**/renderer/**', '**/cli/**'], 'src/main wires core services into Electron; it never imports the renderer.'),
);
