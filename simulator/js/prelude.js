// The simulator's side of bot JavaScript: a fake botContext and a clock that follows the
// virtual time. JavaScript cannot call into Python here, so every botContext call that changes
// something is recorded in __sim.effects and applied by Python, in order, after the run; reads
// are answered from __sim.state, which Python fills in before each run.
var __sim = { state: {}, effects: [], objects: {} };

(function () {
  var RealDate = Date;
  function SimDate() {
    if (!(this instanceof SimDate)) {
      return new RealDate(__sim.state.now).toString();
    }
    if (arguments.length === 0) {
      return new RealDate(__sim.state.now);
    }
    var args = [null].concat(Array.prototype.slice.call(arguments));
    return new (Function.prototype.bind.apply(RealDate, args))();
  }
  SimDate.prototype = RealDate.prototype;
  SimDate.now = function () { return __sim.state.now; };
  SimDate.UTC = RealDate.UTC;
  SimDate.parse = RealDate.parse;
  Date = SimDate;
})();

__sim.record = function (effect) { __sim.effects.push(effect); };

__sim.asText = function (value) {
  if (value === null || value === undefined) { return ""; }
  if (typeof value === "string") { return value; }
  if (value instanceof Date) { return value.toISOString(); }
  if (typeof value === "object") {
    try { return JSON.stringify(value); } catch (e) { return String(value); }
  }
  return String(value);
};

__sim.plain = function (value) {
  if (value === undefined) { return null; }
  try { return JSON.parse(JSON.stringify(value)); } catch (e) { return String(value); }
};

__sim.ctxScope = function (scope, namespace) {
  var ns = __sim.state.context[namespace];
  if (!ns) { return null; }
  if (!ns[scope]) { ns[scope] = {}; }
  return ns[scope];
};

__sim.ctxGet = function (scope, namespace, key) {
  var bucket = __sim.ctxScope(scope, namespace);
  if (!bucket || !(key in bucket)) { return null; }
  return bucket[key];
};

__sim.ctxSet = function (scope, namespace, key, value) {
  __sim.record({ op: "ctx_set", scope: scope, namespace: String(namespace), key: String(key),
                 value: __sim.plain(value) });
  var bucket = __sim.ctxScope(scope, namespace);
  if (!bucket) { return false; }
  bucket[key] = __sim.plain(value);
  return true;
};

__sim.ctxDelete = function (scope, namespace, key) {
  __sim.record({ op: "ctx_delete", scope: scope, namespace: String(namespace), key: String(key) });
  var bucket = __sim.ctxScope(scope, namespace);
  if (!bucket) { return false; }
  delete bucket[key];
  return true;
};

__sim.impl = {
  getBotVariable: function (name) {
    var s = __sim.state;
    if (name in s.vars) {
      var cached = __sim.objects[name];
      if (cached && cached.text === s.vars[name]) { return cached.value; }
      return s.vars[name];
    }
    if (typeof name === "string" && name.indexOf("api_") === 0 && name.slice(4) in s.api) {
      var wrapped = {};
      wrapped[name] = s.api[name.slice(4)];
      return { jsonData: JSON.stringify(wrapped) };
    }
    return null;
  },
  setBotVariable: function (name, value, persistForSession, persistForConversation) {
    name = String(name);
    if (name.indexOf("api_") === 0 && value && typeof value === "object" &&
        typeof value.jsonData === "string") {
      var parsed = JSON.parse(value.jsonData);
      var result = (parsed && typeof parsed === "object" && name in parsed) ? parsed[name] : parsed;
      __sim.state.api[name.slice(4)] = result;
      __sim.record({ op: "api", name: name.slice(4), value: result });
      return;
    }
    var text = __sim.asText(value);
    if (typeof value === "string" || value === null || value === undefined) {
      delete __sim.objects[name];
    } else {
      __sim.objects[name] = { text: text, value: value };
    }
    __sim.state.vars[name] = text;
    __sim.record({ op: "set", name: name, value: text });
  },
  getCurrentUserMessage: function () { return __sim.state.userMessage; },
  getDialogStarterIntent: function () { return __sim.state.intent; },
  setTriggerNextMessage: function (name) { __sim.record({ op: "trigger", name: String(name) }); },
  sendMessage: function (text) { __sim.record({ op: "send", text: __sim.asText(text) }); },
  sendMessages: function (texts) {
    for (var i = 0; i < texts.length; i++) {
      __sim.record({ op: "send", text: __sim.asText(texts[i]) });
    }
  },
  sendImmediateReply: function (text) { __sim.record({ op: "send", text: __sim.asText(text) }); },
  setMessageDelay: function (ms) { __sim.record({ op: "delay", ms: Number(ms) }); },
  getEnvVariable: function (name) {
    return (name in __sim.state.env) ? __sim.state.env[name] : null;
  },
  getConversationId: function () { return __sim.state.conversationId; },
  getUserChannel: function () { return __sim.state.channel; },
  getLPEngagementAttribute: function (name) {
    if (name === "currentSkillId") { return __sim.state.currentSkillId; }
    if (name === "previousSkillId") { return __sim.state.previousSkillId; }
    return null;
  },
  getLPAccountId: function () { return __sim.state.accountId; },
  getUserPlatformId: function () { return __sim.state.consumerId; },
  getLPCustomerInfo: function () {
    return { customerId: __sim.state.consumerId, customerType: null, balance: null,
             accountName: null, companyBranch: null };
  },
  printDebugMessage: function (text) { __sim.record({ op: "debug", text: __sim.asText(text) }); },
  setBotTransferIntentbyDomain: function (intent, domain) {
    __sim.record({ op: "transfer", intent: String(intent), domain: String(domain) });
  },
  setBotTransferIntentId: function (intentId) {
    __sim.record({ op: "transfer", intent_id: String(intentId) });
  },
  setBotTransferUserMessage: function (message) {
    __sim.record({ op: "transfer", message: __sim.asText(message) });
  },
  registerContextNamespace: function (namespace, ttlSeconds) {
    namespace = String(namespace);
    __sim.record({ op: "ctx_register", namespace: namespace,
                   ttl: (ttlSeconds === undefined || ttlSeconds === null) ? null : Number(ttlSeconds) });
    if (!__sim.state.context[namespace]) { __sim.state.context[namespace] = {}; }
    return true;
  },
  deleteContextNamespace: function (namespace) {
    __sim.record({ op: "ctx_delete_namespace", namespace: String(namespace) });
    delete __sim.state.context[namespace];
    return true;
  },
  setContextDataForConversation: function (ns, key, value) {
    return __sim.ctxSet("conversation", ns, key, value);
  },
  getContextDataForConversation: function (ns, key) { return __sim.ctxGet("conversation", ns, key); },
  deleteContextDataForConversation: function (ns, key) {
    return __sim.ctxDelete("conversation", ns, key);
  },
  setContextDataForUser: function (ns, key, value) { return __sim.ctxSet("consumer", ns, key, value); },
  getContextDataForUser: function (ns, key) { return __sim.ctxGet("consumer", ns, key); },
  deleteContextDataForUser: function (ns, key) { return __sim.ctxDelete("consumer", ns, key); },
  setGlobalContextData: function (ns, key, value) { return __sim.ctxSet("global", ns, key, value); },
  getGlobalContextData: function (ns, key) { return __sim.ctxGet("global", ns, key); },
  deleteGlobalContextData: function (ns, key) { return __sim.ctxDelete("global", ns, key); }
};

var botContext = new Proxy(__sim.impl, {
  get: function (target, prop) {
    if (typeof prop !== "string" || prop in target) { return target[prop]; }
    if (prop === "toJSON" || prop === "then") { return undefined; }
    __sim.record({ op: "unsupported", name: prop });
    throw new Error("botContext." + prop + " is not implemented by the simulator");
  }
});

__sim.run = function (code, state, mode) {
  __sim.state = state;
  __sim.effects = [];
  var error = null;
  try {
    if (mode === "global") {
      (0, eval)(code);
      if (typeof __initConversation === "function") { __initConversation(); }
    } else {
      (new Function(code))();
    }
  } catch (e) {
    error = {
      name: (e && e.name) ? String(e.name) : "Error",
      message: (e && e.message !== undefined) ? String(e.message) : String(e)
    };
  }
  var out;
  try {
    out = JSON.stringify({ effects: __sim.effects, error: error });
  } catch (e) {
    out = JSON.stringify({ effects: [], error: { name: "Error", message: "effects are not JSON: " + e } });
  }
  __sim.effects = [];
  return out;
};
