import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  col: number;
}

/**
 * Splits an issue's field path into segments. Accepts dot paths with bracket indexes or quoted keys
 * (`metadata.links[0].url`, `metadata.annotations["backstage.io/x"]`, `spec.children.2`) and JSON pointers
 * (`/metadata/name`). Keys that contain dots (annotation keys) are rejoined while walking, see `findPosition`.
 */
export function splitFieldPath(fieldPath: string): string[] {
  if (fieldPath === '' || fieldPath === '/') return [];
  if (fieldPath.startsWith('/')) {
    return fieldPath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  const out: string[] = [];
  const re = /\[(\d+)\]|\[(["'])(.*?)\2\]|([^.[\]]+)/g;
  for (let m = re.exec(fieldPath); m; m = re.exec(fieldPath)) out.push(m[1] ?? m[3] ?? m[4] ?? '');
  return out;
}

/**
 * Field positions in one YAML file, for pointing CI users at the offending line. Parses the whole file once
 * (yaml `parseAllDocuments` + `LineCounter`); aliases are followed without being expanded.
 */
export class YamlPositions {
  private readonly lineCounter = new LineCounter();
  private readonly docs: Document.Parsed[];

  constructor(text: string) {
    this.docs = [...parseAllDocuments(text, { lineCounter: this.lineCounter, uniqueKeys: false })];
  }

  private pos(offset: number): Position {
    return this.lineCounter.linePos(offset);
  }

  /** The document holding `docLine` (the model's start line of a document): the last one starting at or before it. */
  private docAt(docLine: number): Document.Parsed | undefined {
    let found = this.docs[0];
    for (const d of this.docs) if (this.pos(d.range[0]).line <= docLine) found = d;
    return found;
  }

  /**
   * Position of the field at `fieldPath` in the document starting at `docLine`: a scalar value's own position,
   * else its key's (maps, sequences, empty values); for a missing field, the deepest part of the path that
   * exists; for nothing at all, the document's first node, or `{ line: docLine, col: 1 }`.
   */
  findPosition(docLine: number, fieldPath: string): Position {
    const doc = this.docAt(docLine);
    const root = doc?.contents;
    if (!doc || !root?.range) return { line: docLine, col: 1 };
    const segments = splitFieldPath(fieldPath);
    let node: unknown = root;
    let best: Position = this.pos(root.range[0]);
    let i = 0;
    while (i < segments.length) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const map = node;
        // Longest run of segments that names a key, so `backstage.io/x` matches a key with dots.
        let matched = false;
        for (let k = segments.length - i; k >= 1 && !matched; k--) {
          const key = segments.slice(i, i + k).join('.');
          const pair = map.items.find((p) => isPair(p) && keyText(p.key) === key);
          if (!pair) continue;
          const keyNode = pair.key as Node | null;
          const value = pair.value as Node | null;
          if (keyNode?.range) best = this.pos(keyNode.range[0]);
          if (i + k === segments.length && isScalar(value) && value.value !== null && value.range) {
            best = this.pos(value.range[0]);
          }
          node = value;
          i += k;
          matched = true;
        }
        if (!matched) break;
      } else if (isSeq(node)) {
        const item = node.items[Number(segments[i])] as Node | undefined;
        if (!/^\d+$/.test(segments[i] ?? '') || !item) break;
        if (item.range) best = this.pos(item.range[0]);
        node = item;
        i += 1;
      } else {
        break;
      }
    }
    return best;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
