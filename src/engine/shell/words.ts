/**
 * One POSIX shell word ('single', "double", backslash escapes) back to its text; undefined when the text
 * is not exactly one word. Reads back commands built with `sh` (the simulator recognises them this way).
 */
export function unquoteWord(text: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && '"\\$`'.includes(text[j + 1] ?? '')) j++;
        out += text[j];
      }
      if (j >= text.length) return undefined;
      i = j + 1;
    } else if (c === '\\') {
      out += text[i + 1] ?? '';
      i += 2;
    } else if (/\s/.test(c)) {
      return undefined;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** The words of a simple command line, each unquoted; undefined when one is not a plain quoted word. */
export function shellWords(text: string): string[] | undefined {
  const out: string[] = [];
  const trimmed = text.trim();
  if (trimmed === '') return out;
  for (const word of trimmed.split(/\s+/)) {
    const plain = unquoteWord(word);
    if (plain === undefined) return undefined;
    out.push(plain);
  }
  return out;
}
