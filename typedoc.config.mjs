// @ts-check
/**
 * typedoc for the API reference (`npm run docs`). In `packages` mode each package is converted
 * with `packageOptions`, so options that must hold per package (tags, validation, speed) live
 * there, not at the top level.
 */
import { OptionDefaults } from 'typedoc';

/**
 * Tags of the custom-elements manifest's JSDoc (read by @custom-elements-manifest/analyzer and
 * by the framework typings generators); typedoc shows them as blocks instead of warning.
 */
const ELEMENT_BLOCK_TAGS = ['@summary', '@tag', '@slot', '@csspart', '@cssprop', '@cssproperty', '@cssstate', '@fires', '@attr', '@attribute'];

/** @type {Partial<import('typedoc').TypeDocOptions>} */
const config = {
  $schema: 'https://typedoc.org/schema.json',
  name: 'Menteo',
  entryPointStrategy: 'packages',
  entryPoints: [
    'packages/api',
    'packages/client',
    'packages/server',
    'packages/mock',
    'packages/elements',
    'packages/lti',
  ],
  packageOptions: {
    entryPoints: ['src/index.ts'],
    blockTags: [...new Set([...OptionDefaults.blockTags, ...ELEMENT_BLOCK_TAGS])],
    excludePrivate: true,
    excludeInternal: true,
    // `tsc -b` type-checks; the reference only needs the declarations.
    skipErrorChecking: true,
    // No public repository URL to link sources to yet, and no git remote in every checkout.
    disableSources: true,
    disableGit: true,
    validation: { notExported: false, invalidLink: true, notDocumented: false },
    // Inherited Lit members link to Lit's own types; send readers to Lit's reference.
    externalSymbolLinkMappings: {
      '@lit/reactive-element': { PropertyDeclaration: 'https://lit.dev/docs/api/ReactiveElement/#PropertyDeclaration' },
    },
  },
  out: 'docs/api',
  readme: 'README.md',
  excludePrivate: true,
  excludeInternal: true,
  skipErrorChecking: true,
  disableSources: true,
  disableGit: true,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  // The guides' HTTP exchanges (request lines and headers).
  highlightLanguages: [...OptionDefaults.highlightLanguages, 'http'],
};

export default config;
