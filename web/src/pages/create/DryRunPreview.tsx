/** The result of a dry-run ("Preview"): the rendered file tree, the selected file's content, the step log and output. */
import { useState } from 'react';
import type { DryRunResult } from '../../api-scaffolder.js';
import { Card, Empty } from '../../components/ui.js';
import { OutputCard } from './OutputCard.js';

/** Decodes base64 file content as UTF-8 text, or undefined when it is not text (NUL bytes or invalid UTF-8). */
export function decodeText(base64: string): string | undefined {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Files sorted by path, each with its depth, so folders read as a tree (`src/`, `  index.ts`). */
function treeRows(paths: string[]): Array<{ key: string; label: string; depth: number; file?: string }> {
  const rows: Array<{ key: string; label: string; depth: number; file?: string }> = [];
  const seenDirs = new Set<string>();
  for (const file of [...paths].sort()) {
    const parts = file.split('/');
    parts.slice(0, -1).forEach((dir, i) => {
      const key = parts.slice(0, i + 1).join('/');
      if (!seenDirs.has(key)) {
        seenDirs.add(key);
        rows.push({ key: `${key}/`, label: `${dir}/`, depth: i });
      }
    });
    rows.push({ key: file, label: parts[parts.length - 1] ?? file, depth: parts.length - 1, file });
  }
  return rows;
}

/** Shows a dry-run result; the first file is selected at first. */
export function DryRunPreview({ result }: { result: DryRunResult }) {
  const files = result.directoryContents;
  const [selected, setSelected] = useState(files.map((f) => f.path).sort()[0]);
  const file = files.find((f) => f.path === selected);
  const text = file ? decodeText(file.base64Content) : undefined;
  return (
    <div className="page" data-testid="dry-run">
      <Card title={`Preview: ${files.length} ${files.length === 1 ? 'file' : 'files'}`}>
        {files.length === 0 ? (
          <Empty>The template produced no files.</Empty>
        ) : (
          <div className="preview">
            <ul className="file-tree" aria-label="Files" data-testid="file-tree">
              {treeRows(files.map((f) => f.path)).map((row) => (
                <li key={row.key} style={{ paddingLeft: `${row.depth * 14}px` }}>
                  {row.file ? (
                    <button
                      type="button"
                      className={`link-button file-entry${row.file === selected ? ' selected' : ''}`}
                      data-path={row.file}
                      onClick={() => setSelected(row.file)}
                    >
                      {row.label}
                    </button>
                  ) : (
                    <span className="muted">{row.label}</span>
                  )}
                </li>
              ))}
            </ul>
            <div className="file-view">
              <p className="mono file-path">{selected}</p>
              {file && text === undefined ? <Empty>Binary file ({Math.round((file.base64Content.length * 3) / 4)} bytes).</Empty> : <pre className="code" data-testid="file-content">{text}</pre>}
            </div>
          </div>
        )}
      </Card>
      <Card title="Log">
        <pre className="code log" data-testid="dry-run-log">
          {result.log.map((l) => `${l.body.stepId ? `[${l.body.stepId}] ` : ''}${l.body.message}`).join('\n')}
        </pre>
      </Card>
      <OutputCard output={result.output} />
    </div>
  );
}
