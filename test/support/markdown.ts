/** A link target written in a document: `[text](target)` or a reference definition `[label]: target`. */
export interface MarkdownLink {
  /** Numbered from 1. */
  readonly line: number;
  readonly target: string;
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/;
const EXPLICIT_ANCHOR = /<a\s+(?:id|name)="([^"]+)"/g;
const INLINE_LINK = /\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/;

/** The lines that render as prose (outside fenced code blocks), numbered from 1. */
function proseLines(markdown: string): Array<{ readonly number: number; readonly text: string }> {
  let inFence = false;
  return markdown.split('\n').flatMap((text, index) => {
    if (FENCE.test(text)) {
      inFence = !inFence;
      return [];
    }
    return inFence ? [] : [{ number: index + 1, text }];
  });
}

/**
 * GitHub's anchor for a heading: the rendered text lowercased, everything but letters, digits,
 * `_`, `-` and spaces dropped, spaces turned into `-` (as github-slugger does).
 */
export function headingSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim();
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Every anchor a document offers: its headings' slugs (a repeated slug gets `-1`, `-2`…, as on
 * GitHub) and the explicit `<a id>` / `<a name>` anchors.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    for (const match of text.matchAll(EXPLICIT_ANCHOR)) anchors.add(match[1]!);
    const heading = HEADING.exec(text);
    if (!heading) continue;
    const slug = headingSlug(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every link target in the document's prose (code blocks and inline code hold no links). */
export function linksOf(markdown: string): MarkdownLink[] {
  return proseLines(markdown).flatMap(({ number, text }) => {
    const prose = text.replace(/`[^`]*`/g, '');
    const targets = [...prose.matchAll(INLINE_LINK)].map((match) => match[1]!);
    const definition = REFERENCE_DEFINITION.exec(prose);
    if (definition) targets.push(definition[1]!);
    return targets.map((target) => ({ line: number, target }));
  });
}
