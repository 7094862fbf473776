import { URL as U2, URLSearchParams as P2 } from 'node:url';
const t = (f) => { try { return f(); } catch (e) { return { error: e.name, code: e.code, message: e.message, input: e.input, str: String(e) }; } };
const parts = (u) => { const x = new URL(u); return [x.href, x.protocol, x.username, x.password, x.host, x.hostname, x.port, x.pathname, x.search, x.hash, x.origin]; };
const rel = (u, b) => t(() => new URL(u, b).href);
export const handler = async () => {
  const u = new URL('https://user:pa ss@Example.COM:8443/a/./b/../c%20d/é?q=1&x=a b#frag ment');
  console.log(new URL('https://a.com/x?y=1#z'));
  console.log(new URLSearchParams('a=1&b=2&a=3'));
  console.log(new URLSearchParams(''));
  const sp = new URLSearchParams('a=1&b=2&a=3&c=%20x+y&d');
  const keys = []; sp.forEach((v, k) => keys.push(k + '=' + v));
  const s2 = new URLSearchParams({ z: '1', a: 'b c', e: 'é&=' });
  s2.append('a', 'x'); s2.sort();
  const s3 = new URLSearchParams([['k', 'v'], ['k', 'w']]);
  s3.set('k', 'only'); s3.append('m', '1'); s3.delete('m');
  const linked = new URL('https://h.com/p?a=1');
  linked.searchParams.append('b', 'two words');
  const linked2 = new URL('https://h.com/p?a=1'); linked2.search = '?x=9'; const afterSearch = linked2.searchParams.get('x');
  const emptied = new URL('https://h.com/p?a=1'); emptied.searchParams.delete('a');
  const setters = new URL('http://a.com/x');
  setters.pathname = '/new path/'; setters.hash = 'h1'; setters.port = '8080'; setters.hostname = 'B.com'; setters.protocol = 'https'; setters.username = 'me';
  const portDefault = new URL('http://a.com:8080/'); portDefault.port = '80';
  return {
    same: U2 === URL && P2 === URLSearchParams, u: parts(u.href), uStr: String(u), json: JSON.stringify({ u }), toJSON: u.toJSON(),
    basics: [parts('http://example.com'), parts('HTTP://EXAMPLE.com:80/'), parts('https://a.b.c:443/x?#'), parts('ws://h:81/p'), parts('file:///etc/passwd'), parts('file://server/share/x')],
    nonSpecial: [parts('mailto:someone@example.com'), parts('urn:isbn:0451450523'), parts('custom://host:99/p/../q?x#y'), parts('data:text/plain,hi there'), parts('javascript:alert(1)')],
    ipv6: [parts('http://[::1]:3000/'), parts('http://[2001:DB8:0:0:0:0:0:1]/'), parts('http://[::ffff:192.168.0.1]/')],
    ipv4: [parts('http://0x7f.1/'), parts('http://127.0.0.1/'), parts('http://192.168.0.257.com/')],
    idn: parts('https://café.example/'), backslash: parts('http://a.com\\b\\c'), slashes: parts('https:////x.com/y'),
    rel: [rel('/x', 'https://a.com/b/c'), rel('y', 'https://a.com/b/c'), rel('../y', 'https://a.com/b/c/d'), rel('?q', 'https://a.com/b?z#f'), rel('#f2', 'https://a.com/b?z#f'), rel('', 'https://a.com/b?z#f'), rel('//other.org/p', 'https://a.com/b'), rel('https:rel', 'https://a.com/b/c'), rel('x', 'mailto:a@b'), rel('#x', 'mailto:a@b'), rel('../../../../z', 'http://a/b/c'), rel('.', 'http://a/b/c'), rel('..', 'http://a/b/c/')],
    invalid: [t(() => new URL('not a url')), t(() => new URL('http://')), t(() => new URL('https://a b.com')), t(() => new URL('http://a.com:99999')), t(() => new URL('x', 'nope')), t(() => new URL('http://[::1/'))],
    canParse: [URL.canParse('https://a'), URL.canParse('nope'), URL.canParse('/x', 'https://a')],
    sp: [sp.get('a'), sp.getAll('a'), sp.get('c'), sp.get('d'), sp.get('zz'), sp.has('b'), sp.has('a', '3'), sp.has('a', '9'), sp.size, sp.toString(), [...sp.keys()], [...sp.values()], [...sp], keys],
    s2: s2.toString(), s3: s3.toString(), s4: new URLSearchParams('?x=1').toString(), s5: new URLSearchParams(sp).toString(), s6: t(() => new URLSearchParams([['a']])),
    encode: new URLSearchParams({ q: "a+b ~!*'()&=/?é" }).toString(),
    linked: [linked.href, linked.search], afterSearch, emptied: emptied.href,
    setters: setters.href, portDefault: portDefault.href,
    entries: Object.fromEntries(new URL('https://x.com/?a=1&b=2').searchParams),
    missing: t(() => new URL()), spMissing: t(() => new URLSearchParams().get()),
    pathEnc: new URL('https://a.com/a b"<>`{}|^?x=a b"<>\'#f b"<>`').href, queryNonSpecial: new URL("foo://h/p?a'b").href,
    userinfoEnc: new URL('https://a@b:c@d.com/').href, dots: new URL('http://a.com/%2e/x/%2E%2e/y').href,
    tabs: new URL(' \thttp://a\n.com/x\r ').href,
  };
};
