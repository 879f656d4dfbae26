/**
 * Routes: a logged path → the API's route template (`/prod/orders/123` → `/prod/orders/{id}`). The
 * templates come from the configuration (aws_api_gateway_resource path_part chains, or the OpenAPI
 * `body` of aws_api_gateway_rest_api); without them, ID-like segments are collapsed.
 */
import type { Model, ModelResource } from "../model";

export interface Route {
  /** What the pattern shows and the exception matches: the logged prefix (a stage) plus the template. */
  path: string;
  /** The API defines this route (it came from the configuration, not from collapsing IDs). */
  defined: boolean;
}

interface Template {
  text: string;
  /** A literal segment, `null` for `{param}`, `"+"` for a greedy `{proxy+}`. */
  segments: Array<string | null>;
  literals: number;
}

export class RouteTable {
  private readonly templates: Template[];

  constructor(templates: Iterable<string>) {
    const unique = new Set([...templates].map(normalizeTemplate).filter((t) => t !== "/"));
    // Most specific first: more literal segments win over parameters (`/orders/export` over `/orders/{id}`).
    this.templates = [...unique]
      .map(toTemplate)
      .sort((a, b) => b.literals - a.literals || b.segments.length - a.segments.length || a.text.localeCompare(b.text));
  }

  get size(): number {
    return this.templates.length;
  }

  /** The route of a logged URI path: a template when one matches (also below a stage prefix), else the path with IDs collapsed. */
  routeOf(uri: string): Route {
    const segments = splitPath(uri);
    for (let skip = 0; skip <= Math.min(1, segments.length); skip++) {
      const rest = segments.slice(skip);
      for (const t of this.templates) {
        if (matches(t.segments, rest)) {
          const prefix = segments.slice(0, skip).map((s) => `/${s}`).join("");
          return { path: `${prefix}${t.text}`, defined: true };
        }
      }
    }
    return { path: collapseIds(segments), defined: false };
  }
}

/** Templates of every REST API in the Model: resources' path_part chains, and OpenAPI bodies. */
export function routeTemplates(model: Model): string[] {
  const byAddress = new Map(model.resources.map((r) => [r.address, r]));
  const out: string[] = [];
  for (const r of model.resources) {
    if (r.type === "aws_api_gateway_resource") {
      const path = resourcePath(r, model, byAddress);
      if (path) out.push(path);
    } else if (r.type === "aws_api_gateway_rest_api" && typeof r.values.body === "string") {
      out.push(...openApiPaths(r.values.body));
    }
  }
  return out;
}

/** `/orders/{id}` from a resource: its known `path`, or its path_part after its parents' (parent_id edges). */
function resourcePath(r: ModelResource, model: Model, byAddress: Map<string, ModelResource>, depth = 0): string | null {
  if (typeof r.values.path === "string" && r.values.path.startsWith("/")) return r.values.path;
  const part = r.values.path_part;
  if (typeof part !== "string" || depth > 32) return null;
  const parentEdge = model.edges_out[r.address]?.parent_id?.[0];
  const parent = parentEdge ? byAddress.get(parentEdge.to) : undefined;
  if (!parent || parent.type === "aws_api_gateway_rest_api") return `/${part}`; // the root resource
  const above = resourcePath(parent, model, byAddress, depth + 1);
  return above === null ? null : `${above === "/" ? "" : above}/${part}`;
}

function openApiPaths(body: string): string[] {
  let doc: unknown;
  try {
    doc = body.trimStart().startsWith("{") ? JSON.parse(body) : parseYaml(body);
  } catch {
    return []; // not an OpenAPI document we can read: fall back to collapsing IDs
  }
  const paths = (doc as { paths?: unknown } | null)?.paths;
  return paths && typeof paths === "object" ? Object.keys(paths).filter((p) => p.startsWith("/")) : [];
}

/** yaml is loaded only for a YAML OpenAPI body: it is the largest part of wafguard's start-up. */
function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("yaml") as typeof import("yaml")).parse(text);
}

function normalizeTemplate(t: string): string {
  const trimmed = t.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

function toTemplate(text: string): Template {
  const segments = splitPath(text).map((s) => (/^\{[^}]+\+\}$/.test(s) ? "+" : /^\{[^}]+\}$/.test(s) ? null : s));
  return { text, segments, literals: segments.filter((s) => s !== null && s !== "+").length };
}

function splitPath(path: string): string[] {
  return path.split("?")[0].split("/").filter((s) => s !== "");
}

function matches(template: Array<string | null>, segments: string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    if (t === "+") return segments.length > i; // greedy: one or more segments
    if (i >= segments.length) return false;
    if (t !== null && t !== segments[i]) return false;
  }
  return template.length === segments.length;
}

const ID_LIKE = [
  /^\d+$/, // 12345
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUID
  /^[0-9a-f]{16,}$/i, // long hex (hashes, object IDs)
  /^[A-Za-z0-9_-]{20,}$/, // long opaque tokens (ULIDs, base64url IDs) with a digit
];

/** The literal path with ID-like segments replaced by `{id}`. */
export function collapseIds(segments: string[]): string {
  if (segments.length === 0) return "/";
  return segments.map((s) => (ID_LIKE.some((re, i) => re.test(s) && (i < 3 || /\d/.test(s))) ? "/{id}" : `/${s}`)).join("");
}

/** The uri_path regex of a route: `{name}` is one path segment, `{name+}` one or more. */
export function routeRegex(path: string): string {
  const parts = splitPath(path).map((s) => (/^\{[^}]+\+\}$/.test(s) ? ".+" : /^\{[^}]+\}$/.test(s) ? "[^/]+" : escapeRegex(s)));
  return parts.length === 0 ? "^/$" : `^/${parts.join("/")}$`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
