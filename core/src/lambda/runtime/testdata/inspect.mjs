export const handler = async () => {
  const e = new Error('x'); e.name = 'Custom'; e.code = 'C1'; e.$fault = 'client';
  console.log({ $metadata: { httpStatusCode: 200 }, ok_1: true });
  try { Buffer.from('a', 'nope'); } catch (err) { console.log(String(err)); console.log(Object.keys(err)); }
  console.log(new Uint8Array([1, 2, 3]), new Float64Array(0), new ArrayBuffer(3));
  console.log(new TextEncoder(), new TextDecoder());
  console.log(new Headers({ a: '1' }));
  console.log('%s and %o', Buffer.from('z'), [new URLSearchParams('q=1')]);
  return Object.keys(e);
};
