// Node.js 20's web and buffer globals, written for the sandbox: Buffer, atob/btoa, TextEncoder,
// TextDecoder, URL, URLSearchParams, DOMException, structuredClone, and fetch, Headers, Request,
// Response (fetch reaches only the Parameters and Secrets Lambda Extension, as SDK calls the
// world makes as the function's role). Evaluated once per environment after the bootstrap; its
// completion value is a function given the runtime's hooks (`rt`).
(function node(rt) {
  'use strict';
  const custom = Symbol.for('nodejs.util.inspect.custom');
  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  const hidden = (o, name, value) => Object.defineProperty(o, name, { value, writable: true, configurable: true, enumerable: false });

  // Node's errors: a built-in error with `code`, printed `Name [CODE]: message`.
  function nodeError(Base, code, message, plain) {
    const e = new Base(message);
    if (!plain) hidden(e, 'toString', function () { return this.name + ' [' + code + ']: ' + this.message; });
    e.code = code;
    return e;
  }
  const describe = (v) => {
    if (v === null || v === undefined) return 'Received ' + v;
    if (typeof v === 'function') return 'Received function ' + (v.name || '<anonymous>');
    if (typeof v === 'object') {
      return v.constructor && v.constructor.name ? 'Received an instance of ' + v.constructor.name : 'Received ' + rt.inspect(v, 0);
    }
    let shown = rt.inspect(v, 0);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return 'Received type ' + typeof v + ' (' + shown + ')';
  };
  const argType = (name, expected, v) =>
    nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The ' + (name.includes(' ') ? name : '"' + name + '" argument') + ' must be ' + expected + '. ' + describe(v));

  // ---- DOMException ----
  const DOM_CODES = { IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5, NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25 };
  class DOMException extends Error {
    constructor(message, options) {
      super(message === undefined ? '' : String(message));
      const name = typeof options === 'object' && options !== null ? (options.name === undefined ? 'Error' : String(options.name)) : (options === undefined ? 'Error' : String(options));
      hidden(this, 'name', name);
      hidden(this, 'code', DOM_CODES[name] || 0);
      if (options && typeof options === 'object' && 'cause' in options) hidden(this, 'cause', options.cause);
    }
  }
  define('DOMException', DOMException);

  // ---- bytes and strings ----
  function utf8Encode(s) {
    s = String(s);
    const out = new Uint8Array(s.length * 3);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) { out[n++] = c; continue; }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18); out[n++] = 0x80 | ((c >> 12) & 63); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63);
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
      if (c < 0x800) { out[n++] = 0xc0 | (c >> 6); out[n++] = 0x80 | (c & 63); } else { out[n++] = 0xe0 | (c >> 12); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
    }
    return out.slice(0, n);
  }
  function fromCodes(codes) {
    let s = '';
    for (let i = 0; i < codes.length; i += 8192) s += String.fromCharCode.apply(null, codes.slice(i, i + 8192));
    return s;
  }
  // WHATWG UTF-8 decoding: each maximal invalid subpart becomes U+FFFD (or throws if fatal).
  // `state` carries an unfinished sequence between streamed chunks.
  function utf8Decode(bytes, start, end, fatal, state) {
    const codes = [];
    let cp = state ? state.cp : 0, needed = state ? state.needed : 0, seen = state ? state.seen : 0;
    let lower = state ? state.lower : 0x80, upper = state ? state.upper : 0xbf;
    const bad = () => { if (fatal) throw nodeError(TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA', 'The encoded data was not valid for encoding utf-8', true); codes.push(0xfffd); };
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (needed === 0) {
        if (b < 0x80) codes.push(b);
        else if (b >= 0xc2 && b <= 0xdf) { needed = 1; cp = b & 0x1f; }
        else if (b >= 0xe0 && b <= 0xef) { if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; needed = 2; cp = b & 0xf; }
        else if (b >= 0xf0 && b <= 0xf4) { if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; needed = 3; cp = b & 7; }
        else bad();
        continue;
      }
      if (b < lower || b > upper) {
        cp = needed = seen = 0; lower = 0x80; upper = 0xbf;
        bad();
        i--;
        continue;
      }
      lower = 0x80; upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      if (++seen === needed) {
        if (cp > 0xffff) { cp -= 0x10000; codes.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); } else codes.push(cp);
        cp = needed = seen = 0;
      }
    }
    if (state) Object.assign(state, { cp, needed, seen, lower, upper });
    else if (needed) bad();
    return fromCodes(codes);
  }
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const B64_INDEX = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) { B64_INDEX[B64.charCodeAt(i)] = i; B64_INDEX[B64URL.charCodeAt(i)] = i; }
  function base64Encode(bytes, start, end, url) {
    const alphabet = url ? B64URL : B64;
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
    }
    if (end - i === 1) out += alphabet[bytes[i] >> 2] + alphabet[(bytes[i] & 3) << 4] + (url ? '' : '==');
    else if (end - i === 2) {
      const n = (bytes[i] << 8) | bytes[i + 1];
      out += alphabet[n >> 10] + alphabet[(n >> 4) & 63] + alphabet[(n & 15) << 2] + (url ? '' : '=');
    }
    return out;
  }
  // Node's decoder: both alphabets, anything else skipped, stops at the first '='.
  function base64Decode(s) {
    const out = new Uint8Array(Math.ceil(s.length * 3 / 4));
    let n = 0, acc = 0, bits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 61) break;
      const v = c < 128 ? B64_INDEX[c] : -1;
      if (v < 0) continue;
      acc = (acc << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out[n++] = (acc >> bits) & 255; }
    }
    return out.slice(0, n);
  }
  function hexDecode(s) {
    const out = new Uint8Array(s.length >> 1);
    let n = 0;
    for (; n < out.length; n++) {
      const v = parseInt(s.substr(n * 2, 2), 16);
      if (!/^[0-9a-fA-F]{2}$/.test(s.substr(n * 2, 2)) || Number.isNaN(v)) break;
      out[n] = v;
    }
    return out.slice(0, n);
  }
  function latin1Encode(s) {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
    return out;
  }
  function utf16Encode(s) {
    const out = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); out[i * 2] = c & 255; out[i * 2 + 1] = c >> 8; }
    return out;
  }
  const ENCODINGS = { utf8: 'utf8', 'utf-8': 'utf8', hex: 'hex', base64: 'base64', base64url: 'base64url', latin1: 'latin1', binary: 'latin1', ascii: 'ascii', ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le' };
  const encodingOf = (enc) => (enc === undefined || enc === null ? 'utf8' : ENCODINGS[String(enc).toLowerCase()]);
  function encoding(enc) {
    const e = encodingOf(enc);
    if (e === undefined) throw nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', 'Unknown encoding: ' + enc);
    return e;
  }
  function encode(s, enc) {
    switch (encoding(enc)) {
      case 'utf8': return utf8Encode(s);
      case 'hex': return hexDecode(s);
      case 'base64': case 'base64url': return base64Decode(s);
      case 'utf16le': return utf16Encode(s);
      default: return latin1Encode(s);
    }
  }
  function decode(bytes, enc, start, end) {
    switch (encoding(enc)) {
      case 'utf8': return utf8Decode(bytes, start, end, false);
      case 'hex': { let s = ''; for (let i = start; i < end; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); return s; }
      case 'base64': return base64Encode(bytes, start, end, false);
      case 'base64url': return base64Encode(bytes, start, end, true);
      case 'latin1': return fromCodes(Array.from(bytes.subarray(start, end)));
      case 'ascii': return fromCodes(Array.from(bytes.subarray(start, end), (b) => b & 0x7f));
      default: { const codes = []; for (let i = start; i + 1 < end; i += 2) codes.push(bytes[i] | (bytes[i + 1] << 8)); return fromCodes(codes); }
    }
  }

  // ---- Buffer: a Uint8Array with Node's encodings, as in Node ----
  class Buffer extends Uint8Array {
    static from(value, encodingOrOffset, length) {
      if (typeof value === 'string') return bufferOf(encode(value, encodingOrOffset));
      if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
        const offset = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset) || 0;
        if (offset > value.byteLength) throw nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"offset" is outside of buffer bounds');
        const len = length === undefined ? value.byteLength - offset : Number(length) || 0;
        if (offset + len > value.byteLength) throw nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"length" is outside of buffer bounds');
        return new Buffer(value, offset, len);
      }
      if (ArrayBuffer.isView(value)) {
        const copy = new Buffer(value.length === undefined ? value.byteLength : value.length);
        if (value instanceof Uint8Array) copy.set(value);
        else if (value.length !== undefined) for (let i = 0; i < value.length; i++) copy[i] = Number(value[i]) & 255;
        else copy.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        return copy;
      }
      if (value !== null && typeof value === 'object') {
        if (value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
        if (Array.isArray(value) || typeof value.length === 'number') return fromArrayLike(value);
        const primitive = typeof value[Symbol.toPrimitive] === 'function' ? value[Symbol.toPrimitive]('string') : value.valueOf();
        if (primitive !== value && primitive !== null && primitive !== undefined && (typeof primitive === 'string' || typeof primitive === 'object')) return Buffer.from(primitive, encodingOrOffset, length);
      }
      throw argType('first argument', 'of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', value);
    }
    static alloc(size, fill, enc) {
      const buf = new Buffer(checkSize(size));
      if (fill !== undefined && fill !== 0 && buf.length > 0) buf.fill(fill, 0, buf.length, enc);
      return buf;
    }
    static allocUnsafe(size) { return new Buffer(checkSize(size)); }
    static allocUnsafeSlow(size) { return new Buffer(checkSize(size)); }
    static isBuffer(b) { return b instanceof Buffer; }
    static isEncoding(e) { return typeof e === 'string' && e.length > 0 && encodingOf(e) !== undefined; }
    static byteLength(value, enc) {
      if (typeof value !== 'string') {
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
        throw argType('string', 'of type string or an instance of Buffer or ArrayBuffer', value);
      }
      switch (encodingOf(enc) || 'utf8') {
        case 'utf8': return utf8Encode(value).length;
        case 'hex': return value.length >>> 1;
        case 'utf16le': return value.length * 2;
        case 'base64': case 'base64url': {
          let len = value.length;
          if (len > 0 && value.charCodeAt(len - 1) === 61) len--;
          if (len > 1 && value.charCodeAt(len - 1) === 61) len--;
          return (len * 3) >>> 2;
        }
        default: return value.length;
      }
    }
    static concat(list, totalLength) {
      if (!Array.isArray(list)) throw argType('list', 'an instance of Array', list);
      list.forEach((b, i) => { if (!(b instanceof Uint8Array)) throw argType('list[' + i + ']', 'an instance of Buffer or Uint8Array', b); });
      const total = totalLength === undefined ? list.reduce((n, b) => n + b.length, 0) : checkSize(totalLength);
      const out = Buffer.alloc(total);
      let at = 0;
      for (const b of list) {
        if (at >= total) break;
        out.set(b.length > total - at ? b.subarray(0, total - at) : b, at);
        at += b.length;
      }
      return out;
    }
    static compare(a, b) {
      if (!(a instanceof Uint8Array)) throw argType('buf1', 'an instance of Buffer or Uint8Array', a);
      if (!(b instanceof Uint8Array)) throw argType('buf2', 'an instance of Buffer or Uint8Array', b);
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
    }
    toString(enc, start, end) {
      const len = this.length;
      start = start === undefined ? 0 : Math.max(0, Math.trunc(Number(start)) || 0);
      end = end === undefined ? len : Math.min(len, Math.trunc(Number(end)) || 0);
      if (end <= start) { encoding(enc); return ''; }
      return decode(this, enc, start, end);
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(other) {
      if (!(other instanceof Uint8Array)) throw argType('otherBuffer', 'an instance of Buffer or Uint8Array', other);
      return Buffer.compare(this, other) === 0;
    }
    compare(other) { return Buffer.compare(this, other); }
    slice(start, end) { return this.subarray(start, end); }
    write(string, offset, length, enc) {
      if (typeof offset === 'string') { enc = offset; offset = 0; length = undefined; } else if (typeof length === 'string') { enc = length; length = undefined; }
      offset = offset === undefined ? 0 : offset >>> 0;
      const bytes = encode(String(string), enc);
      const n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length >>> 0);
      this.set(bytes.subarray(0, Math.max(0, n)), offset);
      return Math.max(0, n);
    }
    fill(value, offset, end, enc) {
      if (typeof offset === 'string') { enc = offset; offset = 0; end = this.length; } else if (typeof end === 'string') { enc = end; end = this.length; }
      offset = offset === undefined ? 0 : offset; end = end === undefined ? this.length : end;
      if (typeof value === 'number' || typeof value === 'boolean') return Uint8Array.prototype.fill.call(this, Number(value) & 255, offset, end);
      const bytes = typeof value === 'string' ? encode(value, enc) : value instanceof Uint8Array ? value : Buffer.from(value);
      if (bytes.length === 0) {
        if (typeof value === 'string' && value.length > 0) throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'value' is invalid. Received " + rt.inspect(value));
        return Uint8Array.prototype.fill.call(this, 0, offset, end);
      }
      for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
      return this;
    }
    copy(target, targetStart, sourceStart, sourceEnd) {
      targetStart = targetStart === undefined ? 0 : targetStart; sourceStart = sourceStart === undefined ? 0 : sourceStart;
      sourceEnd = sourceEnd === undefined ? this.length : Math.min(sourceEnd, this.length);
      const n = Math.max(0, Math.min(sourceEnd - sourceStart, target.length - targetStart));
      target.set(this.subarray(sourceStart, sourceStart + n), targetStart);
      return n;
    }
    indexOf(value, byteOffset, enc) {
      if (typeof value === 'number') return Uint8Array.prototype.indexOf.call(this, value & 255, byteOffset);
      if (typeof byteOffset === 'string') { enc = byteOffset; byteOffset = 0; }
      const needle = typeof value === 'string' ? encode(value, enc) : value;
      let from = byteOffset === undefined ? 0 : Math.trunc(byteOffset) || 0;
      if (from < 0) from = Math.max(0, this.length + from);
      outer: for (let i = from; i + needle.length <= this.length; i++) {
        for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
        return i;
      }
      return -1;
    }
    includes(value, byteOffset, enc) { return this.indexOf(value, byteOffset, enc) !== -1; }
    readUInt8(o = 0) { return check(this, o, 1).getUint8(o); }
    readUInt16BE(o = 0) { return check(this, o, 2).getUint16(o); }
    readUInt16LE(o = 0) { return check(this, o, 2).getUint16(o, true); }
    readUInt32BE(o = 0) { return check(this, o, 4).getUint32(o); }
    readUInt32LE(o = 0) { return check(this, o, 4).getUint32(o, true); }
    readInt8(o = 0) { return check(this, o, 1).getInt8(o); }
    readInt16BE(o = 0) { return check(this, o, 2).getInt16(o); }
    readInt32BE(o = 0) { return check(this, o, 4).getInt32(o); }
    readInt32LE(o = 0) { return check(this, o, 4).getInt32(o, true); }
    writeUInt8(v, o = 0) { check(this, o, 1).setUint8(o, v); return o + 1; }
    writeUInt16BE(v, o = 0) { check(this, o, 2).setUint16(o, v); return o + 2; }
    writeUInt32BE(v, o = 0) { check(this, o, 4).setUint32(o, v); return o + 4; }
    writeUInt32LE(v, o = 0) { check(this, o, 4).setUint32(o, v, true); return o + 4; }
    writeInt32BE(v, o = 0) { check(this, o, 4).setInt32(o, v); return o + 4; }
    [custom]() {
      const shown = Array.from(this.subarray(0, 50), (b) => (b < 16 ? '0' : '') + b.toString(16)).join(' ');
      return '<Buffer' + (shown ? ' ' + shown : ' ') + (this.length > 50 ? ' ... ' + (this.length - 50) + ' more byte' + (this.length - 50 > 1 ? 's' : '') : '') + '>';
    }
  }
  function check(buf, offset, size) {
    if (typeof offset !== 'number') throw argType('offset', 'of type number', offset);
    if (!Number.isInteger(offset) || offset < 0 || offset + size > buf.length) {
      throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "offset" is out of range. It must be >= 0 and <= ' + (buf.length - size) + '. Received ' + offset);
    }
    return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  function checkSize(size) {
    if (typeof size !== 'number') throw argType('size', 'of type number', size);
    if (!(size >= 0 && size <= 4294967296)) throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "size" is out of range. It must be >= 0 && <= 4294967296. Received ' + String(size));
    // Node fills (or writes) a buffer it allocates: one larger than the memory gets the runtime killed.
    if (size > rt.memoryLimit()) rt.outOfMemory();
    return Math.trunc(size);
  }
  function bufferOf(bytes) { return new Buffer(bytes.buffer, bytes.byteOffset, bytes.length); }
  function fromArrayLike(list) {
    const out = new Buffer(list.length >>> 0);
    for (let i = 0; i < out.length; i++) out[i] = Number(list[i]) & 255;
    return out;
  }
  Object.defineProperty(Buffer, 'poolSize', { value: 8192, writable: true, enumerable: true });
  for (const alias of [['readUint8', 'readUInt8'], ['readUint16BE', 'readUInt16BE'], ['readUint32BE', 'readUInt32BE'], ['writeUint8', 'writeUInt8']]) hidden(Buffer.prototype, alias[0], Buffer.prototype[alias[1]]);
  define('Buffer', Buffer);

  define('btoa', function btoa(data) {
    if (arguments.length === 0) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "data" argument must be specified');
    const s = String(data);
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) throw new DOMException('Invalid character', 'InvalidCharacterError');
    const bytes = latin1Encode(s);
    return base64Encode(bytes, 0, bytes.length, false);
  });
  define('atob', function atob(data) {
    if (arguments.length === 0) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "data" argument must be specified');
    let s = String(data).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) s = s.replace(/==?$/, '');
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
    return fromCodes(Array.from(base64Decode(s)));
  });

  // ---- TextEncoder / TextDecoder (UTF-8) ----
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return new Uint8Array(utf8Encode(String(input))); }
    encodeInto(src, dest) {
      const bytes = utf8Encode(String(src));
      let read = 0, written = 0;
      // Whole characters only: walk the source and copy each one's bytes while they fit.
      for (let i = 0; i < src.length; i++) {
        const c = src.charCodeAt(i);
        const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < src.length && src.charCodeAt(i + 1) >= 0xdc00 && src.charCodeAt(i + 1) <= 0xdfff;
        const size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        if (written + size > dest.length) break;
        for (let k = 0; k < size; k++) dest[written + k] = bytes[written + k];
        written += size; read += pair ? 2 : 1;
        if (pair) i++;
      }
      return { read, written };
    }
    [custom]() { return "{ encoding: 'utf-8' }"; }
  }
  const UTF8_LABELS = ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'];
  class TextDecoder {
    #fatal; #ignoreBOM; #state = null; #bomSeen = false;
    constructor(label = 'utf-8', options = {}) {
      const name = String(label).trim().toLowerCase();
      if (!UTF8_LABELS.includes(name)) throw nodeError(RangeError, 'ERR_ENCODING_NOT_SUPPORTED', 'The "' + label + '" encoding is not supported');
      if (options !== null && typeof options !== 'object') throw argType('options', 'of type object', options);
      this.#fatal = Boolean(options && options.fatal);
      this.#ignoreBOM = Boolean(options && options.ignoreBOM);
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input, options = {}) {
      let bytes;
      if (input === undefined) bytes = new Uint8Array(0);
      else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
      else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      else throw argType('input', 'an instance of ArrayBuffer or ArrayBufferView', input);
      const stream = Boolean(options && options.stream);
      const state = this.#state || { cp: 0, needed: 0, seen: 0, lower: 0x80, upper: 0xbf };
      let text;
      try {
        text = utf8Decode(bytes, 0, bytes.length, this.#fatal, state);
        if (!stream && state.needed) {
          Object.assign(state, { cp: 0, needed: 0, seen: 0, lower: 0x80, upper: 0xbf });
          if (this.#fatal) throw nodeError(TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA', 'The encoded data was not valid for encoding utf-8', true);
          text += '\ufffd';
        }
      } catch (e) {
        this.#state = null; this.#bomSeen = false;
        throw e;
      }
      if (!this.#bomSeen && text.length > 0) {
        this.#bomSeen = true;
        if (!this.#ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (stream) this.#state = state; else { this.#state = null; this.#bomSeen = false; }
      return text;
    }
    [custom]() { return "TextDecoder { encoding: 'utf-8', fatal: " + this.#fatal + ', ignoreBOM: ' + this.#ignoreBOM + ' }'; }
  }
  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);

  // ---- URLSearchParams (application/x-www-form-urlencoded) ----
  const hexByte = (b) => '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  function percentDecode(s) {
    if (!s.includes('%')) return utf8Encode(s);
    const bytes = utf8Encode(s);
    const out = new Uint8Array(bytes.length);
    let n = 0;
    const isHex = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 37 && i + 2 < bytes.length + 0 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
        out[n++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
        i += 2;
      } else out[n++] = bytes[i];
    }
    return out.subarray(0, n);
  }
  const formDecode = (s) => { const b = percentDecode(s.replace(/\+/g, ' ')); return utf8Decode(b, 0, b.length, false); };
  function formEncode(s) {
    const bytes = utf8Encode(s);
    let out = '';
    for (const b of bytes) {
      if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 42 || b === 45 || b === 46 || b === 95) out += String.fromCharCode(b);
      else if (b === 32) out += '+';
      else out += hexByte(b);
    }
    return out;
  }
  const toUSV = (v) => String(v).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, (m) => (m.length === 2 ? m[0] + '\ufffd' : '\ufffd'));
  function parseForm(s) {
    const list = [];
    for (const part of s.split('&')) {
      if (part === '') continue;
      const at = part.indexOf('=');
      list.push(at < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, at)), formDecode(part.slice(at + 1))]);
    }
    return list;
  }
  const PARAMS = Symbol('params');
  class URLSearchParams {
    constructor(init = '') {
      this[PARAMS] = { list: [], url: null };
      hidden(this, PARAMS, this[PARAMS]);
      const list = this[PARAMS].list;
      if (init instanceof URLSearchParams) { for (const [k, v] of init) list.push([k, v]); return; }
      if (init !== null && (typeof init === 'object' || typeof init === 'function')) {
        if (typeof init[Symbol.iterator] === 'function') {
          for (const pair of init) {
            if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') throw nodeError(TypeError, 'ERR_INVALID_TUPLE', 'Each query pair must be an iterable [name, value] tuple');
            const items = [...pair];
            if (items.length !== 2) throw nodeError(TypeError, 'ERR_INVALID_TUPLE', 'Each query pair must be an iterable [name, value] tuple');
            list.push([toUSV(items[0]), toUSV(items[1])]);
          }
          return;
        }
        for (const key of Reflect.ownKeys(init)) {
          if (typeof key !== 'string') continue;
          const d = Reflect.getOwnPropertyDescriptor(init, key);
          if (d && d.enumerable) list.push([toUSV(key), toUSV(init[key])]);
        }
        return;
      }
      let s = toUSV(init);
      if (s.startsWith('?')) s = s.slice(1);
      list.push(...parseForm(s));
    }
    get size() { return this[PARAMS].list.length; }
    append(name, value) { needArgs(arguments, 2, 'name', 'value'); this[PARAMS].list.push([toUSV(name), toUSV(value)]); this.#update(); }
    delete(name, value) {
      needArgs(arguments, 1, 'name');
      name = toUSV(name);
      const p = this[PARAMS];
      p.list = p.list.filter(([k, v]) => !(k === name && (value === undefined || v === toUSV(value))));
      this.#update();
    }
    get(name) { needArgs(arguments, 1, 'name'); name = toUSV(name); const e = this[PARAMS].list.find(([k]) => k === name); return e ? e[1] : null; }
    getAll(name) { needArgs(arguments, 1, 'name'); name = toUSV(name); return this[PARAMS].list.filter(([k]) => k === name).map(([, v]) => v); }
    has(name, value) { needArgs(arguments, 1, 'name'); name = toUSV(name); return this[PARAMS].list.some(([k, v]) => k === name && (value === undefined || v === toUSV(value))); }
    set(name, value) {
      needArgs(arguments, 2, 'name', 'value');
      name = toUSV(name); value = toUSV(value);
      const p = this[PARAMS];
      const at = p.list.findIndex(([k]) => k === name);
      if (at < 0) p.list.push([name, value]);
      else { p.list[at][1] = value; p.list = p.list.filter(([k], i) => i <= at || k !== name); }
      this.#update();
    }
    sort() {
      const p = this[PARAMS];
      p.list = p.list.map((e, i) => [e, i]).sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map(([e]) => e);
      this.#update();
    }
    forEach(fn, thisArg) {
      if (typeof fn !== 'function') throw argType('callback', 'of type function', fn);
      for (let i = 0; i < this[PARAMS].list.length; i++) { const [k, v] = this[PARAMS].list[i]; fn.call(thisArg, v, k, this); }
    }
    *keys() { for (const [k] of this[PARAMS].list.slice()) yield k; }
    *values() { for (const [, v] of this[PARAMS].list.slice()) yield v; }
    *entries() { for (const [k, v] of this[PARAMS].list.slice()) yield [k, v]; }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this[PARAMS].list.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&'); }
    #update() {
      const url = this[PARAMS].url;
      if (url) { const s = this.toString(); url[URL_PARTS].query = s === '' ? null : s; }
    }
    [custom]() {
      const list = this[PARAMS].list;
      if (list.length === 0) return 'URLSearchParams {}';
      return 'URLSearchParams { ' + list.map(([k, v]) => rt.inspect(k) + ' => ' + rt.inspect(v)).join(', ') + ' }';
    }
  }
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
  function needArgs(args, n, ...names) {
    if (args.length < n) throw nodeError(TypeError, 'ERR_MISSING_ARGS', names.length === 1 ? 'The "' + names[0] + '" argument must be specified' : 'The "' + names[0] + '" and "' + names[1] + '" arguments must be specified');
  }

  // ---- URL (WHATWG URL Standard, as Node 20's parser answers) ----
  const SPECIAL = { 'ftp:': '21', 'file:': '', 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
  const URL_PARTS = Symbol('url');
  const C0 = (c) => c < 0x20 || c > 0x7e;
  const FRAGMENT_SET = (c) => C0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
  const QUERY_SET = (c) => C0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
  const SPECIAL_QUERY_SET = (c) => QUERY_SET(c) || c === 0x27;
  const PATH_SET = (c) => QUERY_SET(c) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d;
  const USERINFO_SET = (c) => PATH_SET(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 || (c >= 0x5b && c <= 0x5e) || c === 0x7c;
  function percentEncode(s, set) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80 && !set(c)) { out += s[i]; continue; }
      if (c < 0x80) { out += hexByte(c); continue; }
      let ch = s[i];
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { ch += s[i + 1]; i++; }
      for (const b of utf8Encode(ch)) out += hexByte(b);
    }
    return out;
  }
  const invalidUrl = (input) => { const e = nodeError(TypeError, 'ERR_INVALID_URL', 'Invalid URL', true); e.input = input; return e; };
  // Punycode (RFC 3492) for hostnames with non-ASCII labels.
  function punycode(label) {
    const codes = Array.from(label, (c) => c.codePointAt(0));
    let n = 128, delta = 0, bias = 72, out = codes.filter((c) => c < 128).map((c) => String.fromCharCode(c)).join('');
    let h = out.length;
    const b = h;
    if (b > 0) out += '-';
    const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
    const adapt = (d, count, first) => { d = first ? Math.floor(d / 700) : d >> 1; d += Math.floor(d / count); let k = 0; for (; d > 455; k += 36) d = Math.floor(d / 35); return k + Math.floor(36 * d / (d + 38)); };
    while (h < codes.length) {
      const m = Math.min(...codes.filter((c) => c >= n));
      delta += (m - n) * (h + 1); n = m;
      for (const c of codes) {
        if (c < n) delta++;
        if (c === n) {
          let q = delta;
          for (let k = 36; ; k += 36) {
            const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
            if (q < t) break;
            out += digit(t + (q - t) % (36 - t)); q = Math.floor((q - t) / (36 - t));
          }
          out += digit(q); bias = adapt(delta, h + 1, h === b); delta = 0; h++;
        }
      }
      delta++; n++;
    }
    return 'xn--' + out;
  }
  function parseIPv4Number(s) {
    if (s === '') return NaN;
    let radix = 10;
    if (/^0[xX]/.test(s)) { s = s.slice(2); radix = 16; } else if (s.length > 1 && s[0] === '0') { s = s.slice(1); radix = 8; }
    if (s === '') return 0;
    const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    return valid.test(s) ? parseInt(s, radix) : NaN;
  }
  function parseIPv4(host, input) {
    const parts = host.split('.');
    if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
    if (parts.length > 4) throw invalidUrl(input);
    const nums = parts.map(parseIPv4Number);
    if (nums.some((x) => Number.isNaN(x))) throw invalidUrl(input);
    if (nums.slice(0, -1).some((x) => x > 255) || nums[nums.length - 1] >= 256 ** (5 - nums.length)) throw invalidUrl(input);
    let ip = nums[nums.length - 1];
    nums.slice(0, -1).forEach((x, i) => { ip += x * 256 ** (3 - i); });
    return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
  }
  function parseIPv6(s, input) {
    let tail = [];
    const v4 = s.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
    if (v4) {
      const p = v4[2].split('.').map(Number);
      if (p.some((x) => x > 255) || v4[2].split('.').some((x) => x.length > 1 && x[0] === '0')) throw invalidUrl(input);
      tail = [(p[0] << 8) | p[1], (p[2] << 8) | p[3]];
      s = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
    }
    const halves = s.split('::');
    if (halves.length > 2) throw invalidUrl(input);
    const groups = (h) => (h === '' ? [] : h.split(':').map((g) => { if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw invalidUrl(input); return parseInt(g, 16); }));
    const head = groups(halves[0]);
    const rest = halves.length === 2 ? groups(halves[1]) : [];
    const total = head.length + rest.length + tail.length;
    if (halves.length === 1 ? total !== 8 : total > 7) throw invalidUrl(input);
    const all = head.concat(new Array(8 - total).fill(0), rest, tail);
    // Compress the first longest run of two or more zero groups.
    let best = -1, bestLen = 1;
    for (let i = 0; i < 8;) {
      if (all[i] !== 0) { i++; continue; }
      let j = i; while (j < 8 && all[j] === 0) j++;
      if (j - i > bestLen) { best = i; bestLen = j - i; }
      i = j;
    }
    const hexes = all.map((g) => g.toString(16));
    if (best < 0) return '[' + hexes.join(':') + ']';
    return '[' + hexes.slice(0, best).join(':') + '::' + hexes.slice(best + bestLen).join(':') + ']';
  }
  function parseHost(host, special, input) {
    if (host.startsWith('[')) {
      if (!host.endsWith(']')) throw invalidUrl(input);
      return parseIPv6(host.slice(1, -1), input);
    }
    if (!special) {
      if (/[\0\t\n\r #/:<>?@[\\\]^|]/.test(host)) throw invalidUrl(input);
      return percentEncode(host, C0);
    }
    const bytes = percentDecode(host);
    let domain = utf8Decode(bytes, 0, bytes.length, false).toLowerCase();
    if (/[\0-\x20#%/:<>?@[\\\]^|\x7f]/.test(domain) || domain.includes('\ufffd')) throw invalidUrl(input);
    if (/[^\x00-\x7f]/.test(domain)) domain = domain.split('.').map((l) => (/[^\x00-\x7f]/.test(l) ? punycode(l.normalize('NFC')) : l)).join('.');
    if (domain === '') throw invalidUrl(input);
    const labels = domain.split('.');
    const last = labels[labels.length - 1] === '' && labels.length > 1 ? labels[labels.length - 2] : labels[labels.length - 1];
    if (/^[0-9]+$/.test(last) || /^0[xX][0-9a-fA-F]*$/.test(last)) return parseIPv4(domain, input);
    return domain;
  }
  const isSingleDot = (s) => s === '.' || s.toLowerCase() === '%2e';
  const isDoubleDot = (s) => ['..', '.%2e', '%2e.', '%2e%2e'].includes(s.toLowerCase());
  const isDriveLetter = (s) => /^[a-zA-Z][:|]$/.test(s);
  // Appends the segments of `text` to `path` (a list), resolving dot segments.
  function parsePath(text, path, special, scheme) {
    const segments = special ? text.split(/[/\\]/) : text.split('/');
    segments.forEach((seg, i) => {
      const last = i === segments.length - 1;
      if (isDoubleDot(seg)) {
        if (path.length > 0 && !(scheme === 'file:' && path.length === 1 && /^[a-zA-Z]:$/.test(path[0]))) path.pop();
        if (last) path.push('');
      } else if (isSingleDot(seg)) {
        if (last) path.push('');
      } else {
        if (scheme === 'file:' && path.length === 0 && isDriveLetter(seg)) seg = seg[0] + ':';
        path.push(percentEncode(seg, PATH_SET));
      }
    });
    return path;
  }
  function splitRest(rest, special) {
    // Returns [beforeQueryOrFragment, query|null, fragment|null].
    let fragment = null, query = null;
    const hash = rest.indexOf('#');
    if (hash >= 0) { fragment = rest.slice(hash + 1); rest = rest.slice(0, hash); }
    const q = rest.indexOf('?');
    if (q >= 0) { query = rest.slice(q + 1); rest = rest.slice(0, q); }
    return [rest, query === null ? null : percentEncode(query, special ? SPECIAL_QUERY_SET : QUERY_SET), fragment === null ? null : percentEncode(fragment, FRAGMENT_SET)];
  }
  function parseAuthority(rest, special, scheme, input, parts) {
    const end = rest.search(special ? /[/\\?#]/ : /[/?#]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    const after = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    parts.username = ''; parts.password = '';
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(':');
      parts.username = percentEncode(colon < 0 ? info : info.slice(0, colon), USERINFO_SET);
      parts.password = colon < 0 ? '' : percentEncode(info.slice(colon + 1), USERINFO_SET);
      authority = authority.slice(at + 1);
      if (authority === '') throw invalidUrl(input);
    }
    let host = authority, port = '';
    const m = authority.match(/^(\[[^\]]*\]|[^:]*)(?::(.*))?$/);
    if (!m) throw invalidUrl(input);
    host = m[1];
    if (m[2] !== undefined) {
      if (!/^[0-9]*$/.test(m[2])) throw invalidUrl(input);
      if (m[2] !== '') {
        const n = parseInt(m[2], 10);
        if (n > 65535) throw invalidUrl(input);
        port = SPECIAL[scheme] === String(n) ? '' : String(n);
      }
    }
    if (scheme === 'file:') {
      parts.host = host === '' ? '' : parseHost(host, true, input);
      if (parts.host === 'localhost') parts.host = '';
    } else if (host === '') {
      if (special || parts.username || parts.password || port) throw invalidUrl(input);
      parts.host = '';
    } else parts.host = parseHost(host, special, input);
    parts.port = port;
    return after;
  }
  function parseURL(input, base) {
    const original = input;
    input = String(input).replace(/^[\0-\x20]+|[\0-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
    const m = input.match(/^([a-zA-Z][a-zA-Z0-9+\-.]*):(.*)$/s);
    const parts = { scheme: '', username: '', password: '', host: null, port: '', path: [], opaque: null, query: null, fragment: null };
    if (m) {
      parts.scheme = m[1].toLowerCase() + ':';
      let rest = m[2];
      const special = parts.scheme in SPECIAL;
      if (special && base && base.scheme === parts.scheme && !/^[/\\]/.test(rest) && parts.scheme !== 'file:') {
        return relative(rest, base, original);
      }
      if (parts.scheme === 'file:') {
        if (/^[/\\]{2}/.test(rest)) rest = parseAuthority(rest.slice(2), true, 'file:', original, parts);
        else {
          parts.host = '';
          if (base && base.scheme === 'file:' && !/^[/\\]/.test(rest)) return relative(rest, base, original);
        }
      } else if (special) {
        rest = parseAuthority(rest.replace(/^[/\\]*/, ''), true, parts.scheme, original, parts);
      } else if (rest.startsWith('//')) {
        rest = parseAuthority(rest.slice(2), false, parts.scheme, original, parts);
      } else if (!rest.startsWith('/')) {
        const [opaque, query, fragment] = splitRest(rest, false);
        parts.opaque = percentEncode(opaque, C0);
        parts.query = query; parts.fragment = fragment;
        return parts;
      }
      const [path, query, fragment] = splitRest(rest, special);
      parts.query = query; parts.fragment = fragment;
      if (path !== '' || special) parsePath(path.replace(/^[/\\]/, special ? '' : '').replace(/^\//, ''), parts.path, special, parts.scheme);
      if (special && parts.path.length === 0) parts.path.push('');
      return parts;
    }
    if (!base) throw invalidUrl(original);
    return relative(input, base, original);
  }
  function relative(input, base, original) {
    const special = base.scheme in SPECIAL;
    const parts = { scheme: base.scheme, username: base.username, password: base.password, host: base.host, port: base.port, path: base.path.slice(), opaque: null, query: base.query, fragment: null };
    if (base.opaque !== null) {
      if (!input.startsWith('#')) throw invalidUrl(original);
      parts.opaque = base.opaque; parts.path = [];
      parts.fragment = percentEncode(input.slice(1), FRAGMENT_SET);
      return parts;
    }
    const slash = special ? /^[/\\]/ : /^\//;
    if (slash.test(input) && slash.test(input.slice(1))) {
      if (base.scheme === 'file:') { parts.host = ''; parts.path = []; const rest = parseAuthority(input.slice(2), true, 'file:', original, parts); return finishPath(rest, parts, true); }
      return parseURL(base.scheme + input, null);
    }
    if (slash.test(input)) { parts.path = []; return finishPath(input.slice(1), parts, special); }
    if (input === '') return parts;
    if (input.startsWith('?')) { const [, query, fragment] = splitRest(input, special); parts.query = query; parts.fragment = fragment; return parts; }
    if (input.startsWith('#')) { parts.fragment = percentEncode(input.slice(1), FRAGMENT_SET); return parts; }
    parts.path.pop();
    return finishPath(input, parts, special);
  }
  function finishPath(rest, parts, special) {
    const [path, query, fragment] = splitRest(rest, special);
    parts.query = query; parts.fragment = fragment;
    parsePath(path, parts.path, special, parts.scheme);
    if (special && parts.path.length === 0) parts.path.push('');
    return parts;
  }
  const pathText = (p) => (p.opaque !== null ? p.opaque : (p.host === null && p.path.length > 1 && p.path[0] === '' ? '/.' : '') + p.path.map((s) => '/' + s).join(''));
  function serialize(p, noFragment) {
    let out = p.scheme;
    if (p.host !== null) {
      out += '//';
      if (p.username || p.password) out += p.username + (p.password ? ':' + p.password : '') + '@';
      out += p.host + (p.port ? ':' + p.port : '');
    }
    out += pathText(p);
    if (p.query !== null) out += '?' + p.query;
    if (!noFragment && p.fragment !== null) out += '#' + p.fragment;
    return out;
  }
  class URL {
    constructor(input, base) {
      if (arguments.length === 0) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "url" argument must be specified');
      let baseParts = null;
      if (base !== undefined) {
        try { baseParts = parseURL(String(base), null); } catch (e) { throw invalidUrl(String(input)); }
      }
      const parts = parseURL(String(input), baseParts);
      hidden(this, URL_PARTS, parts);
      const params = new URLSearchParams(parts.query || '');
      params[PARAMS].url = this;
      hidden(this, PARAMS, params);
    }
    static canParse(input, base) { try { new URL(input, base); return true; } catch (e) { return false; } }
    get href() { return serialize(this[URL_PARTS]); }
    set href(v) {
      const parts = parseURL(String(v), null);
      hidden(this, URL_PARTS, parts);
      this[PARAMS][PARAMS].list = parseForm(parts.query || '');
    }
    get origin() {
      const p = this[URL_PARTS];
      if (p.scheme === 'blob:') { try { return new URL(p.opaque !== null ? p.opaque : pathText(p)).origin; } catch (e) { return 'null'; } }
      return p.scheme in SPECIAL && p.scheme !== 'file:' ? p.scheme + '//' + p.host + (p.port ? ':' + p.port : '') : 'null';
    }
    get protocol() { return this[URL_PARTS].scheme; }
    set protocol(v) {
      const m = String(v).match(/^([a-zA-Z][a-zA-Z0-9+\-.]*)/);
      if (!m) return;
      const scheme = m[1].toLowerCase() + ':';
      const p = this[URL_PARTS];
      if ((scheme in SPECIAL) !== (p.scheme in SPECIAL)) return;
      if (scheme === 'file:' && (p.username || p.password || p.port)) return;
      p.scheme = scheme;
      if (SPECIAL[scheme] === p.port) p.port = '';
    }
    get username() { return this[URL_PARTS].username; }
    set username(v) { const p = this[URL_PARTS]; if (p.host === null || p.host === '' || p.scheme === 'file:') return; p.username = percentEncode(String(v), USERINFO_SET); }
    get password() { return this[URL_PARTS].password; }
    set password(v) { const p = this[URL_PARTS]; if (p.host === null || p.host === '' || p.scheme === 'file:') return; p.password = percentEncode(String(v), USERINFO_SET); }
    get host() { const p = this[URL_PARTS]; return p.host === null ? '' : p.host + (p.port ? ':' + p.port : ''); }
    set host(v) { this.#setHost(String(v), true); }
    get hostname() { const p = this[URL_PARTS]; return p.host === null ? '' : p.host; }
    set hostname(v) { this.#setHost(String(v), false); }
    get port() { return this[URL_PARTS].port; }
    set port(v) {
      const p = this[URL_PARTS];
      if (p.host === null || p.host === '' || p.scheme === 'file:') return;
      const digits = String(v).match(/^[0-9]*/)[0];
      if (digits === '') { if (String(v) === '') p.port = ''; return; }
      const n = parseInt(digits, 10);
      if (n > 65535) return;
      p.port = SPECIAL[p.scheme] === String(n) ? '' : String(n);
    }
    get pathname() { return pathText(this[URL_PARTS]); }
    set pathname(v) {
      const p = this[URL_PARTS];
      if (p.opaque !== null) return;
      const special = p.scheme in SPECIAL;
      let text = String(v);
      p.path = [];
      if (special ? /^[/\\]/.test(text) : text.startsWith('/')) text = text.slice(1);
      if (text !== '' || special) parsePath(text.replace(/[?#]/g, (c) => (c === '?' ? '%3F' : '%23')), p.path, special, p.scheme);
    }
    get search() { const q = this[URL_PARTS].query; return q === null || q === '' ? '' : '?' + q; }
    set search(v) {
      const p = this[URL_PARTS];
      let s = String(v);
      if (s.startsWith('?')) s = s.slice(1);
      p.query = s === '' ? null : percentEncode(s, p.scheme in SPECIAL ? SPECIAL_QUERY_SET : QUERY_SET);
      this[PARAMS][PARAMS].list = parseForm(s);
    }
    get searchParams() { return this[PARAMS]; }
    get hash() { const f = this[URL_PARTS].fragment; return f === null || f === '' ? '' : '#' + f; }
    set hash(v) {
      let s = String(v);
      if (s.startsWith('#')) s = s.slice(1);
      this[URL_PARTS].fragment = s === '' ? null : percentEncode(s, FRAGMENT_SET);
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
    #setHost(v, withPort) {
      const p = this[URL_PARTS];
      if (p.opaque !== null) return;
      const special = p.scheme in SPECIAL;
      const end = v.search(special ? /[/\\?#]/ : /[/?#]/);
      if (end >= 0) v = v.slice(0, end);
      if (v === '' && special) return;
      try {
        const probe = { username: p.username, password: p.password };
        const m = withPort ? v : v.replace(/:.*$/, (s) => (v.startsWith('[') && !v.slice(0, v.indexOf(']') + 1).includes(s) ? s : ''));
        parseAuthority(m.replace(/@/g, '%40'), special, p.scheme, v, probe);
        p.host = probe.host;
        if (withPort && /:/.test(m.replace(/^\[[^\]]*\]/, ''))) p.port = probe.port;
      } catch (e) { /* an invalid host leaves the URL as it was */ }
    }
    [custom](depth) {
      const fields = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash'];
      return 'URL {\n' + fields.map((f) => '  ' + f + ': ' + (f === 'searchParams' ? this.searchParams[custom]() : rt.inspect(this[f]))).join(',\n') + '\n}';
    }
  }
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
  for (const name of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash']) {
    const d = Object.getOwnPropertyDescriptor(URL.prototype, name);
    d.enumerable = true;
    Object.defineProperty(URL.prototype, name, d);
  }
  define('URL', URL);
  define('URLSearchParams', URLSearchParams);

  // ---- structuredClone (the HTML structured clone algorithm, as V8 serialises) ----
  const ERROR_TYPES = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  function cloneError(v) { return new DOMException(v + ' could not be cloned.', 'DataCloneError'); }
  function structuredClone(value, options) {
    if (arguments.length === 0) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The value argument must be specified', true);
    if (options !== undefined && options !== null && typeof options !== 'object') throw argType('options', 'of type object', options);
    const memory = new Map();
    const clone = (v) => {
      if (typeof v === 'symbol') throw cloneError(v.toString());
      if (typeof v === 'function') throw cloneError(Function.prototype.toString.call(v));
      if (v === null || typeof v !== 'object') return v;
      if (memory.has(v)) return memory.get(v);
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      let out;
      const remember = (o) => { memory.set(v, o); return o; };
      switch (tag) {
        case 'Boolean': return remember(Object(Boolean.prototype.valueOf.call(v)));
        case 'Number': return remember(Object(Number.prototype.valueOf.call(v)));
        case 'String': return remember(Object(String.prototype.valueOf.call(v)));
        case 'BigInt': return remember(Object(BigInt.prototype.valueOf.call(v)));
        case 'Date': return remember(new Date(Date.prototype.getTime.call(v)));
        case 'RegExp': return remember(new RegExp(v.source, v.flags));
        case 'ArrayBuffer': return remember(v.slice(0));
        case 'DataView': { out = remember(new DataView(clone(v.buffer), v.byteOffset, v.byteLength)); return out; }
        case 'Map': { out = remember(new Map()); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
        case 'Set': { out = remember(new Set()); for (const x of v) out.add(clone(x)); return out; }
        case 'Error': {
          const name = ERROR_TYPES[v.name] ? v.name : 'Error';
          out = remember(new ERROR_TYPES[name]());
          const message = Object.getOwnPropertyDescriptor(v, 'message');
          if (message) hidden(out, 'message', String(v.message)); else delete out.message;
          if (typeof v.stack === 'string') hidden(out, 'stack', v.stack);
          if ('cause' in v) hidden(out, 'cause', clone(v.cause));
          return out;
        }
      }
      if (ArrayBuffer.isView(v)) return remember(new globalThis[tag](clone(v.buffer), v.byteOffset, v.length));
      if (Array.isArray(v)) {
        out = remember(new Array(v.length));
        for (const k of Object.keys(v)) out[k] = clone(v[k]);
        return out;
      }
      if (['Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Generator', 'AsyncGenerator', 'Symbol'].includes(tag)) throw cloneError('#<' + tag + '>');
      out = remember({});
      for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    };
    return clone(value);
  }
  define('structuredClone', structuredClone);

  // ---- fetch, Headers, Request, Response ----
  const HEADERS = Symbol('headers');
  class Headers {
    constructor(init) {
      hidden(this, HEADERS, new Map());
      if (init === undefined || init === null) return;
      if (init instanceof Headers) { for (const [k, v] of init) this.append(k, v); return; }
      if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          const items = [...pair];
          if (items.length !== 2) throw new TypeError('Headers constructor: expected name/value pair to be length 2, found ' + items.length + '.');
          this.append(items[0], items[1]);
        }
        return;
      }
      if (typeof init !== 'object') throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
      for (const k of Object.keys(init)) this.append(k, init[k]);
    }
    append(name, value) {
      const key = headerName(name);
      const v = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
      const map = this[HEADERS];
      map.set(key, map.has(key) ? map.get(key) + ', ' + v : v);
    }
    set(name, value) { this[HEADERS].set(headerName(name), String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')); }
    get(name) { const v = this[HEADERS].get(headerName(name)); return v === undefined ? null : v; }
    has(name) { return this[HEADERS].has(headerName(name)); }
    delete(name) { this[HEADERS].delete(headerName(name)); }
    forEach(fn, thisArg) { for (const [k, v] of this) fn.call(thisArg, v, k, this); }
    *keys() { for (const [k] of this) yield k; }
    *values() { for (const [, v] of this) yield v; }
    *entries() { yield* [...this[HEADERS]].sort((a, b) => (a[0] < b[0] ? -1 : 1)); }
    [Symbol.iterator]() { return this.entries(); }
    getSetCookie() { const v = this.get('set-cookie'); return v === null ? [] : [v]; }
    [custom]() {
      const e = [...this];
      return e.length === 0 ? 'Headers {}' : 'Headers { ' + e.map(([k, v]) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : rt.inspect(k)) + ': ' + rt.inspect(v)).join(', ') + ' }';
    }
  }
  function headerName(name) {
    const key = String(name);
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key)) throw new TypeError('Headers.append: "' + key + '" is an invalid header name.');
    return key.toLowerCase();
  }
  const BODY = Symbol('body');
  class Body {
    get bodyUsed() { return this[BODY].used; }
    get body() { return this[BODY].bytes === null ? null : {}; }
    #take() {
      const b = this[BODY];
      if (b.used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
      b.used = true;
      return Promise.resolve(b.bytes || new Uint8Array(0));
    }
    text() { return this.#take().then((bytes) => utf8Decode(bytes, 0, bytes.length, false)); }
    json() { return this.text().then((t) => JSON.parse(t)); }
    arrayBuffer() { return this.#take().then((bytes) => bytes.slice().buffer); }
    blob() { return Promise.reject(new TypeError('Blob is not available in this runtime')); }
  }
  const bodyBytes = (body) => {
    if (body === undefined || body === null) return null;
    if (typeof body === 'string') return utf8Encode(body);
    if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
    if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    if (body instanceof URLSearchParams) return utf8Encode(body.toString());
    return utf8Encode(String(body));
  };
  const STATUS_TEXT = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  class Response extends Body {
    constructor(body = null, init = {}) {
      super();
      const status = init.status === undefined ? 200 : Number(init.status);
      if (!(status >= 200 && status <= 599) || !Number.isInteger(status)) throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
      hidden(this, BODY, { bytes: bodyBytes(body), used: false });
      hidden(this, '_s', { status, statusText: init.statusText === undefined ? '' : String(init.statusText), headers: new Headers(init.headers), url: '', type: 'default' });
      if (typeof body === 'string' && !this._s.headers.has('content-type')) this._s.headers.set('content-type', 'text/plain;charset=UTF-8');
    }
    static json(data, init = {}) {
      const r = new Response(JSON.stringify(data), init);
      r.headers.set('content-type', 'application/json');
      return r;
    }
    static error() { const r = new Response(null, { status: 200 }); r._s.status = 0; r._s.type = 'error'; return r; }
    get status() { return this._s.status; }
    get ok() { return this._s.status >= 200 && this._s.status <= 299; }
    get statusText() { return this._s.statusText; }
    get headers() { return this._s.headers; }
    get url() { return this._s.url; }
    get type() { return this._s.type; }
    get redirected() { return false; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
      const r = new Response(this[BODY].bytes, { status: this.status === 0 ? 200 : this.status, statusText: this.statusText, headers: this.headers });
      Object.assign(r._s, { url: this.url, type: this.type, status: this.status });
      return r;
    }
    [custom]() {
      return 'Response {\n  status: ' + this.status + ',\n  statusText: ' + rt.inspect(this.statusText) + ',\n  headers: ' + this.headers[custom]() + ',\n  body: ' + (this[BODY].bytes === null ? 'null' : 'ReadableStream { locked: false, state: \'readable\', supportsBYOB: true }') + ',\n  bodyUsed: ' + this.bodyUsed + ',\n  ok: ' + this.ok + ',\n  redirected: false,\n  type: ' + rt.inspect(this.type) + ',\n  url: ' + rt.inspect(this.url) + '\n}';
    }
  }
  class Request extends Body {
    constructor(input, init = {}) {
      super();
      let url;
      if (input instanceof Request) url = input.url;
      else {
        try { url = new URL(String(input)).href; } catch (e) { const err = new TypeError('Failed to parse URL from ' + String(input)); hidden(err, 'cause', e); throw err; }
      }
      const method = String(init.method || (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      if ((method === 'GET' || method === 'HEAD') && init.body !== undefined && init.body !== null) throw new TypeError('Request with GET/HEAD method cannot have body.');
      hidden(this, BODY, { bytes: bodyBytes(init.body !== undefined ? init.body : input instanceof Request ? input[BODY].bytes : null), used: false });
      hidden(this, '_r', { url, method, headers });
    }
    get url() { return this._r.url; }
    get method() { return this._r.method; }
    get headers() { return this._r.headers; }
    clone() { return new Request(this); }
  }
  define('Headers', Headers);
  define('Request', Request);
  define('Response', Response);

  function netError(code, message, extra) {
    const cause = new Error(message);
    Object.assign(cause, extra, { code });
    const e = new TypeError('fetch failed');
    hidden(e, 'cause', cause);
    return e;
  }
  // Go's RFC 3339 instant with its fraction trimmed, as the extension (written in Go) answers.
  const goTime = (seconds) => new Date(Math.round(Number(seconds) * 1000)).toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
  function extensionResponse(status, body, url) {
    const r = new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, statusText: STATUS_TEXT[status] || '', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    r._s.url = url; r._s.type = 'basic';
    return r;
  }
  // The Parameters and Secrets Lambda Extension: GetSecretValue as the function's role.
  function extension(request, url) {
    const token = request.headers.get('x-aws-parameters-secrets-token');
    if (token === null || token !== process.env.AWS_SESSION_TOKEN) return Promise.resolve(extensionResponse(401, 'Unauthorized', url.href));
    if (request.method !== 'GET') return Promise.resolve(extensionResponse(405, 'Method Not Allowed', url.href));
    if (url.pathname === '/secretsmanager/get') {
      const id = url.searchParams.get('secretId');
      if (id === null || id === '') return Promise.resolve(extensionResponse(400, 'secretId is required', url.href));
      const input = { SecretId: id };
      const version = url.searchParams.get('versionId');
      const stage = url.searchParams.get('versionStage');
      if (version !== null) input.VersionId = version;
      if (stage !== null) input.VersionStage = stage;
      return rt.call('secretsmanager', 'GetSecretValue', input).then((out) => {
        const body = { ARN: out.ARN, CreatedDate: out.CreatedDate === undefined ? null : goTime(out.CreatedDate), Name: out.Name, SecretBinary: out.SecretBinary === undefined ? null : out.SecretBinary, SecretString: out.SecretString === undefined ? null : out.SecretString, VersionId: out.VersionId, VersionStages: out.VersionStages, ResultMetadata: {} };
        return extensionResponse(200, body, url.href);
      }, (e) => {
        const status = e && e.$metadata && e.$metadata.httpStatusCode ? e.$metadata.httpStatusCode : 500;
        return extensionResponse(status, { __type: e && e.name, message: e && e.message }, url.href);
      });
    }
    if (url.pathname === '/systemsmanager/parameters/get') {
      return Promise.resolve(extensionResponse(400, { __type: 'UnsupportedOperation', message: 'Parameter Store is not simulated in this lab.' }, url.href));
    }
    return Promise.resolve(extensionResponse(404, 'Not Found', url.href));
  }
  function fetch(input, init) {
    return new Promise((resolve, reject) => {
      let request;
      try { request = new Request(input, init || {}); } catch (e) { reject(e); return; }
      const url = new URL(request.url);
      const after = (fn) => Promise.resolve().then(fn);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        after(() => reject(url.protocol === 'data:' || url.protocol === 'blob:' ? netError(undefined, 'not implemented... yet...') : netError(undefined, 'unknown scheme')));
        return;
      }
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      const host = url.hostname;
      const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
      const extensionPort = String(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || '2773');
      if (rt.secretsExtension && local && url.protocol === 'http:' && port === extensionPort) {
        after(() => extension(request, url)).then(resolve, reject);
        return;
      }
      if (local) {
        const address = host === '[::1]' ? '::1' : '127.0.0.1';
        after(() => reject(netError('ECONNREFUSED', 'connect ECONNREFUSED ' + address + ':' + port, { errno: -111, syscall: 'connect', address, port: Number(port) })));
        return;
      }
      after(() => reject(netError('ENOTFOUND', 'getaddrinfo ENOTFOUND ' + host, { errno: -3008, syscall: 'getaddrinfo', hostname: host })));
    });
  }
  define('fetch', fetch);

  // ---- the node: built-ins ----
  rt.define('buffer', (exports) => {
    Object.assign(exports, { Buffer, atob: globalThis.atob, btoa: globalThis.btoa, kMaxLength: 4294967296, kStringMaxLength: 536870888, INSPECT_MAX_BYTES: 50 });
    exports.constants = { MAX_LENGTH: 4294967296, MAX_STRING_LENGTH: 536870888 };
  });
  rt.define('url', (exports) => {
    exports.URL = URL;
    exports.URLSearchParams = URLSearchParams;
    exports.fileURLToPath = (u) => decodeURIComponent(new URL(String(u)).pathname);
    exports.pathToFileURL = (p) => new URL('file://' + encodeURI(String(p)));
  });
  rt.define('util', (exports) => {
    Object.assign(exports, { TextEncoder, TextDecoder, inspect: (v, o) => rt.inspect(v, o && typeof o === 'object' && o.depth !== undefined ? o.depth : 2), format: (...args) => rt.format(args) });
    exports.inspect.custom = custom;
    exports.types = { isDate: (v) => v instanceof Date, isRegExp: (v) => v instanceof RegExp, isUint8Array: (v) => v instanceof Uint8Array, isPromise: (v) => v instanceof Promise };
    exports.isDeepStrictEqual = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    exports.promisify = (fn) => (...args) => new Promise((resolve, reject) => fn(...args, (err, value) => (err ? reject(err) : resolve(value))));
  });
})
