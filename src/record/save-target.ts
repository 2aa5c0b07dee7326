// Where a finished file goes. With the File System Access API
// (showSaveFilePicker, Chromium) a recording streams into the chosen file as
// it is encoded and is committed only when complete: a cancelled or failed
// recording discards its writes and removes the file the picker created.
// Without it files are downloaded from memory when complete.
import type { StreamTargetChunk } from 'mediabunny';

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}
type SavePicker = (o: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

function picker(): SavePicker | null {
  const f = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  return typeof f === 'function' ? f : null;
}

/** Whether this browser can stream a recording to a file (no whole video in memory). */
export function canStreamToFile(): boolean {
  return picker() !== null;
}

export interface FileTarget {
  /** the chosen file's name */
  name: string;
  /** what mediabunny's StreamTarget writes to (positioned writes) */
  writable: WritableStream<StreamTargetChunk>;
  /** bytes written so far (the file's length once committed) */
  readonly size: number;
  /** makes the written bytes the file's content */
  commit(): Promise<void>;
  /** drops the writes and removes the file */
  discard(): Promise<void>;
}

/**
 * Asks where to save (must run from a user gesture). Null when the person
 * closed the picker without choosing.
 */
export async function chooseFileTarget(suggestedName: string, mimeType: string): Promise<FileTarget | null> {
  const pick = picker();
  if (!pick) throw new Error('this browser cannot save to a chosen file (no File System Access API)');
  let handle: FileSystemFileHandle;
  try {
    handle = await pick({ suggestedName, types: [{ description: mimeType, accept: { [mimeType]: [suggestedName.slice(suggestedName.lastIndexOf('.'))] } }] });
  } catch (e) {
    if ((e as Error).name === 'AbortError') return null;
    throw e;
  }
  const file = await handle.createWritable({ keepExistingData: false });
  // mediabunny closes its writer on finalize and on cancel alike: the close is a no-op here and
  // commit() / discard() decide what the file becomes
  let size = 0;
  const writable = new WritableStream<StreamTargetChunk>({
    write: (chunk) => {
      size = Math.max(size, chunk.position + chunk.data.byteLength);
      return file.write({ type: 'write', position: chunk.position, data: chunk.data as Uint8Array<ArrayBuffer> });
    },
  });
  return {
    name: handle.name,
    writable,
    get size() { return size; },
    commit: () => file.close(),
    async discard() {
      await file.abort().catch(() => {});
      // Chromium's FileSystemHandle.remove() deletes the (empty) file the picker created
      await (handle as FileSystemFileHandle & { remove?: () => Promise<void> }).remove?.().catch(() => {});
    },
  };
}

/** Saves a finished file through the browser's download (the bytes are in memory already). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // the download reads the URL asynchronously
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
