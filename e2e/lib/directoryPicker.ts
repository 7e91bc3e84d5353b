// The template editor's "Load Template Directory" calls window.showDirectoryPicker(), which opens
// a native dialog that a headless browser cannot answer. installDirectoryPicker() replaces it in
// the page with one that copies the given directory into the origin-private file system (a real
// FileSystemDirectoryHandle, which the editor can keep in IndexedDB) and returns that directory,
// so the editor reads the template from disk through its own code path.
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { readTree } from '@internal/dev-kit';

/** Runs in the page before any app script. */
function browserInit({ rootName, files }: { rootName: string; files: Record<string, string> }) {
  (window as any).showDirectoryPicker = async () => {
    const opfs = await navigator.storage.getDirectory();
    await opfs.removeEntry(rootName, { recursive: true }).catch(() => {});
    const root = await opfs.getDirectoryHandle(rootName, { create: true });
    for (const [p, b64] of Object.entries(files)) {
      const parts = p.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        dir = await dir.getDirectoryHandle(part, { create: true });
      }
      const file = await dir.getFileHandle(parts[parts.length - 1], { create: true });
      const writable = await file.createWritable();
      await writable.write(Uint8Array.from(atob(b64), c => c.charCodeAt(0)));
      await writable.close();
    }
    return root;
  };
}

export async function installDirectoryPicker(context: BrowserContext, dir: string) {
  await context.addInitScript(browserInit, {
    rootName: path.basename(dir),
    files: await readTree(dir, 'base64'),
  });
}
