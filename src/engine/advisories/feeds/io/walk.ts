import type { Dir } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { FeedError, type FeedLocation } from '../errors.js';

export interface WalkedFile {
  path: string;
  /** Path relative to the walked directory, for messages. */
  name: string;
}

/**
 * Every regular file under `root`, depth first, in name order so imports are repeatable. Hidden entries
 * (.git, .DS_Store) are skipped; symbolic links are not followed, so a link cycle cannot loop forever.
 */
export async function* walkFiles(
  root: string,
  location: FeedLocation,
  directory = root,
): AsyncGenerator<WalkedFile> {
  const entries: { name: string; isDirectory: boolean; isFile: boolean }[] = [];
  for await (const entry of await openDirectory(directory, root, location)) {
    if (entry.name.startsWith('.')) continue;
    entries.push({ name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) yield* walkFiles(root, location, path);
    else if (entry.isFile) yield { path, name: relative(root, path) };
  }
}

async function openDirectory(directory: string, root: string, location: FeedLocation): Promise<Dir> {
  try {
    return await opendir(directory);
  } catch (error) {
    const entry = relative(root, directory);
    throw new FeedError(`cannot read: ${(error as Error).message}`, {
      ...location,
      ...(entry ? { entry } : {}),
    });
  }
}
