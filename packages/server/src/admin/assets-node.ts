/**
 * The admin page's assets on Node: the CDN build of `@menteo/elements` (`dist/cdn/`), from
 * `MENTEO_ADMIN_ASSETS` when set, else the installed package, else (in this repository) the
 * sibling package. `@menteo/elements` is not a dependency of the server (the elements' tests
 * depend on the server); install it beside the server for the console (docs/self-hosting.md).
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdminAsset, AdminPageOptions } from './page.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The folder of the elements' CDN build, or undefined when none is found. */
export function findElementsBuild(explicit?: string): string | undefined {
  if (explicit) return resolve(explicit);
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(createRequire(import.meta.url).resolve('@menteo/elements/package.json')), 'dist', 'cdn'));
  } catch {
    // Not installed: try the repository's layout.
  }
  candidates.push(fileURLToPath(new URL('../../../elements/dist/cdn', import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'menteo.js')));
}

/** Reads assets from the elements' CDN build (`explicit` folder, or found as above). */
export function nodeAdminAssets(explicit?: string): AdminPageOptions {
  const dir = findElementsBuild(explicit);
  return {
    readAsset: async (path: string): Promise<AdminAsset | undefined> => {
      if (dir === undefined) return undefined;
      const file = resolve(dir, path);
      if (!file.startsWith(dir + sep)) return undefined;
      const contentType = TYPES[extname(file)];
      if (contentType === undefined) return undefined;
      try {
        return { body: new Uint8Array(await readFile(file)), contentType };
      } catch {
        return undefined;
      }
    },
  };
}
