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
  if (key === undefined && scope !== "global") {
    // One argument: every variable of the namespace (documented for user and conversation).
    return bucket ? __sim.copy(bucket) : null;
  }
  if (!bucket || !(key in bucket)) { return null; }
  return bucket[key];
};

__sim.ctxDeleteAll = function (scope, namespace) {
  var bucket = __sim.ctxScope(scope, namespace);
  if (!bucket) { return false; }
  Object.keys(bucket).sort().forEach(function (key) { __sim.ctxDelete(scope, namespace, key); });
  return true;
};

__sim.copy = function (value) {
  if (value === null || value === undefined) { return null; }
  return JSON.parse(JSON.stringify(value));
};

// The object getUserLocation() returns: getters over the preset location.
__sim.Location = function (where) { this.where = where; };
__sim.Location.prototype = {
  getLatitude: function () { return this.where.lat; },
  getLongitude: function () { return this.where.lng; },
  getCityName: function () { return this.where.city === undefined ? null : this.where.city; },
  getCity: function () { return this.getCityName(); },
  getState: function () { return this.where.state === undefined ? null : this.where.state; },
  getZipCode: function () { return this.where.zip === undefined ? null : this.where.zip; },
  getCountry: function () { return this.where.country === undefined ? null : this.where.country; },
  toString: function () { return this.where.lat + "," + this.where.lng; }
};

// Quick replies as the docs write them: "Title~payload" (payload optional), or objects.
__sim.replies = function (replies) {
  var out = [];
  if (replies === null || replies === undefined) { return out; }
  if (!Array.isArray(replies)) { replies = [replies]; }
  for (var i = 0; i < replies.length; i++) {
    var r = replies[i];
    if (r !== null && typeof r === "object") {
      var title = __sim.asText(r.title);
      out.push({ title: title, payload: r.payload === undefined ? title : __sim.asText(r.payload) });
      continue;
    }
    var text = __sim.asText(r);
    var cut = text.indexOf("~");
    out.push(cut < 0 ? { title: text, payload: text }
                     : { title: text.slice(0, cut), payload: text.slice(cut + 1) });
  }
  return out;
};

// evaluateOptions: an answer matches an option by its whole text, its label ("A", "A)"), the
// text after the label, or its position ("1" is the first option). The option comes back as
// given; no match gives null.
__sim.evaluate = function (userResponse, options) {
  var answer = __sim.asText(userResponse).trim().toLowerCase().replace(/[).:\s]+$/, "");
  if (!answer || !options) { return null; }
  for (var i = 0; i < options.length; i++) {
    var option = __sim.asText(options[i]);
    var clean = option.trim().toLowerCase();
    var m = /^([a-z0-9]{1,3})\s*[).:\-]\s*(.*)$/.exec(clean);
    if (answer === clean || answer === String(i + 1)) { return options[i]; }
    if (m && (answer === m[1] || answer === m[2].trim())) { return options[i]; }
  }
  return null;
};

// getHoursType: the last entry of the spec whose day (any, a weekday name or MM.DD.YYYY) and
// time window (start inclusive, end exclusive; 23:59 ends with the day; a window may wrap past
// midnight) hold the virtual clock's time in the given time zone; null when none does.
__sim.hoursType = function (hoursSpec, zoneId) {
  var parts = {};
  new Intl.DateTimeFormat("en-US", {
    timeZone: String(zoneId), hourCycle: "h23", weekday: "long", year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
  }).formatToParts(new Date(__sim.state.now)).forEach(function (p) { parts[p.type] = p.value; });
  var minute = Number(parts.hour) * 60 + Number(parts.minute);
  var weekday = parts.weekday.toUpperCase();
  var date = parts.month + "." + parts.day + "." + parts.year;
  function minutes(text) {
    var hm = String(text).trim().split(":");
    return Number(hm[0]) * 60 + Number(hm[1] || 0);
  }
  var found = null;
  for (var i = 0; i < hoursSpec.length; i++) {
    var entry = String(hoursSpec[i]);
    var day = null;
    var bar = entry.indexOf("|");
    if (bar >= 0) { day = entry.slice(0, bar).trim().toUpperCase(); entry = entry.slice(bar + 1); }
    var fields = entry.split("~");
    if (fields.length !== 3) {
      throw new Error("getHoursType: \"" + hoursSpec[i] + "\" is not TYPE~H:MM~H:MM");
    }
    if (day !== null && day !== weekday && day !== date) { continue; }
    var start = minutes(fields[1]);
    var end = minutes(fields[2]);
    if (end === 23 * 60 + 59) { end = 24 * 60; }
    var inside = start <= end ? (minute >= start && minute < end)
                              : (minute >= start || minute < end);
    if (inside) { found = fields[0].trim(); }
  }
  return found;
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
  getUserChannel: function () { return __sim.state.userChannel; },
  getChannel: function () { return __sim.state.userChannel; },
  getLPEngagementAttribute: function (name) {
    name = String(name);
    var preset = __sim.state.engagement;
    if (name === "rtSesssionId") { name = "rtSessionId"; }
    if (name in preset) { return preset[name]; }
    if (name === "currentSkillId") { return __sim.state.currentSkillId; }
    if (name === "previousSkillId") { return __sim.state.previousSkillId; }
    if (name === "startTs") { return __sim.state.startTs; }
    if (name === "brandId") { return __sim.state.accountId; }
    if (__sim.state.engagementNames.indexOf(name) < 0) {
      __sim.record({ op: "unknown_attribute", name: name });
    }
    return null;
  },
  getLPAccountId: function () { return __sim.state.accountId; },
  getUserPlatformId: function () { return __sim.state.consumerId; },
  getUserPlatformType: function () { return __sim.state.platformType; },
  getLPCustomerInfo: function () { return __sim.copy(__sim.state.customerInfo); },
  getLPUserPersonalInfo: function () { return __sim.copy(__sim.state.personalInfo); },
  getUserLocation: function () {
    var where = __sim.state.location;
    return where ? new __sim.Location(where) : null;
  },
  getWebViewVariable: function (name) {
    var vars = __sim.state.webView;
    return (name in vars) ? vars[name] : null;
  },
  getWebViewVariables: function () { return __sim.copy(__sim.state.webView); },
  getSentiment: function () { return __sim.state.sentiment; },
  getUserName: function () { return __sim.state.userName; },
  setUserName: function (name) {
    __sim.state.userName = __sim.asText(name);
    __sim.record({ op: "identity", field: "name", value: __sim.state.userName });
  },
  getEmail: function () { return __sim.state.email; },
  setEmail: function (address) {
    __sim.state.email = __sim.asText(address);
    __sim.record({ op: "identity", field: "email", value: __sim.state.email });
  },
  getChatBotId: function () { return __sim.state.botId; },
  getQuickReplyPayload: function () { return __sim.state.payload; },
  getButtonPayload: function () { return __sim.state.payload; },
  isApiExecutionSuccessful: function () { return __sim.state.apiStatus.successful; },
  getApiStatusCode: function () { return __sim.state.apiStatus.code; },
  evaluateOptions: function (userResponse, options) { return __sim.evaluate(userResponse, options); },
  getHoursType: function (hoursSpec, zoneId) { return __sim.hoursType(hoursSpec, zoneId); },
  logCustomEvent: function (userMessage, eventName, eventDetail) {
    __sim.record({ op: "custom_event", message: __sim.asText(userMessage),
                   name: __sim.asText(eventName), detail: __sim.asText(eventDetail) });
  },
  logEscalationEvent: function (userMessage, escalationType) {
    __sim.record({ op: "escalation_event", message: __sim.asText(userMessage),
                   type: __sim.asText(escalationType) });
  },
  sendMessageWithQuickReplies: function (text, replies) {
    __sim.record({ op: "send_qr", text: __sim.asText(text), replies: __sim.replies(replies) });
  },
  addQuickReplies: function (replies) {
    __sim.record({ op: "add_qr", replies: __sim.replies(replies), name: "addQuickReplies" });
  },
  addQuickReples: function (replies) {
    __sim.record({ op: "add_qr", replies: __sim.replies(replies), name: "addQuickReples" });
  },
  setAllowMaxTextResponse: function (value) {
    __sim.record({ op: "max_text", value: !!value });
  },
  isContextApiEnabled: function () { return __sim.state.contextEnabled; },
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
  setBotTransferDomainName: function (domain) {
    __sim.record({ op: "transfer", domain: String(domain) });
  },
  setBotTransferIntentName: function (intent) {
    __sim.record({ op: "transfer", intent: String(intent) });
  },
  setBotTransferIntentID: function (intentId) {
    __sim.record({ op: "transfer", intent_id: String(intentId) });
  },
  registerContextNamespace: function (namespace, ttlSeconds) {
    namespace = String(namespace);
    __sim.record({ op: "ctx_register", namespace: namespace,
                   // NaN and Infinity would cross as null ("no TTL"): send them as text.
                   ttl: (ttlSeconds === undefined || ttlSeconds === null) ? null
                        : (isFinite(Number(ttlSeconds)) ? Number(ttlSeconds) : String(ttlSeconds)) });
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
  deleteGlobalContextData: function (ns, key) { return __sim.ctxDelete("global", ns, key); },
  deleteAllContextDataForUser: function (ns) { return __sim.ctxDeleteAll("consumer", ns); },
  deleteAllContextDataForConversation: function (ns) {
    return __sim.ctxDeleteAll("conversation", ns);
  }
};

// Documented functions the simulator does not model: calling one is an error naming it (and
// why), never a silent null. The Python side (context_api.py) lists the same names.
__sim.notModelled = {
  askMaven: "Conversation Orchestrator's next actions are not part of the fake cloud",
  getNamedEntities: "the simulator's NLU has intents only, no entities",
  getNlpResponse: "the LivePerson (Legacy) NLU's parse (nouns, verbs, phrases) is not modelled",
  getDisambiguatedIntentName: "disambiguation interactions are not modelled",
  getDisambiguatedIntentId: "disambiguation interactions are not modelled",
  getMetadata: "consumer messages carry no conversation metadata in the simulator",
  getFileCaption: "file upload integrations are not modelled",
  getFileType: "file upload integrations are not modelled"
};
Object.keys(__sim.notModelled).forEach(function (name) {
  __sim.impl[name] = function () {
    __sim.record({ op: "not_modelled", name: name, why: __sim.notModelled[name] });
    throw new Error("botContext." + name + " is not modelled by the simulator");
  };
});

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
  // Not cleared here: V8 runs the microtasks this code queued (Promise callbacks, the rest of
  // async functions after an await) right after this call returns; __sim.settle collects
  // what they record, so their messages belong to the same interaction instead of vanishing.
  __sim.effects = [];
  return out;
};

// Called by Python right after __sim.run: the effects recorded by the microtasks that ran in
// between (Promise.then, await continuations), in the order they ran.
__sim.settle = function () {
  var out;
  try {
    out = JSON.stringify({ effects: __sim.effects });
  } catch (e) {
    out = JSON.stringify({ effects: [] });
  }
  __sim.effects = [];
  return out;
};

// Timers: V8 (mini-racer) would fire them on the real clock, between interactions, where
// whatever they send is lost and the run is no longer repeatable. Bot code runs to completion
// within its interaction, so a timer is a loud error in the transcript instead.
(function () {
  function unsupported(name) {
    return function () {
      throw new Error(name + " is not supported: bot code runs once per interaction and its" +
        " timers would never fire; send the message directly (botContext.sendMessage) or set" +
        " a delay with botContext.setMessageDelay");
    };
  }
  globalThis.setTimeout = unsupported("setTimeout");
  globalThis.setInterval = unsupported("setInterval");
  globalThis.setImmediate = unsupported("setImmediate");
  globalThis.clearTimeout = function () {};
  globalThis.clearInterval = function () {};
})();
