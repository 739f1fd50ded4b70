import { MappingTemplate } from '../../lib/testing';

/**
 * $input.path / $input.json evaluate JSONPath as Jayway JsonPath 2.x does (default configuration).
 * Every expectation here was checked against json-path 2.10.0 on the JVM.
 */

const store = JSON.stringify({
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
  n: [3, 1, 2],
  tags: ['a', 'b'],
  empty: [],
});

/** The path as a VTL string literal (single-quoted unless the path has a single quote; VTL has no escapes). */
const literal = (path: string) => (path.includes("'") ? `"${path}"` : `'${path}'`);
const json = (path: string, body = store) => MappingTemplate.render(`$input.json(${literal(path)})`, { body });
const pathOf = (path: string, body = store) => MappingTemplate.render(`$input.path(${literal(path)})`, { body });

describe('filters', () => {
  test('comparisons, && and ||, parentheses, and paths from the document root', () => {
    expect(json('$.store.book[?(@.price > 10)].title')).toBe('["Sword of Honour","The Lord of the Rings"]');
    expect(json('$..book[?(@.price < 10 && @.category == "fiction")].title')).toBe('["Moby Dick"]');
    expect(json('$..book[?(@.price < 9 || @.category == "reference")].title')).toBe('["Sayings of the Century","Moby Dick"]');
    expect(json('$..book[?((@.price < 9 || @.price > 20) && @.isbn)].title')).toBe('["Moby Dick","The Lord of the Rings"]');
    expect(json('$..book[?(@.price > $.expensive)].title')).toBe('["Sword of Honour","The Lord of the Rings"]');
    expect(json('$.store.book[?(@.category != "fiction")].title')).toBe('["Sayings of the Century"]');
    expect(json('$.n[?(@ > 1)]')).toBe('[3,2]');
  });

  test('existence [?(@.isbn)] and its negation; a missing property equals nothing, not even null', () => {
    expect(json('$..book[?(@.isbn)].title')).toBe('["Moby Dick","The Lord of the Rings"]');
    expect(json('$..book[?(!@.isbn)].title')).toBe('["Sayings of the Century","Sword of Honour"]');
    expect(json('$..book[?(@.isbn == null)].title')).toBe('[]');
    expect(json('$[?(@.a)]', '[{"a": null}, {"a": false}, {"b": 1}]')).toBe('[{"a":null},{"a":false}]');
  });

  test('=~ matches the whole value with a Java regex; /i ignores case', () => {
    expect(json('$..book[?(@.author =~ /.*REES/i)].title')).toBe('["Sayings of the Century"]');
    expect(json('$..book[?(@.author =~ /REES/i)].title')).toBe('[]');
    expect(json('$.store.book[?(@.price =~ /8.*/)].price')).toBe('[8.95,8.99]');
  });

  test('in, nin, size, empty, contains, subsetof', () => {
    expect(json("$..book[?(@.category in ['reference','x'])].price")).toBe('[8.95]');
    expect(json("$..book[?(@.category nin ['reference'])].price")).toBe('[12.99,8.99,22.99]');
    expect(json("$.n[?(@ in [1,'3'])]")).toBe('[3,1]');
    expect(json('$.store.book[?(@.title size 9)].title')).toBe('["Moby Dick"]');
    expect(json('$..book[?(@.isbn empty false)].title')).toBe('["Moby Dick","The Lord of the Rings"]');
    expect(json('$..book[?(@.author contains "Rees")].title')).toBe('["Sayings of the Century"]');
    expect(json('$.store.book[?(@.category subsetof ["fiction"])].title')).toBe('[]');
  });

  test('< and > compare numbers with numbers and strings with strings only; == accepts a numeric string', () => {
    expect(json("$..book[?(@.price > '9')].title")).toBe('[]');
    expect(json("$..book[?(@.title < 'N')].title")).toBe('["Moby Dick"]');
    expect(json("$..book[?(@.price == '8.95')].title")).toBe('["Sayings of the Century"]');
  });

  test('a filter on an object tests the object itself', () => {
    expect(json("$.store.bicycle[?(@.color == 'red')]")).toBe('[{"color":"red","price":19.95}]');
  });
});

describe('deep scans, indexes, slices and unions', () => {
  test('deep scans with indexes and slices return lists', () => {
    expect(json('$..book[2].title')).toBe('["Moby Dick"]');
    expect(json('$..book[-1:].title')).toBe('["The Lord of the Rings"]');
    expect(json('$..book[-1].title')).toBe('["The Lord of the Rings"]');
    expect(json('$..book[0,1].price')).toBe('[8.95,12.99]');
    expect(json('$..book[:2].price')).toBe('[8.95,12.99]');
    expect(json('$..[0]', '{"a": [1, 2], "b": {"c": ["x"]}}')).toBe('[1,"x"]');
    expect(json('$..price')).toBe('[8.95,12.99,8.99,22.99,19.95]');
  });

  test('[a:b] does not count a negative bound from the end, [a:] and [:b] do (Jayway ArraySliceToken)', () => {
    const mixed = '{"m": [1, "1", true, null, {"x": 1}]}';
    expect(json('$.m[1:-1]', mixed)).toBe('[]');
    expect(json('$.m[-10:2]', mixed)).toBe('[1,"1",true,null,{"x":1},1,"1"]');
    expect(json('$.m[-2:]', mixed)).toBe('[null,{"x":1}]');
    expect(() => json('$.m[:]', mixed)).toThrow(/failed to parse the slice/);
  });

  test('a property missing before the first indefinite step is PathNotFound, not an empty list', () => {
    expect(json('$[0:2]')).toBe('""');
    expect(json('$.missing[*]')).toBe('""');
    expect(json('$.store.missing..price')).toBe('""');
    expect(json('$.store.book[*].missing')).toBe('[]');
  });

  test('slices clamp to the list; an empty slice is an empty list', () => {
    expect(json('$.store.book[:-3].price')).toBe('[8.95]');
    expect(json('$.store.book[10:]')).toBe('[]');
    expect(json('$.store.book[2:1]')).toBe('[]');
  });

  test('several names as the last step make a map; a missing index in a union is skipped', () => {
    expect(pathOf("$['store']['bicycle']['color','price']")).toBe('{color=red, price=19.95}');
    expect(json('$.tags[0,5]')).toBe('["a"]');
  });

  test('definite paths give one value or nothing; indefinite paths skip missing leaves', () => {
    expect(json('$.store.book[5]')).toBe('""');
    expect(json('$.store.book[*].isbn')).toBe('["0-553-21311-3","0-395-19395-8"]');
    expect(json('$.store.book[?(@.price > 100)].title')).toBe('[]');
  });
});

describe('functions', () => {
  test('length() and size() of arrays and objects; aggregates are doubles', () => {
    expect(pathOf('$.store.book.length()')).toBe('4');
    expect(pathOf('$.store.bicycle.length()')).toBe('2');
    expect(pathOf('$.tags.size()')).toBe('2');
    expect(pathOf('$.n.min()')).toBe('1.0');
    expect(pathOf('$.n.max()')).toBe('3.0');
    expect(pathOf('$.n.avg()')).toBe('2.0');
    expect(pathOf('$.n.sum()')).toBe('6.0');
    expect(pathOf('$.n.stddev()')).toBe('0.8164965809277263');
  });

  test('after an indefinite path a function applies to each match', () => {
    expect(json('$.store.book[*].length()')).toBe('[4,4,5,5]');
    expect(json('$.store.book[*].title.length()')).toBe('[null,null,null,null]');
  });

  test('a filter on a primitive fails the render, as Jayway throws', () => {
    expect(() => json('$.expensive[?(@ > 1)]')).toThrow(/InvalidPathException: a filter cannot be applied to primitives/);
  });

  test('several names before another step apply it to each', () => {
    expect(json("$.store['book','bicycle'].length()")).toBe('[4,2]');
    expect(json("$.store['bicycle','book'].price")).toBe('[19.95]');
  });

  test('an aggregate over no numbers fails the render, as Jayway throws', () => {
    expect(() => pathOf('$.empty.avg()')).toThrow(/Aggregation function attempted to calculate value using empty array/);
    expect(() => pathOf('$.tags.min()')).toThrow(/empty array/);
  });
});
