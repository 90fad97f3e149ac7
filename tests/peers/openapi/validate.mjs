// Validates recorded answers of the gateway's API against its OpenAPI document (api/openapi.json):
// each answer's status must be documented for its operation, its body must match that status's
// schema (JSON Schema 2020-12, by Ajv with ajv-formats), and the headers the document names for
// it (WWW-Authenticate, Retry-After, Allow, Set-Cookie) must be there.
//
//   node validate.mjs OPENAPI.json FOLDER [--all]
//
// FOLDER holds *.json files, each one recorded answer or an array of them:
//   {"method": "GET", "path": "/api/v1/messages?limit=2", "status": 200,
//    "headers": {"content-type": "application/json; charset=utf-8", ...},   (optional)
//    "body": "the answer's text, as received"}
// A path is matched without its query and without the document's server prefix (/api/v1). A
// method the path does not document must have been answered 405 with the path's methods in Allow.
// --all: also fail when an operation of the document has no recorded answer with a 2xx status.
//
// Prints every failure (the request, the status, where in the body, the schema's complaint) and a
// last line "N answers, M failures"; exits 1 on any failure, 2 when it cannot run.
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function die(message) {
  console.error(`validate.mjs: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const requireAll = args.includes("--all");
const [docPath, folder] = args.filter((a) => a !== "--all");
if (!docPath || !folder) die("usage: node validate.mjs OPENAPI.json FOLDER [--all]");

let doc;
try {
  doc = JSON.parse(fs.readFileSync(docPath, "utf8"));
} catch (e) {
  die(`cannot read the document ${docPath}: ${e.message}`);
}
if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) die(`${docPath} is not an OpenAPI 3 document`);

const DOC_ID = "https://kharuul.invalid/api/v1/openapi.json";
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
// The document's own keywords, outside or beside its schemas: annotations for Ajv.
ajv.addVocabulary(["openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "paths", "components",
  "webhooks", "externalDocs", "example", "discriminator", "xml"]);
ajv.addSchema({ ...doc, $id: DOC_ID });

function pointer(parts) {
  return "#/" + parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

// Follows a local $ref ("#/components/responses/X"): the object and its pointer's parts.
function deref(node, parts) {
  const seen = new Set();
  while (node && typeof node.$ref === "string") {
    if (!node.$ref.startsWith("#/") || seen.has(node.$ref)) throw new Error(`cannot follow $ref ${node.$ref}`);
    seen.add(node.$ref);
    parts = node.$ref.slice(2).split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    node = parts.reduce((n, p) => (n === undefined ? undefined : n[p]), doc);
    if (node === undefined) throw new Error(`$ref ${seen.values().next().value} points at nothing`);
  }
  return { node, parts };
}

const validators = new Map();
function validatorAt(parts) {
  const ref = pointer(parts);
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: DOC_ID + ref }));
  return validators.get(ref);
}

// Every schema of the document compiles (strict: an unknown keyword or a $ref to nothing fails).
const failures = [];
try {
  for (const name of Object.keys(doc.components?.schemas ?? {})) validatorAt(["components", "schemas", name]);
} catch (e) {
  die(`the document's schemas do not compile: ${e.message}`);
}

const base = new URL(doc.servers?.[0]?.url ?? "/", "http://x").pathname.replace(/\/$/, "");
const templates = Object.keys(doc.paths ?? {}).map((t) => ({
  template: t,
  literal: !t.includes("{"),
  re: new RegExp("^" + t.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+") + "$"),
}));

function findPath(requestPath) {
  let p = requestPath.split("?")[0];
  if (base && (p === base || p.startsWith(base + "/"))) p = p.slice(base.length) || "/";
  else if (base) return null;
  return templates.find((t) => t.literal && t.template === p) ?? templates.find((t) => t.re.test(p)) ?? null;
}

function header(rec, name) {
  if (!rec.headers) return undefined;
  for (const [k, v] of Object.entries(rec.headers)) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

function formatErrors(errors) {
  return errors.map((e) => `${e.instancePath || "(the body)"}: ${e.message}` +
    (e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : "") + ` [${e.schemaPath}]`);
}

const exercised = new Set();

function checkResponse(rec, what, response, parts) {
  const problems = [];
  ({ node: response, parts } = deref(response, parts));
  for (const [name, h] of Object.entries(response.headers ?? {})) {
    if (!rec.headers) break;
    const value = header(rec, name);
    if (value === undefined) {
      problems.push(`header ${name} is missing`);
      continue;
    }
    if (h.schema) {
      const { parts: hp } = deref(h, [...parts, "headers", name]);
      const v = validatorAt([...hp, "schema"]);
      if (!v(value)) problems.push(...formatErrors(v.errors).map((m) => `header ${name} ${m}`));
    }
  }
  const body = rec.body ?? "";
  const content = response.content;
  if (!content) {
    if (typeof body === "string" ? body.length > 0 : body !== null) problems.push("a body where the document says none");
    return problems;
  }
  const type = (header(rec, "content-type") ?? "application/json").split(";")[0].trim().toLowerCase();
  if (!content[type]) {
    problems.push(`content type ${type} is not documented (${Object.keys(content).join(", ")})`);
    return problems;
  }
  let value = body;
  if (type === "application/json" && typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch (e) {
      problems.push(`the body is not JSON: ${e.message}`);
      return problems;
    }
  }
  if (content[type].schema) {
    const v = validatorAt([...parts, "content", type, "schema"]);
    if (!v(value)) problems.push(...formatErrors(v.errors));
  }
  return problems;
}

function check(rec, file) {
  const method = String(rec.method ?? "").toLowerCase();
  const status = String(rec.status);
  const what = `${String(rec.method).toUpperCase()} ${rec.path} -> ${status} (${file})`;
  if (!METHODS.includes(method) || typeof rec.path !== "string" || !/^[1-5][0-9][0-9]$/.test(status)) {
    failures.push(`${what}: not a recorded answer (method, path, status)`);
    return;
  }
  const found = findPath(rec.path);
  if (!found) {
    failures.push(`${what}: the path is not in the document`);
    return;
  }
  const item = doc.paths[found.template];
  const operation = item[method];
  let problems;
  if (!operation) {
    const allowed = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (status !== "405") {
      failures.push(`${what}: ${method.toUpperCase()} ${found.template} is not in the document (${allowed.join(", ")}), and the answer is not 405`);
      return;
    }
    problems = checkResponse(rec, what, { $ref: "#/components/responses/MethodNotAllowed" }, []);
    const allow = header(rec, "allow");
    if (allow !== undefined) {
      const listed = allow.split(",").map((m) => m.trim().toUpperCase()).filter(Boolean);
      for (const m of allowed) if (!listed.includes(m)) problems.push(`Allow "${allow}" does not name ${m}`);
    }
  } else {
    const responses = operation.responses ?? {};
    const key = [status, `${status[0]}XX`, "default"].find((k) => responses[k]);
    if (!key) {
      failures.push(`${what}: status ${status} is not documented for ${method.toUpperCase()} ${found.template} (${Object.keys(responses).join(", ")})`);
      return;
    }
    if (status.startsWith("2")) exercised.add(`${method.toUpperCase()} ${found.template}`);
    problems = checkResponse(rec, what, responses[key], ["paths", found.template, method, "responses", key]);
  }
  for (const p of problems) failures.push(`${what}: ${p}`);
}

let count = 0;
let files;
try {
  files = fs.readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
} catch (e) {
  die(`cannot read the folder ${folder}: ${e.message}`);
}
for (const file of files) {
  let recs;
  try {
    recs = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8"));
  } catch (e) {
    failures.push(`${file}: not JSON: ${e.message}`);
    continue;
  }
  for (const rec of Array.isArray(recs) ? recs : [recs]) {
    ++count;
    try {
      check(rec, file);
    } catch (e) {
      failures.push(`${rec?.method} ${rec?.path} (${file}): ${e.message}`);
    }
  }
}

const missing = [];
for (const [template, item] of Object.entries(doc.paths ?? {}))
  for (const m of METHODS)
    if (item[m] && !exercised.has(`${m.toUpperCase()} ${template}`)) missing.push(`${m.toUpperCase()} ${template}`);
if (missing.length) {
  const line = `operations with no 2xx answer recorded: ${missing.join(", ")}`;
  if (requireAll) failures.push(line);
  else console.log(line);
}
if (count === 0) failures.push(`no recorded answers in ${folder}`);
for (const f of failures) console.log(f);
console.log(`${count} answers, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
