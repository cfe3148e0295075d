// irc-framework splits long messages between graphemes with
// grapheme-splitter, ~23 KB of Unicode tables held by every bot. The runtime
// already knows graphemes (Intl.Segmenter, which Seshet's own line splitting
// uses, irc/split-text.ts): this stands in for the package with it (see
// lean-modules.ts), keeping the methods irc-framework and the package offer.
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export default class GraphemeSplitter {
  *iterateGraphemes(text: string): IterableIterator<string> {
    for (const s of segmenter.segment(text)) yield s.segment;
  }

  splitGraphemes(text: string): string[] {
    return [...this.iterateGraphemes(text)];
  }

  countGraphemes(text: string): number {
    let n = 0;
    for (const _ of segmenter.segment(text)) n++;
    return n;
  }
}
