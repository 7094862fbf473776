// The Node.js-like surface a handler sees, built inside the sandbox. Evaluated once per
// execution environment; its completion value is a function that takes the host's few native
// hooks and returns the control object the runtime drives. Everything the handler can reach is
// defined here or is standard JavaScript: no page, no storage, no network.
(function bootstrap(host) {
  'use strict';
  const pending = [];
  const logs = [];
  const timers = [];
  let nextTimerId = 1;
  let requestId = undefined;

  // ---- util.format / util.inspect, as Node prints values ----
  const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
  let showHidden = false; // util.format's %o shows an array's length, as Node's showHidden does
  const isPlainKey = (k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);
  const quote = (s) => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
  function inspect(value, depth, seen) {
    if (depth === undefined) depth = 2;
    seen = seen || [];
    switch (typeof value) {
      case 'string': return quote(value);
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint': return String(value) + 'n';
      case 'boolean': case 'undefined': return String(value);
      case 'symbol': return value.toString();
      case 'function': return value.name ? '[Function: ' + value.name + ']' : '[Function (anonymous)]';
    }
    if (value === null) return 'null';
    if (seen.includes(value)) return '[Circular *1]';
    if (typeof value[inspectCustom] === 'function') return String(value[inspectCustom](depth, {}, inspect));
    if (value instanceof Error) {
      const frames = typeof value.stack === 'string' ? value.stack.split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('unknown at')) : [];
      // Node's own errors show their code: `TypeError [ERR_X]: message`.
      const head = Object.prototype.hasOwnProperty.call(value, 'toString') && typeof value.code === 'string'
        ? String(value) : String(value.name) + ': ' + String(value.message);
      const extra = Object.keys(value).filter((k) => k !== 'stack' && k !== 'message' && !(k === 'name' && head.startsWith(String(value.name))));
      const props = extra.length === 0 || depth < 0 ? '' : ' {\n' + extra.map((k) => '  ' + (isPlainKey(k) ? k : quote(k)) + ': ' + inspect(value[k], depth - 1, seen.concat([value])).split('\n').join('\n  ')).join(',\n') + '\n}';
      return [head].concat(frames).join('\n') + props;
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = Object.prototype.toString.call(value).slice(8, -1);
      const shown = Array.from(value.subarray(0, 100), (v) => inspect(v, depth - 1, seen));
      if (value.length > 100) shown.push('... ' + (value.length - 100) + ' more item' + (value.length - 100 > 1 ? 's' : ''));
      return shown.length === 0 ? name + '(0) []' : wrapList(name + '(' + value.length + ') ', shown);
    }
    if (value instanceof ArrayBuffer) {
      const bytes = Array.from(new Uint8Array(value, 0, Math.min(50, value.byteLength)), (b) => (b < 16 ? '0' : '') + b.toString(16)).join(' ');
      const more = value.byteLength > 50 ? ' ... ' + (value.byteLength - 50) + ' more byte' + (value.byteLength - 50 > 1 ? 's' : '') : '';
      return 'ArrayBuffer { [Uint8Contents]: <' + bytes + more + '>, byteLength: ' + value.byteLength + ' }';
    }
    if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    const inner = seen.concat([value]);
    const wrap = (open, entries, close, prefix) => {
      if (entries.length === 0) return prefix + open + close;
      const oneLine = prefix + open + ' ' + entries.join(', ') + ' ' + close;
      if (oneLine.length <= 72 && !entries.some((e) => e.includes('\n'))) return oneLine;
      return prefix + open + '\n' + entries.map((e) => '  ' + e.split('\n').join('\n  ')).join(',\n') + '\n' + close;
    };
    if (Array.isArray(value)) {
      if (depth < 0) return '[Array]';
      const entries = value.slice(0, 100).map((v) => inspect(v, depth - 1, inner));
      if (value.length > 100) entries.push('... ' + (value.length - 100) + ' more items');
      if (showHidden) entries.push('[length]: ' + value.length);
      return wrap('[', entries, ']', '');
    }
    if (value instanceof Map) {
      if (depth < 0) return '[Map]';
      const entries = [...value].map(([k, v]) => inspect(k, depth - 1, inner) + ' => ' + inspect(v, depth - 1, inner));
      return wrap('{', entries, '}', 'Map(' + value.size + ') ');
    }
    if (value instanceof Set) {
      if (depth < 0) return '[Set]';
      return wrap('{', [...value].map((v) => inspect(v, depth - 1, inner)), '}', 'Set(' + value.size + ') ');
    }
    if (value instanceof Promise) return 'Promise { <pending> }';
    const ctor = Object.getPrototypeOf(value) === null ? '[Object: null prototype] ' :
      (value.constructor && value.constructor.name && value.constructor.name !== 'Object' ? value.constructor.name + ' ' : '');
    if (depth < 0) return ctor ? '[' + ctor.trim() + ']' : '[Object]';
    const entries = Object.keys(value).map((k) => (isPlainKey(k) ? k : quote(k)) + ': ' + inspect(value[k], depth - 1, inner));
    return wrap('{', entries, '}', ctor);
  }
  function wrapList(prefix, entries) {
    const oneLine = prefix + '[ ' + entries.join(', ') + ' ]';
    if (oneLine.length <= 72) return oneLine;
    // Node groups long lists of short numbers into aligned columns; one per line keeps it readable.
    return prefix + '[\n' + entries.map((e) => '  ' + e).join(',\n') + '\n]';
  }
  // Whether `%s` prints an object with String(): it has a toString of its own making (a
  // class's, Buffer's, URL's), not one of the built-in prototypes'.
  const builtinToStrings = [Object, Array, Error, Date, RegExp, Function, Number, Boolean, String, Symbol, Promise, Map, Set].map((c) => c.prototype.toString);
  const ownToString = (a) => typeof a.toString === 'function' && !builtinToStrings.includes(a.toString);
  function format(args) {
    if (args.length === 0) return '';
    let first = args[0];
    let rest = 1;
    let out;
    if (typeof first === 'string') {
      out = first.replace(/%[sdifjoOc%]/g, (m) => {
        if (m === '%%') return '%';
        if (rest >= args.length) return m;
        const a = args[rest++];
        switch (m) {
          case '%s': return typeof a === 'string' ? a : (typeof a === 'object' && a !== null && !ownToString(a) ? inspect(a, 1) : String(a));
          case '%d': return typeof a === 'object' && a !== null ? 'NaN' : String(Number(a));
          case '%i': return String(parseInt(a));
          case '%f': return String(parseFloat(a));
          case '%j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
          case '%c': return '';
          case '%o': { showHidden = true; try { return inspect(a, 4); } finally { showHidden = false; } }
          default: return inspect(a, 4);
        }
      });
    } else {
      out = inspect(first);
    }
    for (; rest < args.length; rest++) {
      const a = args[rest];
      out += ' ' + (typeof a === 'string' ? a : inspect(a));
    }
    return out;
  }
  const line = (level) => function () {
    logs.push({ time: Date.now(), requestId, level, message: format(Array.prototype.slice.call(arguments)) });
  };
  const console = {
    log: line('INFO'), info: line('INFO'), warn: line('WARN'), error: line('ERROR'),
    debug: line('DEBUG'), trace: line('TRACE'),
    dir: (v) => logs.push({ time: Date.now(), requestId, level: 'INFO', message: inspect(v) }),
    table: line('INFO'),
  };

  // ---- timers on the invocation's virtual time ----
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function. Received ' + inspect(fn));
    const delay = Math.max(1, Number(ms) || 0);
    const id = nextTimerId++;
    timers.push({ id, due: Date.now() + delay, fn, args, repeat: repeat ? delay : 0, seq: id });
    return new Timeout(id);
  }
  class Timeout {
    constructor(id) { this.id = id; }
    ref() { return this; }
    unref() { return this; }
    hasRef() { return true; }
    [Symbol.toPrimitive]() { return this.id; }
  }
  const clearTimer = (t) => {
    const id = typeof t === 'object' && t !== null ? t.id : Number(t);
    const at = timers.findIndex((x) => x.id === id);
    if (at >= 0) timers.splice(at, 1);
  };

  // ---- process ----
  const env = {};
  const process = {
    env, argv: ['/var/lang/bin/node'], platform: 'linux', arch: 'x64', pid: 8, exitCode: undefined,
    version: 'v22.0.0', versions: { node: '22.0.0' }, release: { name: 'node' },
    cwd: () => '/var/task',
    nextTick: (fn, ...args) => { Promise.resolve().then(() => fn(...args)); },
    hrtime: Object.assign((prev) => {
      const ms = Date.now();
      const now = [Math.floor(ms / 1000), (ms % 1000) * 1e6];
      return prev ? [now[0] - prev[0], now[1] - prev[1]] : now;
    }, { bigint: () => BigInt(Date.now()) * 1000000n }),
    uptime: () => host.uptime(),
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    on() { return process; }, once() { return process; }, off() { return process; },
    emitWarning: (w) => console.warn(String(w)),
    exit: (code) => {
      const e = new Error('RequestId: ' + requestId + ' Error: Runtime exited with error: exit status ' + (code === undefined ? 0 : code));
      Object.defineProperty(e, 'name', { value: 'Runtime.ExitError' });
      throw e;
    },
  };

  // ---- Math.random from the function's seed (sfc32), so runs repeat exactly ----
  let sa = host.seed[0] >>> 0, sb = host.seed[1] >>> 0, sc = host.seed[2] >>> 0, sd = host.seed[3] >>> 0;
  const random = function random() {
    const t = (((sa + sb) >>> 0) + sd) >>> 0;
    sd = (sd + 1) >>> 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) >>> 0;
    sc = ((sc << 21) | (sc >>> 11)) >>> 0;
    sc = (sc + t) >>> 0;
    return t / 4294967296;
  };
  Object.defineProperty(Math, 'random', { value: random, writable: true, configurable: true, enumerable: false });

  // ---- crypto.randomUUID (from the seeded Math.random) ----
  const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const crypto = {
    randomUUID: () => hex(8) + '-' + hex(4) + '-4' + hex(3) + '-' + '89ab'[Math.floor(Math.random() * 4)] + hex(3) + '-' + hex(12),
    getRandomValues: (array) => { for (let i = 0; i < array.length; i++) array[i] = Math.floor(Math.random() * 256); return array; },
  };

  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define('console', console);
  define('process', process);
  define('crypto', crypto);
  define('setTimeout', (fn, ms, ...args) => addTimer(fn, ms, args, false));
  define('setInterval', (fn, ms, ...args) => addTimer(fn, ms, args, true));
  define('setImmediate', (fn, ...args) => addTimer(fn, 0, args, false));
  define('clearTimeout', clearTimer);
  define('clearInterval', clearTimer);
  define('clearImmediate', clearTimer);
  define('queueMicrotask', (fn) => { Promise.resolve().then(fn); });
  define('global', globalThis);

  // ---- the SDK's way out: a call the world makes as the function's role ----
  const call = (service, action, input) => new Promise((resolve, reject) => {
    pending.push({ service, action, input: input === undefined ? {} : input, resolve, reject });
  });

  // ---- CommonJS ----
  const cache = Object.create(null);
  const builtins = Object.create(null);
  function makeRequire(from) {
    const require = (specifier) => {
      specifier = String(specifier);
      const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
      if (builtins[name]) return loadBuiltin(name);
      const path = host.resolve(specifier, from);
      if (cache[path]) return cache[path].exports;
      if (host.isEsm(path)) {
        const e = new Error('require() of ES Module ' + path + ' not supported.');
        e.code = 'ERR_REQUIRE_ESM';
        throw e;
      }
      const module = { id: path, filename: path, exports: {}, loaded: false, children: [], paths: [] };
      cache[path] = module;
      if (path.endsWith('.json')) {
        module.exports = JSON.parse(host.source(path));
      } else {
        const dir = path.slice(0, path.lastIndexOf('/')) || '/';
        host.compileCjs(path).call(module.exports, module.exports, makeRequire(path), module, path, dir);
      }
      module.loaded = true;
      return module.exports;
    };
    require.resolve = (specifier) => host.resolve(String(specifier), from);
    require.cache = cache;
    return require;
  }
  function loadBuiltin(name) {
    const b = builtins[name];
    if (!b.module) {
      b.module = { exports: {} };
      b.factory(b.module.exports, makeRequire('/var/runtime/' + name), b.module, call);
    }
    return b.module.exports;
  }

  // ---- running a handler ----
  function errorShape(e) {
    if (e instanceof Error || (e && typeof e === 'object' && 'message' in e)) {
      const shape = { errorType: e.name || (e.constructor && e.constructor.name) || 'Error', errorMessage: String(e.message) };
      // The handler's own frames (the runtime's are not the learner's business), under the
      // `Type: message` line V8 starts every stack with.
      const frames = typeof e.stack === 'string'
        ? e.stack.split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('unknown at'))
        : [];
      shape.trace = [shape.errorType + ': ' + shape.errorMessage].concat(frames);
      return shape;
    }
    return { errorType: typeof e, errorMessage: String(e), trace: [] };
  }
  function makeContext(fields, deadline) {
    const context = Object.assign({ callbackWaitsForEmptyEventLoop: true }, fields);
    context.getRemainingTimeInMillis = () => Math.max(0, deadline - Date.now());
    return context;
  }
  function invoke(handler, event, fields, deadline) {
    const context = makeContext(fields, deadline);
    const outcome = { settled: false, ok: undefined, value: undefined };
    context.done = (err, value) => finish(err, value);
    context.succeed = (value) => finish(null, value);
    context.fail = (err) => finish(err === undefined || err === null ? new Error('handled') : err);
    const finish = (err, value) => {
      if (outcome.settled) return;
      outcome.settled = true;
      if (err !== undefined && err !== null) { outcome.ok = false; outcome.value = errorShape(err); }
      else { outcome.ok = true; outcome.value = value === undefined ? null : value; }
    };
    try {
      const result = handler.length >= 3 ? handler(event, context, finish) : handler(event, context);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        result.then((v) => finish(null, v), (e) => finish(e === undefined || e === null ? new Error(String(e)) : e));
      } else if (handler.length < 3) {
        // A handler that is neither async nor given a callback answers null, as on AWS.
        outcome.waitsForLoop = true;
      }
    } catch (e) {
      finish(e);
    }
    return outcome;
  }

  // ---- the memory meter's registry (engine.rs, `Meter`): bytes by array, held weakly ----
  const sizes = new WeakMap();
  let tracked = [];
  const meterAccount = (list) => {
    for (let i = 0; i < list.length; i += 2) {
      const target = list[i];
      const before = sizes.get(target);
      if (before === undefined) tracked.push(new WeakRef(target));
      sizes.set(target, (before || 0) + list[i + 1]);
    }
  };
  const meterCensus = () => {
    let live = 0;
    const kept = [];
    for (const ref of tracked) {
      const target = ref.deref();
      if (target !== undefined) { live += sizes.get(target) || 0; kept.push(ref); }
    }
    tracked = kept;
    return live;
  };

  return {
    meterAccount,
    meterCensus,
    builtins,
    // What js/node.js builds on: the SDK's way out, Node's printing and the built-in modules.
    rt: { call, inspect, format, define: (name, factory) => { builtins[name] = { factory }; }, memoryLimit: host.memoryLimit, outOfMemory: host.outOfMemory, secretsExtension: host.secretsExtension === true },
    define: (name, factory) => { builtins[name] = { factory }; },
    require: (specifier, from) => makeRequire(from)(specifier),
    setEnv: (vars) => { for (const k of Object.keys(env)) delete env[k]; Object.assign(env, vars); },
    setRequestId: (id) => { requestId = id; },
    invoke,
    finishEmpty: (outcome) => { if (!outcome.settled) { outcome.settled = true; outcome.ok = true; outcome.value = null; } },
    errorShape,
    takeCalls: () => pending.splice(0, pending.length),
    takeLogs: () => logs.splice(0, logs.length),
    nextTimer: () => (timers.length === 0 ? undefined : Math.min(...timers.map((t) => t.due))),
    fireTimers: (now) => {
      const due = timers.filter((t) => t.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq);
      for (const t of due) {
        if (t.repeat) { t.due += t.repeat; t.seq = nextTimerId++; } else clearTimer(t.id);
        t.fn.apply(undefined, t.args);
      }
    },
    clearTimers: () => { timers.length = 0; },
  };
})
