/**
 * Plans too large to read as one string (V8 caps strings near 512 MB) are streamed with stream-json:
 * each element of a `resource_changes` or `resources` array is assembled on its own and kept only if
 * its type is one the rules read, so memory holds the few relevant resources, not the plan. The result
 * is the same document JSON.parse would give, minus the resources no rule reads.
 */
import { createReadStream } from "node:fs";
import { InputError } from "../errors";

type Json = Record<string, unknown>;

interface Token {
  name: string;
  value?: unknown;
}

interface AssemblerLike {
  consume(token: Token): void;
  current: unknown;
  done: boolean;
}

/** Arrays whose elements are resources (plan, state and configuration alike). */
const RESOURCE_ARRAYS = new Set(["resource_changes", "resources", "resource_drift"]);

export async function streamPlanDocument(path: string, keepTypes: ReadonlySet<string>): Promise<{ doc: unknown; resourceChanges: number }> {
  // stream-json is an ES module: Node 20.19+ loads it with require(); only large plans need it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const parser = require("stream-json/parser.js").default as { asStream(options: object): NodeJS.ReadWriteStream };
  const Assembler = require("stream-json/assembler.js").default as new () => AssemblerLike;
  /* eslint-enable @typescript-eslint/no-require-imports */

  const main = new Assembler();
  const frames: Array<{ array: boolean; key: string | null }> = [];
  let pendingKey: string | null = null;
  let element: AssemblerLike | null = null;
  let elementArray: unknown[] | null = null;
  let elementInChanges = false;
  let resourceChanges = 0;

  const source = createReadStream(path);
  let readToEnd = false;
  source.on("end", () => (readToEnd = true));
  const tokens = source.pipe(parser.asStream({ packValues: true, streamValues: false }));
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (element) {
        element.consume(token);
        if (element.done) {
          const value = element.current as Json | null;
          if (elementInChanges) resourceChanges++;
          // Keep resources of the types rules read, and anything that is not a resource object.
          if (!value || typeof value !== "object" || typeof value.type !== "string" || keepTypes.has(value.type)) elementArray?.push(value);
          element = null;
        }
        continue;
      }
      const top = frames[frames.length - 1];
      if (top?.array && top.key !== null && RESOURCE_ARRAYS.has(top.key) && token.name === "startObject") {
        element = new Assembler();
        elementArray = main.current as unknown[];
        elementInChanges = top.key === "resource_changes" && frames.length === 2;
        element.consume(token);
        continue;
      }
      main.consume(token);
      switch (token.name) {
        case "keyValue":
          pendingKey = token.value as string;
          break;
        case "startObject":
        case "startArray":
          frames.push({ array: token.name === "startArray", key: top?.array ? null : pendingKey });
          pendingKey = null;
          break;
        case "endObject":
        case "endArray":
          frames.pop();
          break;
      }
    }
  } catch (e) {
    // An error once every byte was read means the document stopped in the middle of a value.
    if (readToEnd) throw new InputError(path, "ends before its JSON is complete (truncated file?)");
    throw new InputError(path, `is not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (!main.done || frames.length > 0) throw new InputError(path, "ends before its JSON is complete (truncated file?)");
  return { doc: main.current, resourceChanges };
}
