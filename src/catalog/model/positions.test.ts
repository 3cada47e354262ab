import { describe, expect, it } from 'vitest';
import { YamlPositions, splitFieldPath } from './positions.js';

describe('splitFieldPath', () => {
  it('splits dot paths, bracket indexes, quoted keys and JSON pointers', () => {
    expect(splitFieldPath('metadata.links[0].url')).toEqual(['metadata', 'links', '0', 'url']);
    expect(splitFieldPath('spec.children.2')).toEqual(['spec', 'children', '2']);
    expect(splitFieldPath('metadata.annotations["backstage.io/x"]')).toEqual(['metadata', 'annotations', 'backstage.io/x']);
    expect(splitFieldPath('/metadata/annotations/a~1b')).toEqual(['metadata', 'annotations', 'a/b']);
    expect(splitFieldPath('')).toEqual([]);
  });
});

describe('YamlPositions', () => {
  // Line numbers are written beside each line; columns are counted by hand.
  const text = [
    '# leading comment', //                     1
    'apiVersion: backstage.io/v1alpha1', //     2
    'kind: Component', //                       3
    'metadata:', //                             4
    '  name: one', //                           5
    '---', //                                   6
    '# second document', //                     7
    'apiVersion: backstage.io/v1alpha1', //     8
    'kind: Component', //                       9
    'metadata:', //                             10
    '  name: two', //                           11
    '  annotations:', //                        12
    '    backstage.io/techdocs-ref: dir:.', //  13
    '  labels: &labels', //                     14
    '    tier: "1"', //                         15
    '  tags: [a, B]', //                        16
    'spec:', //                                 17
    '  owner:', //                              18
    '  other: *labels', //                      19
    '',
  ].join('\n');
  const positions = new YamlPositions(text);

  it('finds the document by its start line (the model gives the line after `---`, comments included)', () => {
    expect(positions.findPosition(1, 'metadata.name')).toEqual({ line: 5, col: 9 });
    expect(positions.findPosition(7, 'metadata.name')).toEqual({ line: 11, col: 9 });
  });

  it('points at scalar values, at keys of collections and empty values, and at flow items', () => {
    expect(positions.findPosition(7, 'metadata.annotations.backstage.io/techdocs-ref')).toEqual({ line: 13, col: 32 });
    expect(positions.findPosition(7, 'metadata.annotations')).toEqual({ line: 12, col: 3 });
    expect(positions.findPosition(7, 'metadata.tags[1]')).toEqual({ line: 16, col: 13 });
    expect(positions.findPosition(7, 'spec.owner')).toEqual({ line: 18, col: 3 });
  });

  it('falls back to the nearest existing parent, then to the document', () => {
    expect(positions.findPosition(7, 'spec.lifecycle')).toEqual({ line: 17, col: 1 });
    expect(positions.findPosition(7, 'metadata.tags[5]')).toEqual({ line: 16, col: 3 });
    expect(positions.findPosition(7, 'nothing.here')).toEqual({ line: 8, col: 1 });
    expect(positions.findPosition(7, '')).toEqual({ line: 8, col: 1 });
  });

  it('follows aliases to the anchored node', () => {
    expect(positions.findPosition(7, 'spec.other.tier')).toEqual({ line: 15, col: 11 });
  });
});
