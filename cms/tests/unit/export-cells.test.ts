import { PassThrough } from 'stream';
import JSZip from 'jszip';
import { csvField, csvLine, neutralise } from '../../src/exports/cell-text';
import { formatWriter, xlsxCell } from '../../src/exports/format-writers';
import { ZipStream } from '../../src/exports/zip-stream';

describe('formula injection', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+SUM(A1:A9)', "'+SUM(A1:A9)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['-', "'-"],
    ['+13125550101', '+13125550101'],
    ['-12.50', '-12.50'],
    ['+44', '+44'],
    ['plain', 'plain'],
    ['a=1', 'a=1'],
    ['', ''],
  ])('%j reads as %j', (input, output) => {
    expect(neutralise(input)).toBe(output);
  });
});

describe('CSV (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['=1,2', `"'=1,2"`],
  ])('%j is written %j', (input, output) => {
    expect(csvField(input)).toBe(output);
  });

  it('writes numbers, booleans and empty cells as they are, lines ending CRLF', () => {
    expect(csvLine([1.5, -2, true, null, 'x'])).toBe('1.5,-2,true,,x\r\n');
  });
});

describe('XLSX cells', () => {
  it.each([
    [12.5, '<c><v>12.5</v></c>'],
    [true, '<c t="b"><v>1</v></c>'],
    [null, '<c/>'],
    ['a<b & "c"', '<c t="inlineStr"><is><t>a&lt;b &amp; &quot;c&quot;</t></is></c>'],
    ['=1+1', `<c t="inlineStr"><is><t>'=1+1</t></is></c>`],
    [' padded ', '<c t="inlineStr"><is><t xml:space="preserve"> padded </t></is></c>'],
    ['bell\u0007', '<c t="inlineStr"><is><t>bell</t></is></c>'],
  ])('%j is written %j', (input, output) => {
    expect(xlsxCell(input as any)).toBe(output);
  });
});

const collect = (stream: PassThrough) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });

describe('streamed ZIP', () => {
  it('is read back by an independent reader, members and contents intact', async () => {
    const out = new PassThrough();
    const done = collect(out);
    const zip = new ZipStream(out);
    const big = await zip.open('dir/big.txt');
    for (let i = 0; i < 2000; i++) await big.write(`line ${i} é€\n`);
    await big.close();
    await zip.file('small.xml', '<a/>');
    await zip.finish();
    out.end();
    const read = await JSZip.loadAsync(await done);
    expect(Object.keys(read.files).sort()).toEqual(['dir/big.txt', 'small.xml']);
    const text = await read.file('dir/big.txt')!.async('string');
    expect(text.split('\n')).toHaveLength(2001);
    expect(text.startsWith('line 0 é€\nline 1 é€\n')).toBe(true);
    expect(await read.file('small.xml')!.async('string')).toBe('<a/>');
  });

  it('writes an XLSX workbook with a header and typed rows', async () => {
    const out = new PassThrough();
    const done = collect(out);
    const writer = formatWriter('xlsx', out);
    await writer.begin(['a', 'b']);
    await writer.rows([['x', 1], [null, true]]);
    await writer.finish();
    out.end();
    const read = await JSZip.loadAsync(await done);
    const sheet = await read.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet).toContain('<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row><row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row><row><c/><c t="b"><v>1</v></c></row>');
    expect(await read.file('xl/workbook.xml')!.async('string')).toContain('<sheet name="Export" sheetId="1" r:id="rId1"/>');
  });
});
