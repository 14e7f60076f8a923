// Full-text queries for the log store's FTS5 index.
//
// Users type plain words ("timeout user=alice"); FTS5 has a syntax of its own in which
// `-`, `:`, `"`, `(`, `*`, AND/OR/NOT/NEAR mean something. Plain text is therefore turned
// into FTS5 *strings*: every word becomes a quoted phrase (quotes doubled), so its tokens
// must appear next to each other, and all words must appear (implicit AND). A trailing `*`
// keeps its meaning (prefix search). Raw FTS5 expressions are accepted separately (`match`),
// for users who want OR, NOT, NEAR or column-free grouping.
//
// The index uses FTS5's unicode61 tokenizer: words are runs of letters and digits, case and
// diacritics folded. Scripts without spaces (Chinese, Japanese) form one token per run, so
// such text is found by its beginning (`中文*`), not by any substring.

/** True for a word with something the tokenizer indexes (a letter or a digit). */
function hasToken(word: string): boolean {
  return /[\p{L}\p{N}]/u.test(word);
}

/**
 * The FTS5 expression for plain text: `"word1" "word2"*`..., or undefined when the text has
 * nothing searchable (empty, or only punctuation).
 */
export function plainTextQuery(text: string): string | undefined {
  const parts: string[] = [];
  for (const raw of text.split(/\s+/)) {
    if (!raw) continue;
    const prefix = raw.length > 1 && raw.endsWith('*');
    const word = prefix ? raw.replace(/\*+$/, '') : raw;
    if (!hasToken(word)) continue;
    parts.push(`"${word.replaceAll('"', '""')}"${prefix ? '*' : ''}`);
  }
  return parts.length ? parts.join(' ') : undefined;
}
