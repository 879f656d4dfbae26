/** The README's numbers stay true: the rule count it states is the catalog's. */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../src/rules";
import { ROOT } from "./helpers";

describe("README", () => {
  it("states the number of rules the policy holds", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const stated = /^(\d+) rules in \w+ groups/m.exec(readme);
    assert.ok(stated, "the Rules section states how many rules there are");
    assert.equal(Number(stated[1]), allRules().length);
  });
});
