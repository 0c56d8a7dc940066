import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository's root: the nearest folder above this compiled file that holds package.json. */
export const REPO_ROOT = findRoot(__dirname);
/** Where `npm run build` puts the compiled library, tests and demo. */
export const DIST = path.join(REPO_ROOT, 'dist');
/** Vectors and real tokens live beside the repository (CI clones it next to `shared/`); never copied in. */
export const SHARED = path.join(REPO_ROOT, '..', 'shared');

function findRoot(from: string): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`no package.json above ${from}`);
  }
}
