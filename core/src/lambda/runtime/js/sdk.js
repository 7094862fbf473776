// The AWS SDK for JavaScript v3 subset: every client's `send` is one call the world makes as the
// function's execution role. Evaluated once per environment; its completion value is a function
// that registers the modules with the runtime's `define`.
(function sdk(define) {
  'use strict';
  // Each client module: its SDK id, its client class name and its operations (the API's own names).
  const SERVICES = {
    '@aws-sdk/client-dynamodb': ['dynamodb', 'DynamoDB', [
      'BatchExecuteStatement', 'BatchGetItem', 'BatchWriteItem', 'CreateBackup', 'CreateGlobalTable', 'CreateTable',
      'DeleteBackup', 'DeleteItem', 'DeleteResourcePolicy', 'DeleteTable', 'DescribeBackup', 'DescribeContinuousBackups',
      'DescribeContributorInsights', 'DescribeEndpoints', 'DescribeExport', 'DescribeGlobalTable', 'DescribeImport',
      'DescribeKinesisStreamingDestination', 'DescribeLimits', 'DescribeTable', 'DescribeTimeToLive',
      'DisableKinesisStreamingDestination', 'EnableKinesisStreamingDestination', 'ExecuteStatement', 'ExecuteTransaction',
      'ExportTableToPointInTime', 'GetItem', 'GetResourcePolicy', 'ImportTable', 'ListBackups', 'ListExports',
      'ListGlobalTables', 'ListImports', 'ListTables', 'ListTagsOfResource', 'PutItem', 'PutResourcePolicy', 'Query',
      'RestoreTableFromBackup', 'Scan', 'TagResource', 'TransactGetItems', 'TransactWriteItems', 'UntagResource',
      'UpdateContinuousBackups', 'UpdateItem', 'UpdateKinesisStreamingDestination', 'UpdateTable', 'UpdateTimeToLive']],
    '@aws-sdk/client-dynamodb-streams': ['dynamodbstreams', 'DynamoDBStreams', ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams']],
    '@aws-sdk/client-sts': ['sts', 'STS', ['AssumeRole', 'GetCallerIdentity', 'GetSessionToken']],
    '@aws-sdk/client-sqs': ['sqs', 'SQS', [
      'AddPermission', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch', 'CreateQueue', 'DeleteMessage',
      'DeleteMessageBatch', 'DeleteQueue', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues',
      'ListQueues', 'ListQueueTags', 'PurgeQueue', 'ReceiveMessage', 'RemovePermission', 'SendMessage',
      'SendMessageBatch', 'SetQueueAttributes', 'TagQueue', 'UntagQueue']],
    '@aws-sdk/client-kinesis': ['kinesis', 'Kinesis', [
      'CreateStream', 'DeleteStream', 'DescribeStream', 'DescribeStreamSummary', 'GetRecords', 'GetShardIterator',
      'ListShards', 'ListStreams', 'PutRecord', 'PutRecords']],
    '@aws-sdk/client-secrets-manager': ['secretsmanager', 'SecretsManager', [
      'CreateSecret', 'DeleteSecret', 'DescribeSecret', 'GetRandomPassword', 'GetSecretValue', 'ListSecrets',
      'ListSecretVersionIds', 'PutSecretValue', 'RestoreSecret', 'TagResource', 'UntagResource', 'UpdateSecret']],
    '@aws-sdk/client-eventbridge': ['events', 'EventBridge', [
      'CreateEventBus', 'DeleteEventBus', 'DeleteRule', 'DescribeEventBus', 'DescribeRule', 'DisableRule', 'EnableRule',
      'ListEventBuses', 'ListRules', 'ListTargetsByRule', 'PutEvents', 'PutRule', 'PutTargets', 'RemoveTargets',
      'TestEventPattern']],
    '@aws-sdk/client-sfn': ['states', 'SFN', [
      'CreateStateMachine', 'DeleteStateMachine', 'DescribeExecution', 'DescribeStateMachine', 'GetExecutionHistory',
      'ListExecutions', 'ListStateMachines', 'SendTaskFailure', 'SendTaskHeartbeat', 'SendTaskSuccess',
      'StartExecution', 'StartSyncExecution', 'StopExecution', 'UpdateStateMachine']],
    '@aws-sdk/client-lambda': ['lambda', 'Lambda', [
      'AddPermission', 'CreateAlias', 'CreateEventSourceMapping', 'CreateFunction', 'DeleteAlias',
      'DeleteEventSourceMapping', 'DeleteFunction', 'DeleteFunctionConcurrency', 'DeleteFunctionEventInvokeConfig',
      'DeleteLayerVersion', 'GetAlias', 'GetEventSourceMapping', 'GetFunction', 'GetFunctionConcurrency',
      'GetFunctionConfiguration', 'GetFunctionEventInvokeConfig', 'GetLayerVersion', 'GetLayerVersionByArn',
      'GetPolicy', 'Invoke', 'ListAliases', 'ListEventSourceMappings', 'ListFunctionEventInvokeConfigs',
      'ListFunctions', 'ListLayerVersions', 'ListLayers', 'ListTags', 'ListVersionsByFunction', 'PublishLayerVersion',
      'PublishVersion', 'PutFunctionConcurrency', 'PutFunctionEventInvokeConfig', 'RemovePermission', 'TagResource',
      'UntagResource', 'UpdateAlias', 'UpdateEventSourceMapping', 'UpdateFunctionCode',
      'UpdateFunctionConfiguration', 'UpdateFunctionEventInvokeConfig']],
    '@aws-sdk/client-cloudwatch-logs': ['logs', 'CloudWatchLogs', [
      'CreateLogGroup', 'CreateLogStream', 'DeleteLogGroup', 'DescribeLogGroups', 'DescribeLogStreams',
      'FilterLogEvents', 'GetLogEvents', 'PutLogEvents', 'PutRetentionPolicy']],
    '@aws-sdk/client-iam': ['iam', 'IAM', [
      'AttachRolePolicy', 'CreatePolicy', 'CreateRole', 'DeleteRole', 'DetachRolePolicy', 'GetPolicy', 'GetRole',
      'ListAttachedRolePolicies', 'ListRoles', 'PutRolePolicy']],
  };

  class ServiceException extends Error {
    constructor(options) {
      super(options.message);
      Object.defineProperty(this, 'name', { value: options.name, writable: true, configurable: true, enumerable: true });
      this.$fault = options.$fault;
      this.$metadata = options.$metadata;
    }
  }

  // Lambda's blob members, as the SDK takes and gives them: Invoke's Payload is bytes (a string
  // is taken too) and comes back as bytes with transformToString(); a zip is bytes, sent as base64.
  function blob(text) {
    const bytes = new TextEncoder().encode(text);
    Object.defineProperty(bytes, 'transformToString', { value: () => text, enumerable: false });
    return bytes;
  }
  function bytesIn(value, asBase64) {
    if (!(value instanceof Uint8Array) && !(value instanceof ArrayBuffer)) return value;
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
    return asBase64 ? Buffer.from(bytes).toString('base64') : new TextDecoder().decode(bytes);
  }
  function lambdaBlobsIn(action, input) {
    if (!input || typeof input !== 'object') return input;
    if (action === 'Invoke' && input.Payload !== undefined) return Object.assign({}, input, { Payload: bytesIn(input.Payload, false) });
    if (action === 'UpdateFunctionCode' && input.ZipFile !== undefined) return Object.assign({}, input, { ZipFile: bytesIn(input.ZipFile, true) });
    if ((action === 'CreateFunction' || action === 'PublishLayerVersion') && input[action === 'CreateFunction' ? 'Code' : 'Content']) {
      const member = action === 'CreateFunction' ? 'Code' : 'Content';
      const code = input[member];
      if (code.ZipFile !== undefined) return Object.assign({}, input, { [member]: Object.assign({}, code, { ZipFile: bytesIn(code.ZipFile, true) }) });
    }
    return input;
  }

  function clientModule(moduleName, sdkId, short, actions) {
    return function (exports, require, module, call) {
      class Command {
        constructor(input) { this.input = input === undefined ? {} : input; }
        resolveMiddleware() { return () => Promise.reject(new Error('middleware is not simulated')); }
      }
      class Client {
        constructor(config) {
          this.config = Object.assign({ region: process.env.AWS_REGION }, config || {});
          this.middlewareStack = { add() {}, addRelativeTo() {}, use() {}, remove() { return false; } };
        }
        async send(command, options, cb) {
          if (!(command instanceof Command) && !(command && command.__labAction)) {
            throw new TypeError('The command is not a ' + short + 'Client command');
          }
          const action = command.constructor.__labAction || command.__labAction;
          const service = command.constructor.__labService || sdkId;
          const input = service === 'lambda' ? lambdaBlobsIn(action, command.input) : command.input;
          let output = await call(service, action, input);
          if (service === 'lambda' && action === 'Invoke' && typeof output.Payload === 'string') {
            output = Object.assign({}, output, { Payload: blob(output.Payload) });
          }
          if (typeof cb === 'function') cb(null, output);
          return output;
        }
        destroy() {}
      }
      Object.defineProperty(Client, 'name', { value: short + 'Client' });
      exports[short + 'Client'] = Client;
      exports[short + 'ServiceException'] = class extends ServiceException {};
      exports.ServiceException = ServiceException;
      // The aggregated client (`new DynamoDB({}).putItem(input)`), as the SDK also offers.
      class Aggregated extends Client {}
      Object.defineProperty(Aggregated, 'name', { value: short });
      exports[short] = Aggregated;
      for (const action of actions) {
        const C = class extends Command {};
        Object.defineProperty(C, 'name', { value: action + 'Command' });
        C.__labAction = action;
        exports[action + 'Command'] = C;
        Aggregated.prototype[action[0].toLowerCase() + action.slice(1)] = function (input, cb) {
          return this.send(new C(input), undefined, cb);
        };
      }
      exports.Command = Command;
      exports.__labCommand = Command;
    };
  }
  for (const name of Object.keys(SERVICES)) {
    const [sdkId, short, actions] = SERVICES[name];
    define(name, clientModule(name, sdkId, short, actions));
  }
  define('@aws-sdk/util-dynamodb', utilDynamoDb);
  define('@aws-sdk/lib-dynamodb', libDynamoDb);

  // ---- @aws-sdk/util-dynamodb: marshall and unmarshall ----
  function utilDynamoDb(exports) {
    class NumberValue {
      constructor(value) {
        if (typeof value === 'number') value = String(value);
        this.value = String(value).trim();
      }
      static from(value) { return value instanceof NumberValue ? value : new NumberValue(value); }
      toAttributeValue() { return { N: this.value }; }
      toBigInt() { return BigInt(this.value); }
      toString() { return this.value; }
      valueOf() { return this.value; }
    }
    const bytesToBase64 = (b) => { let s = ''; for (const x of b) s += String.fromCharCode(x); return btoaShim(s); };
    function convert(value, options, top) {
      if (value === null) return { NULL: true };
      if (value === undefined) {
        if (options.removeUndefinedValues) return undefined;
        throw new Error('Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.');
      }
      switch (typeof value) {
        case 'string':
          if (value.length === 0 && options.convertEmptyValues) return { NULL: true };
          return { S: value };
        case 'boolean': return { BOOL: value };
        case 'number':
          if (!Number.isFinite(value)) throw new Error('Special numeric value ' + value + ' is not allowed');
          if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
            throw new Error('Number ' + value + ' is greater than Number.MAX_SAFE_INTEGER. Use BigInt.');
          }
          return { N: String(value) };
        case 'bigint': return { N: value.toString() };
      }
      if (value instanceof NumberValue) return value.toAttributeValue();
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
        const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
        return { B: bytesToBase64(bytes) };
      }
      if (value instanceof Set) {
        const items = [...value].filter((v) => !(options.removeUndefinedValues && v === undefined));
        if (items.length === 0) {
          if (options.convertEmptyValues) return { NULL: true };
          throw new Error('Pass a non-empty set, or options.convertEmptyValues=true.');
        }
        const first = items[0];
        if (typeof first === 'number' || typeof first === 'bigint' || first instanceof NumberValue) {
          return { NS: items.map((v) => convert(v, options).N) };
        }
        if (typeof first === 'string') return { SS: items };
        if (first instanceof Uint8Array) return { BS: items.map((v) => bytesToBase64(v)) };
        throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
      }
      if (Array.isArray(value)) {
        const list = [];
        for (const v of value) {
          const c = convert(v, options);
          if (c !== undefined) list.push(c);
        }
        return { L: list };
      }
      if (value instanceof Map) {
        const m = {};
        for (const [k, v] of value) { const c = convert(v, options); if (c !== undefined) m[k] = c; }
        return { M: m };
      }
      if (typeof value === 'object') {
        if (!top && !options.convertClassInstanceToMap && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
          throw new Error('Unsupported type passed: ' + String(value) + '. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.');
        }
        const m = {};
        for (const k of Object.keys(value)) { const c = convert(value[k], options); if (c !== undefined) m[k] = c; }
        return { M: m };
      }
      throw new Error('Unsupported type passed: ' + String(value));
    }
    function marshall(data, options) {
      options = options || {};
      const av = convert(data, options, true);
      if (av && av.M !== undefined && typeof data === 'object' && !Array.isArray(data) && !(data instanceof Set) && !(data instanceof Uint8Array)) return av.M;
      if (av && av.L !== undefined && Array.isArray(data)) return av.L;
      return av;
    }
    function toNumber(text, options) {
      if (options.wrapNumbers) return typeof options.wrapNumbers === 'function' ? options.wrapNumbers(text) : NumberValue.from(text);
      const n = Number(text);
      if (Number.isFinite(n) && ((Number.isInteger(n) && Number.isSafeInteger(n)) || !Number.isInteger(n))) return n;
      if (Number.isInteger(n) || !Number.isFinite(n)) {
        try { if (text.indexOf('.') < 0) return BigInt(text); } catch (e) { /* fall through */ }
        throw new Error('Value ' + text + ' is outside Number range. Read about the wrapNumbers option.');
      }
      return n;
    }
    function unconvert(av, options) {
      const keys = Object.keys(av || {});
      if (keys.length !== 1) throw new Error('Unsupported type passed: ' + JSON.stringify(av));
      const [type] = keys;
      const v = av[type];
      switch (type) {
        case 'S': return v;
        case 'N': return toNumber(v, options);
        case 'BOOL': return Boolean(v);
        case 'NULL': return null;
        case 'B': return base64ToBytes(v);
        case 'SS': return new Set(v);
        case 'NS': return new Set(v.map((x) => toNumber(x, options)));
        case 'BS': return new Set(v.map(base64ToBytes));
        case 'L': return v.map((x) => unconvert(x, options));
        case 'M': { const o = {}; for (const k of Object.keys(v)) o[k] = unconvert(v[k], options); return o; }
      }
      throw new Error('Unsupported type passed: ' + type);
    }
    function unmarshall(data, options) {
      return unconvert({ M: data }, options || {});
    }
    exports.marshall = marshall;
    exports.unmarshall = unmarshall;
    exports.convertToAttr = (v, options) => convert(v, options || {}, false);
    exports.convertToNative = (av, options) => unconvert(av, options || {});
    exports.NumberValue = NumberValue;
  }

  // ---- @aws-sdk/lib-dynamodb: the document client ----
  function libDynamoDb(exports, require) {
    const util = require('@aws-sdk/util-dynamodb');
    const ddb = require('@aws-sdk/client-dynamodb');
    const item = (v, o) => (v === undefined ? undefined : util.marshall(v, o));
    const items = (v, o) => (v === undefined ? undefined : v.map((x) => util.marshall(x, o)));
    const values = (v, o) => (v === undefined ? undefined : util.marshall(v, o));
    const outItem = (v, o) => (v === undefined ? undefined : util.unmarshall(v, o));
    const outItems = (v, o) => (v === undefined ? undefined : v.map((x) => util.unmarshall(x, o)));
    const mapValues = (obj, f) => { if (obj === undefined) return undefined; const r = {}; for (const k of Object.keys(obj)) r[k] = f(obj[k]); return r; };
    const writeIn = (o, m) => mapValues(o, (list) => list.map((w) => ({
      PutRequest: w.PutRequest ? { Item: item(w.PutRequest.Item, m) } : undefined,
      DeleteRequest: w.DeleteRequest ? { Key: item(w.DeleteRequest.Key, m) } : undefined,
    })).map(stripUndefined));
    const writeOut = (o, u) => mapValues(o, (list) => list.map((w) => stripUndefined({
      PutRequest: w.PutRequest ? { Item: outItem(w.PutRequest.Item, u) } : undefined,
      DeleteRequest: w.DeleteRequest ? { Key: outItem(w.DeleteRequest.Key, u) } : undefined,
    })));
    const getIn = (o, m) => mapValues(o, (e) => Object.assign({}, e, { Keys: items(e.Keys, m) }));
    const getOut = (o, u) => mapValues(o, (e) => Object.assign({}, e, { Keys: outItems(e.Keys, u) }));
    function stripUndefined(o) { for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]; return o; }
    const condition = (x, m) => Object.assign({}, x, { ExpressionAttributeValues: values(x.ExpressionAttributeValues, m) });
    const COMMANDS = {
      Put: ['PutItem', (i, m) => Object.assign({}, condition(i, m), { Item: item(i.Item, m) }), (o, u) => Object.assign({}, o, { Attributes: outItem(o.Attributes, u) })],
      Get: ['GetItem', (i, m) => Object.assign({}, i, { Key: item(i.Key, m) }), (o, u) => Object.assign({}, o, { Item: outItem(o.Item, u) })],
      Delete: ['DeleteItem', (i, m) => Object.assign({}, condition(i, m), { Key: item(i.Key, m) }), (o, u) => Object.assign({}, o, { Attributes: outItem(o.Attributes, u) })],
      Update: ['UpdateItem', (i, m) => Object.assign({}, condition(i, m), { Key: item(i.Key, m) }), (o, u) => Object.assign({}, o, { Attributes: outItem(o.Attributes, u) })],
      Query: ['Query', (i, m) => Object.assign({}, condition(i, m), { ExclusiveStartKey: item(i.ExclusiveStartKey, m) }), (o, u) => Object.assign({}, o, { Items: outItems(o.Items, u), LastEvaluatedKey: outItem(o.LastEvaluatedKey, u) })],
      Scan: ['Scan', (i, m) => Object.assign({}, condition(i, m), { ExclusiveStartKey: item(i.ExclusiveStartKey, m) }), (o, u) => Object.assign({}, o, { Items: outItems(o.Items, u), LastEvaluatedKey: outItem(o.LastEvaluatedKey, u) })],
      BatchWrite: ['BatchWriteItem', (i, m) => Object.assign({}, i, { RequestItems: writeIn(i.RequestItems, m) }), (o, u) => Object.assign({}, o, { UnprocessedItems: writeOut(o.UnprocessedItems, u) })],
      BatchGet: ['BatchGetItem', (i, m) => Object.assign({}, i, { RequestItems: getIn(i.RequestItems, m) }), (o, u) => Object.assign({}, o, { Responses: mapValues(o.Responses, (l) => outItems(l, u)), UnprocessedKeys: getOut(o.UnprocessedKeys, u) })],
      TransactWrite: ['TransactWriteItems', (i, m) => Object.assign({}, i, { TransactItems: (i.TransactItems || []).map((t) => stripUndefined({
        Put: t.Put ? Object.assign({}, condition(t.Put, m), { Item: item(t.Put.Item, m) }) : undefined,
        Update: t.Update ? Object.assign({}, condition(t.Update, m), { Key: item(t.Update.Key, m) }) : undefined,
        Delete: t.Delete ? Object.assign({}, condition(t.Delete, m), { Key: item(t.Delete.Key, m) }) : undefined,
        ConditionCheck: t.ConditionCheck ? Object.assign({}, condition(t.ConditionCheck, m), { Key: item(t.ConditionCheck.Key, m) }) : undefined,
      })) }), (o) => o],
      TransactGet: ['TransactGetItems', (i, m) => Object.assign({}, i, { TransactItems: (i.TransactItems || []).map((t) => ({ Get: Object.assign({}, t.Get, { Key: item(t.Get.Key, m) }) })) }),
        (o, u) => Object.assign({}, o, { Responses: o.Responses && o.Responses.map((r) => Object.assign({}, r, { Item: outItem(r.Item, u) })) })],
    };
    class DynamoDBDocumentClient {
      constructor(client, translateConfig) {
        this.client = client;
        this.config = client.config;
        this.translateConfig = translateConfig || {};
      }
      static from(client, translateConfig) { return new DynamoDBDocumentClient(client, translateConfig); }
      async send(command, options, cb) {
        const t = command.constructor.__labDocument;
        if (!t) return this.client.send(command, options, cb);
        const [action, toWire, fromWire] = t;
        const m = this.translateConfig.marshallOptions || {};
        const u = this.translateConfig.unmarshallOptions || {};
        const Low = ddb[action + 'Command'];
        const out = await this.client.send(new Low(stripUndefined(toWire(command.input, m))));
        const result = stripUndefined(fromWire(out, u));
        if (typeof cb === 'function') cb(null, result);
        return result;
      }
      destroy() { this.client.destroy(); }
    }
    class DynamoDBDocument extends DynamoDBDocumentClient {
      static from(client, translateConfig) { return new DynamoDBDocument(client, translateConfig); }
    }
    exports.DynamoDBDocumentClient = DynamoDBDocumentClient;
    exports.DynamoDBDocument = DynamoDBDocument;
    for (const name of Object.keys(COMMANDS)) {
      const C = class { constructor(input) { this.input = input === undefined ? {} : input; } };
      Object.defineProperty(C, 'name', { value: name + 'Command' });
      C.__labDocument = COMMANDS[name];
      exports[name + 'Command'] = C;
      DynamoDBDocument.prototype[name[0].toLowerCase() + name.slice(1)] = function (input, cb) { return this.send(new C(input), undefined, cb); };
    }
    exports.NumberValue = util.NumberValue;
  }

  // base64 without Buffer (the runtime defines Buffer on top of these).
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function btoaShim(s) {
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      out += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4 || 0)] + (i + 1 < s.length ? B64[((b & 15) << 2) | (c >> 6 || 0)] : '=') + (i + 2 < s.length ? B64[c & 63] : '=');
    }
    return out;
  }
  function base64ToBytes(text) {
    const clean = String(text).replace(/[^A-Za-z0-9+/]/g, '');
    const out = [];
    for (let i = 0; i < clean.length; i += 4) {
      const n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12) | ((B64.indexOf(clean[i + 2]) & 63) << 6) | (B64.indexOf(clean[i + 3]) & 63);
      out.push((n >> 16) & 255);
      if (i + 2 < clean.length) out.push((n >> 8) & 255);
      if (i + 3 < clean.length) out.push(n & 255);
    }
    return new Uint8Array(out);
  }
})
