/** File-name globs of the `allowlist.files.patterns` setting (`**`, `*`, `?`, `{a,b}`), matched against
 * a path with forward slashes. A pattern without a slash matches the file name anywhere, as VS Code's
 * `files.associations` does. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.includes('/') ? glob : `**/${glob}`;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '{') {
      const close = pattern.indexOf('}', i);
      if (close === -1) source += '\\{';
      else {
        source += `(?:${pattern.slice(i + 1, close).split(',').map(escape).join('|')})`;
        i = close;
      }
    } else source += escape(ch);
  }
  return new RegExp(`(?:^|/)${source.replace(/^\(\?:\.\*\/\)\?/, '(?:.*/)?')}$`, 'i');
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}
