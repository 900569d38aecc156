// Lint for src/ (TypeScript), test/, bench/, demo/ (JavaScript modules), run by `npm test`.
// Why ESLint + typescript-eslint (and Prettier for layout) rather than Biome: the type-aware rules
// (no-floating-promises, no-misused-promises, await-thenable) see through the TypeScript program,
// which is what catches a dropped promise such as `assert.not.throws(async () => trainNT(...))`.
// assembly/ and bench/probe/ are AssemblyScript (decorators on functions, i32/f64/v128 types): not
// TypeScript that tsc or this parser accept, so they are left to the AssemblyScript compiler.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

// Assertions that cannot fail (uvu has no `rejects`: use `await rejects(...)` from test/helpers/assert.mjs).
const cannotFail = [
  {
    selector: "CallExpression[callee.property.name='throws'] > :matches(ArrowFunctionExpression, FunctionExpression)[async=true]",
    message:
      'assert.throws / assert.not.throws never see an async function fail (its promise is dropped): use `await rejects(fn, expected)` or `await fn()`.',
  },
  {
    // uvu calls a function `expects` as a predicate: RangeError(err) is a new, truthy object
    selector: "CallExpression[callee.property.name='throws'][arguments.1.type='Identifier'][arguments.1.name=/Error$/]",
    message:
      'assert.throws(fn, SomeError) passes for any thrown error (uvu calls it as a predicate): use (e) => e instanceof SomeError && /…/.test(e.message).',
  },
  {
    // uvu reads a lone string after fn as the failure message, not as the expected error
    selector:
      "CallExpression[callee.property.name='throws'][arguments.1.type='Literal']:not([arguments.1.regex]):not([arguments.2])",
    message: 'assert.throws(fn, "text") treats the string as the failure message: pass a RegExp to match the error.',
  },
  {
    // without an expectation any error passes, a TypeError from a typo in the test included
    selector: "CallExpression[callee.object.name='assert'][callee.property.name='throws']:not([arguments.1])",
    message: 'assert.throws(fn) accepts any error (a typo in the test included): match it with a RegExp or a predicate.',
  },
  {
    selector: "CallExpression[callee.object.name='assert'][callee.property.name='ok'][arguments.0.type='Literal']",
    message: 'assert.ok(<literal>) cannot fail (or always fails): assert the condition itself.',
  },
];

// A promise handed to an assertion is compared as an object: assert.equal(p, q) of two pending
// promises passes (no own keys), assert.ok(p) always passes. Type-aware, so it sees async helpers too.
const noPromiseInAssert = {
  meta: {
    type: 'problem',
    messages: { promise: 'a Promise passed to {{name}}: await it (the assertion compares the promise object)' },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    const checker = services.program.getTypeChecker();
    const thenable = (type) =>
      type.isUnion()
        ? type.types.some(thenable)
        : !(type.flags & 1) /* any */ && checker.getPropertyOfType(type, 'then') !== undefined;
    return {
      CallExpression(node) {
        const name = context.sourceCode.getText(node.callee);
        if (!/^assert(\.\w+)+$/.test(name)) return;
        for (const arg of node.arguments) {
          if (thenable(checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(arg)))) {
            context.report({ node: arg, messageId: 'promise', data: { name } });
          }
        }
      },
    };
  },
};

export default defineConfig(
  { ignores: ['assembly/**', 'bench/probe/**', 'build/**', 'dist/**', 'demo/lib/**', 'node_modules/**', 'results/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      parserOptions: {
        project: ['./tsconfig.json', './test/tsconfig.json', './tsconfig.lint.json'],
        tsconfigRootDir: root,
      },
    },
    rules: {
      // Promises: a rejected promise nobody awaits is a test (or a run) that cannot fail.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Comparing a value with itself is always true (or, for NaN, always false).
      'no-self-compare': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['test/**/*.mjs', 'bench/**/*.mjs', '*.mjs', 'demo/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/**/*.mjs'],
    plugins: { local: { rules: { 'no-promise-in-assert': noPromiseInAssert } } },
    rules: { 'no-restricted-syntax': ['error', ...cannotFail], 'local/no-promise-in-assert': 'error' },
  },
  {
    // Pages and workers, and the browser tests' page.evaluate callbacks: browser globals.
    files: ['demo/*.js', 'bench/browser/**', 'test/browser/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
);
