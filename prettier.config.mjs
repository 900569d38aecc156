// Layout only (ESLint does the rest, see eslint.config.mjs). Options chosen to match the code as
// written: long lines (~130 columns), double quotes in src/ (TypeScript) and rollup.config.mjs,
// single quotes in the JavaScript of test/, bench/, demo/. assembly/ is AssemblyScript (decorators
// on functions), which Prettier's TypeScript parser rejects: see .prettierignore.
export default {
  printWidth: 130,
  overrides: [
    {
      files: ['test/**', 'bench/**', 'demo/**', 'eslint.config.mjs', 'prettier.config.mjs'],
      options: { singleQuote: true },
    },
  ],
};
