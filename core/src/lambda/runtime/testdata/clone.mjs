const t = (f) => { try { return f(); } catch (e) { return { error: e.name, code: e.code, message: e.message, dom: e instanceof DOMException, isErr: e instanceof Error, str: String(e) }; } };
export const handler = async () => {
  const a = { n: 1, s: 'x', nested: { arr: [1, { d: new Date(5) }] }, u: undefined, nul: null, big: 10n };
  a.self = a;
  const c = structuredClone(a);
  const m = new Map([[{ k: 1 }, new Set([1, 2])]]);
  const cm = structuredClone(m);
  const re = /ab+c/gi; re.lastIndex = 3;
  const cre = structuredClone(re);
  const ta = new Uint16Array([1, 2, 3]);
  const cta = structuredClone(ta);
  const buf = structuredClone(Buffer.from('hi'));
  const shared = { x: 1 }; const two = structuredClone([shared, shared]);
  const err = structuredClone(new RangeError('bad', { cause: 'why' }));
  class Point { constructor() { this.x = 1; } get y() { return 2; } }
  const p = structuredClone(new Point());
  const sparse = structuredClone([1, , 3]);
  const wrapped = structuredClone([new Number(3), new String('s'), new Boolean(false)]);
  const ab = new ArrayBuffer(4); new Uint8Array(ab)[0] = 9; const cab = structuredClone(ab);
  const dv = structuredClone(new DataView(ab, 1, 2));
  return {
    deep: [c !== a, c.self === c, c.nested.arr[1].d instanceof Date, c.nested.arr[1].d.getTime(), 'u' in c, c.u === undefined, c.nul, typeof c.big, c.big === 10n],
    map: [cm instanceof Map, [...cm.keys()][0].k, [...cm.values()][0] instanceof Set, [...[...cm.values()][0]]],
    re: [cre.source, cre.flags, cre.lastIndex, cre !== re],
    ta: [cta instanceof Uint16Array, Array.from(cta), cta.buffer !== ta.buffer], buf: [buf.constructor.name, Buffer.isBuffer(buf), Array.from(buf)],
    shared: two[0] === two[1], err: [err instanceof RangeError, err.message, err.cause, err.name], point: [p instanceof Point, p.x, p.y, Object.getPrototypeOf(p) === Object.prototype],
    sparse: [sparse.length, 1 in sparse], wrapped: wrapped.map((w) => [typeof w, w.valueOf()]), ab: [cab.byteLength, new Uint8Array(cab)[0], cab !== ab], dv: [dv.byteOffset, dv.byteLength, dv.getUint8(0)],
    undef: structuredClone(undefined), prim: [structuredClone(5), structuredClone('s'), structuredClone(null)],
    fn: t(() => structuredClone(function () {})), arrow: t(() => structuredClone({ f: () => 1 })), sym: t(() => structuredClone(Symbol('x'))),
    promise: t(() => structuredClone(Promise.resolve())), weak: t(() => structuredClone(new WeakMap())), none: t(() => structuredClone()),
    dom: [new DOMException('m', 'DataCloneError').code, new DOMException('m').name, String(new DOMException('oops', 'AbortError'))],
  };
};
