// Commands typed as one line ("sh -c 'echo hi'") ⇄ the string arrays Kubernetes stores.

/**
 * Splits a command line into words as a POSIX shell would without expansion: whitespace
 * separates words; '…' is literal; "…" allows \" \\ \$ \`; a backslash outside quotes escapes
 * the next character. An unterminated quote runs to the end of the text.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      inWord = true;
      const end = text.indexOf("'", i + 1);
      cur += end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) {
          cur += text[i + 1];
          i += 2;
        } else {
          cur += text[i];
          i++;
        }
      }
      i++;
    } else if (ch === '\\' && i + 1 < text.length) {
      inWord = true;
      // A backslash-newline joins lines, as in a shell.
      if (text[i + 1] !== '\n') cur += text[i + 1];
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      inWord = true;
      cur += ch;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so that splitArgs gives it back unchanged. */
export function quoteArg(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins words into one line; splitArgs(joinArgs(words)) equals words for every array. */
export function joinArgs(words: readonly string[] | undefined): string {
  return (words ?? []).map(quoteArg).join(' ');
}
