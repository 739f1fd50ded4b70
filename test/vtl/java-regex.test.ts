import { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit, translateJavaRegex } from '../../lib/vtl/java-regex';

/**
 * java.util.regex constructs JavaScript lacks, emulated. Every expectation was checked with
 * java.util.regex on Java 17 (String.matches / replaceAll / split, Matcher.find).
 */

/** Matcher.find() over the whole input, with the pattern compiled as the renderer compiles it. */
const find = (pattern: string, s: string): string[] => {
  const t = translateJavaRegex(pattern);
  return [...s.matchAll(new RegExp(t.source, `${t.flags}g`))].map((m) => m[0]);
};

describe('flags', () => {
  test('(?U) makes \\w, \\d, \\s and POSIX classes Unicode', () => {
    expect(find('\\w+', 'aéb')).toEqual(['a', 'b']);
    expect(find('(?U)\\w+', 'aéb')).toEqual(['aéb']);
    expect(find('\\p{Punct}+', '!¡')).toEqual(['!']);
    expect(find('(?U)\\p{Punct}+', '!¡')).toEqual(['!¡']);
    expect(javaSplit('a \u00a0b', '\\s+')).toEqual(['a', '\u00a0b']);
    expect(javaSplit('a \u00a0b', '(?U)\\s+')).toEqual(['a', 'b']);
  });

  test('(?i) folds ASCII only unless (?u); scoped (?i:...) and mid-pattern (?i)', () => {
    expect(javaMatches('É', '(?i)é')).toBe(false);
    expect(javaMatches('É', '(?iu)é')).toBe(true);
    expect(javaMatches('ABC', '(?i)[a-c]+')).toBe(true);
    expect(javaMatches('aBc', 'a(?i:b)c')).toBe(true);
    expect(javaMatches('aBC', 'a(?i:b)c')).toBe(false);
    expect(javaMatches('aBC', 'a(?i)bc')).toBe(true);
    expect(javaMatches('A', '(?i)[^a]')).toBe(false);
  });

  test('(?x) ignores whitespace and # comments, inside classes too', () => {
    expect(javaMatches('ab', '(?x) a b # c')).toBe(true);
    expect(javaMatches(' ', '(?x)[a b]')).toBe(false);
    expect(javaMatches('a b', '(?x)a\\ b')).toBe(true);
  });

  test('(?s), (?d) and Java\'s line terminators for . ^ $', () => {
    expect(javaMatches('\n', '.')).toBe(false);
    expect(javaMatches('\u0085', '.')).toBe(false);
    expect(javaMatches('\n', '(?s).')).toBe(true);
    expect(javaMatches('\r', '(?d).')).toBe(true);
    expect(javaReplaceAll('a\n', '$', 'X')).toBe('aX\nX');
    expect(javaReplaceAll('a\nb\n', '(?m)^', 'X')).toBe('Xa\nXb\n');
    expect(javaReplaceAll('a\r\nb', '(?m)$', 'X')).toBe('aX\r\nbX');
  });
});

describe('classes', () => {
  test('intersections (&&) and nested classes (union)', () => {
    expect(find('[a-z&&[^b]]+', 'abc')).toEqual(['a', 'c']);
    expect(find('[abc&&b-z]+', 'abcd')).toEqual(['bc']);
    expect(find('[a-z&&[^aeiou]&&[^x-z]]+', 'abcxyz')).toEqual(['bc']);
    expect(find('[\\w&&\\D]+', 'a1b')).toEqual(['a', 'b']);
    expect(find('[\\p{L}&&[^a]]+', 'abc')).toEqual(['bc']);
    expect(javaMatches('c', '[a[bc]]')).toBe(true);
  });

  test('Java class syntax: a ] first is literal, - at the ends is literal, \\Q...\\E inside', () => {
    expect(javaMatches(']', '[]a]')).toBe(true);
    expect(javaMatches('b', '[^]a]')).toBe(true);
    expect(javaMatches('-', '[a-]')).toBe(true);
    expect(javaMatches('-', '[\\w-a]')).toBe(true);
    expect(javaMatches(']', '[\\Q]\\E]')).toBe(true);
  });

  test('Unicode properties, scripts, blocks, java* and POSIX classes', () => {
    expect(find('\\p{Lu}+', 'ÀBc')).toEqual(['ÀB']);
    expect(javaMatches('é', '\\p{Ll}')).toBe(true);
    expect(javaMatches('é', '\\pL')).toBe(true);
    expect(javaMatches('É', '\\p{IsLu}')).toBe(true);
    expect(find('\\p{IsAlphabetic}+', 'aé1')).toEqual(['aé']);
    expect(find('\\p{InGreek}+', 'xαβγ')).toEqual(['αβγ']);
    expect(find('\\p{IsGreek}+', 'xαβγ')).toEqual(['αβγ']);
    expect(find('\\p{IsLatin}+', 'aé')).toEqual(['aé']);
    expect(javaMatches('α', '\\p{sc=Greek}')).toBe(true);
    expect(find('\\p{javaLowerCase}+', 'aéB')).toEqual(['aé']);
    expect(find('\\p{Alpha}+', 'aé')).toEqual(['a']);
  });
});

describe('backtracking control and anchors', () => {
  test('possessive quantifiers and atomic groups do not give back', () => {
    expect(find('a*+a', 'aaa')).toEqual([]);
    expect(find('a{2,}+a', 'aaaa')).toEqual([]);
    expect(find('a?+a', 'a')).toEqual([]);
    expect(find('(?>a|ab)c', 'abc')).toEqual([]);
    expect(find('(?>a|ab)c', 'ac')).toEqual(['ac']);
  });

  test('groups keep Java\'s numbers in replacements and backreferences despite the emulation', () => {
    expect(javaReplaceAll('ab', '(?>(a))(b)', '$2$1')).toBe('ba');
    expect(find('(a)++(b)\\1', 'aaba')).toEqual(['aaba']);
    expect(javaReplaceAll('2024', '(?<year>\\d{4})', '${year}!')).toBe('2024!');
    expect(javaReplaceFirst('10-20', '(\\d+)-(\\d+)', '$2-$1')).toBe('20-10');
  });

  test('\\G at the start, \\R, and \\b with Java 8-18 word characters', () => {
    expect(javaReplaceAll('aab', '\\Ga', 'x')).toBe('xxb');
    expect(javaMatches('\r\n', '\\R')).toBe(true);
    expect(javaMatches('\r\n', '\\R\\n')).toBe(true);
    expect(find('\\bé', 'x é')).toEqual(['é']);
    expect(javaReplaceAll('ab cd', '\\b', '|')).toBe('|ab| |cd|');
  });

  test('escapes: \\x{...}, \\0 octal, \\c, code points beyond U+FFFF', () => {
    expect(javaMatches('😀', '\\x{1F600}')).toBe(true);
    expect(javaMatches('😀', '.')).toBe(true);
    expect(javaMatches('😁', '[😀-😂]')).toBe(true);
    expect(javaMatches('A', '\\0101')).toBe(true);
    expect(javaMatches('\u0001', '\\cA')).toBe(true);
  });

  test('a quantified assertion is accepted, as Java accepts it; {n} with nothing before it repeats the empty string', () => {
    expect(find('(?=a)*b', 'b')).toEqual(['b']);
    expect(javaMatches('aa', 'a{2}{3}')).toBe(true);
    expect(javaMatches('b', '{2}b')).toBe(true);
  });

  test('(?m)^ never matches at the end of the input, even an empty one', () => {
    expect(javaReplaceAll('', '(?m)^', '<>')).toBe('');
    expect(javaReplaceAll('a\n', '(?m)^', '<>')).toBe('<>a\n');
  });

  test('backreferences: to a missing group never match; to a group that may not have matched are refused', () => {
    expect(find('a\\2?', 'ab')).toEqual(['a']);
    expect(find('(a|b)\\1', 'aa ab')).toEqual(['aa']);
    expect(() => find('(a)?\\1', 'a')).toThrow(/may not have matched/);
    expect(() => find('\\1(a)', 'a')).toThrow(/before its group closes/);
  });
});
