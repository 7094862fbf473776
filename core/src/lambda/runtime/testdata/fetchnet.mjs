const t = async (f) => { try { const r = await f(); return { ok: r.ok, status: r.status }; } catch (e) { return { error: e.name, message: e.message, cause: e.cause && { name: e.cause.name, message: e.cause.message, code: e.cause.code, errno: e.cause.errno, syscall: e.cause.syscall, hostname: e.cause.hostname, port: e.cause.port, address: e.cause.address } }; } };
export const handler = async () => {
  const h = new Headers({ 'Content-Type': 'a', 'X-A': '1' }); h.append('x-a', '2');
  const r = new Response('{"a":1}', { status: 201, headers: { 'X-Y': 'z' } });
  const body = await r.json();
  let again; try { await r.text(); } catch (e) { again = [e.name, e.message]; }
  return {
    refused: await t(() => fetch('http://localhost:3000/x')), refused6: await t(() => fetch('http://127.0.0.1:8080/')),
    bad: await t(() => fetch('not a url')), scheme: await t(() => fetch('ftp://x.com/')),
    headers: [h.get('content-type'), h.get('x-a'), h.has('X-A'), h.get('nope'), [...h]],
    response: [r.status, r.ok, r.statusText, r.headers.get('x-y'), r.headers.get('content-type'), body, r.bodyUsed, again],
    respJson: await Response.json({ a: 1 }).text(), respDefault: [new Response().status, new Response(null).headers.get('content-type')],
    types: [typeof fetch, typeof Request, new Request('http://a.com/x', { method: 'post' }).method, new Request('http://a.com').url],
  };
};
