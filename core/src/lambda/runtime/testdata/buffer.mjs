import { Buffer as B2 } from 'node:buffer';
const t = (f) => { try { return f(); } catch (e) { return { error: e.name, code: e.code, message: e.message, str: String(e), isType: e instanceof TypeError }; } };
export const handler = async () => {
  const hi = Buffer.from('hi');
  console.log(hi);
  console.log(Buffer.alloc(0));
  console.log(Buffer.alloc(60, 1));
  console.log([Buffer.from('ab')], { b: Buffer.from('c') });
  console.log(new Uint8Array([1, 2, 3]));
  console.log(new Uint8Array(0), new Uint16Array([7]));
  return {
    same: B2 === Buffer, subclass: hi instanceof Uint8Array, isBuffer: Buffer.isBuffer(hi), notBuffer: Buffer.isBuffer(new Uint8Array(1)),
    len: hi.length, idx: hi[0], json: JSON.stringify(hi), toJSON: hi.toJSON(),
    utf8: Buffer.from('héllo ✓ 😀').toString('hex'), back: Buffer.from('68c3a96c6c6f20e29c9320f09f9880', 'hex').toString('utf8'),
    b64: Buffer.from('hello world').toString('base64'), b64url: Buffer.from([251, 255, 191]).toString('base64url'), b64b: Buffer.from([251, 255, 191]).toString('base64'),
    fromB64: Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString(), fromB64url: Buffer.from('-_-_', 'base64url').toString('hex'),
    lenient: Buffer.from('aGVs bG8\n', 'base64').toString(), mixed: Buffer.from('-_+/', 'base64').toString('hex'),
    hexOdd: Buffer.from('abc', 'hex').toString('hex'), hexBad: Buffer.from('abzz12', 'hex').toString('hex'),
    latin1: Buffer.from('ÿé', 'latin1').toString('hex'), binary: Buffer.from([0xe9, 0xff]).toString('binary'), ascii: Buffer.from([0xe9, 0x41]).toString('ascii'),
    asciiIn: Buffer.from('é', 'ascii').toString('hex'), upper: Buffer.from('hi', 'UTF-8').toString('HEX'), utf16: Buffer.from('hi', 'utf16le').toString('hex'),
    range: Buffer.from('hello').toString('utf8', 1, 3), rangeOut: Buffer.from('hello').toString('utf8', -5, 99), rangeEmpty: Buffer.from('hello').toString('utf8', 3, 1),
    badUtf8: Buffer.from([0xff, 0x61, 0xe2, 0x82]).toString(), surrogate: Buffer.from('\ud800x').toString('hex'),
    fromArray: Array.from(Buffer.from([1, 256, -1, 3.7])), fromAB: Buffer.from(new Uint8Array([5, 6, 7]).buffer, 1).toString('hex'),
    fromBuf: Buffer.from(hi).toString(), fromObj: Buffer.from({ type: 'Buffer', data: [104, 105] }).toString(),
    alloc: Buffer.alloc(3).toString('hex'), allocFill: Buffer.alloc(5, 'ab').toString(), allocNum: Buffer.alloc(2, 255).toString('hex'),
    byteLength: [Buffer.byteLength('héllo'), Buffer.byteLength('aGVsbG8=', 'base64'), Buffer.byteLength('abcd', 'hex'), Buffer.byteLength(hi), Buffer.byteLength('x', 'nope')],
    concat: Buffer.concat([Buffer.from('a'), Buffer.from('bc')]).toString(), concatLen: Buffer.concat([Buffer.from('abc'), Buffer.from('de')], 4).toString(), concatPad: Buffer.concat([Buffer.from('a')], 3).toString('hex'),
    slice: Buffer.from('hello').slice(1, 3).toString(), subarray: Buffer.from('hello').subarray(-2).toString(), sliceIsBuffer: Buffer.isBuffer(Buffer.from('hello').slice(1)),
    shares: (() => { const b = Buffer.from('abc'); b.slice(1)[0] = 0x7a; return b.toString(); })(),
    equals: [Buffer.from('a').equals(Buffer.from('a')), Buffer.from('a').equals(Buffer.from('b'))], compare: [Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.from('b').compare(Buffer.from('a'))],
    indexOf: [Buffer.from('hello').indexOf('l'), Buffer.from('hello').indexOf(0x6f), Buffer.from('hello').includes('lo'), Buffer.from('hello').indexOf('z')],
    write: (() => { const b = Buffer.alloc(4); const n = b.write('hé', 1); return [n, b.toString('hex')]; })(),
    readInts: (() => { const b = Buffer.from([1, 2, 3, 4]); return [b.readUInt8(0), b.readUInt16BE(0), b.readUInt32LE(0), b.readInt32BE(0)]; })(),
    isEncoding: [Buffer.isEncoding('utf8'), Buffer.isEncoding('UTF-8'), Buffer.isEncoding('nope'), Buffer.isEncoding('')],
    unknownFrom: t(() => Buffer.from('a', 'xyz')), unknownTo: t(() => hi.toString('xyz')),
    badArg: t(() => Buffer.from(5)), badSize: t(() => Buffer.alloc(-1)), badSizeType: t(() => Buffer.alloc('5')),
    btoa: btoa('hello'), atob: atob('aGVsbG8='), atobBad: t(() => atob('a')), btoaBad: t(() => btoa('✓')),
    enc: Array.from(new TextEncoder().encode('é✓')), encType: new TextEncoder().encode('a') instanceof Uint8Array, encBuffer: Buffer.isBuffer(new TextEncoder().encode('a')),
    encodeInto: (() => { const d = new Uint8Array(4); return [new TextEncoder().encodeInto('aé✓', d), Array.from(d)]; })(),
    dec: new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])), decBom: new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68])).length,
    decBad: new TextDecoder().decode(new Uint8Array([0x68, 0xff, 0x69])), decFatal: t(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff]))),
    decStream: (() => { const d = new TextDecoder(); return d.decode(new Uint8Array([0xe2, 0x9c]), { stream: true }) + d.decode(new Uint8Array([0x93])); })(),
    decEmpty: new TextDecoder().decode(), decLabel: new TextDecoder('UTF8').encoding, decUnknown: t(() => new TextDecoder('klingon')),
    decAB: new TextDecoder().decode(new Uint8Array([104, 105]).buffer), decFatalFlag: new TextDecoder('utf-8', { fatal: true }).fatal,
  };
};
