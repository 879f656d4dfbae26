/** The CIDR builtins the host supplies to Wasm, against Go's net.ParseCIDR semantics. */
import { strict as assert } from "node:assert";
import { cidrContains, cidrIntersects, cidrIsValid, cidrMerge } from "../src/engine/host-builtins";

describe("host builtins", () => {
  it("net.cidr_is_valid", () => {
    for (const ok of ["10.0.0.0/8", "10.0.0.1/8", "0.0.0.0/0", "::/0", "2001:db8::1/128", "2001:db8::/32", "203.0.113.45/24", "255.255.255.255/32"]) {
      assert.equal(cidrIsValid(ok), true, ok);
    }
    for (const bad of ["10.0.0.0", "10.0.0.0/33", "::/129", "10.01.0.0/16", "010.0.0.0/8", " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.0/ 8", "10.0.0.256/32", "10.0.0/24", "10.0.0.0/08", "fe80::1%eth0/64", "", "abc", "10.0.0.0/-1"]) {
      assert.equal(cidrIsValid(bad), false, JSON.stringify(bad));
    }
    assert.equal(cidrIsValid(42), false);
  });

  it("net.cidr_contains", () => {
    assert.equal(cidrContains("10.0.0.0/8", "10.1.2.3"), true);
    assert.equal(cidrContains("10.0.0.0/8", "10.1.0.0/16"), true);
    assert.equal(cidrContains("10.1.0.0/16", "10.0.0.0/8"), false);
    assert.equal(cidrContains("10.0.0.1/8", "10.255.255.255"), true); // host bits ignored, as Go
    assert.equal(cidrContains("::/0", "2001:db8::1"), true);
    assert.equal(cidrContains("10.0.0.0/8", "2001:db8::1"), false);
    assert.equal(cidrContains("not-a-cidr", "10.0.0.1"), undefined);
  });

  it("net.cidr_intersects", () => {
    assert.equal(cidrIntersects("10.0.0.0/8", "10.20.0.0/16"), true);
    assert.equal(cidrIntersects("10.0.0.0/16", "10.1.0.0/16"), false);
    assert.equal(cidrIntersects("2001:db8::/32", "2001:db8:1::/48"), true);
    assert.equal(cidrIntersects("10.0.0.0/8", "::/0"), false);
  });

  it("net.cidr_merge", () => {
    assert.deepEqual(cidrMerge(["203.0.113.45/24"]), ["203.0.113.0/24"]);
    assert.deepEqual(cidrMerge(["10.0.0.0/25", "10.0.0.128/25"]), ["10.0.0.0/24"]);
    assert.deepEqual(cidrMerge(["10.0.0.0/8", "10.1.0.0/16", "192.168.1.1"]), ["10.0.0.0/8", "192.168.1.1/32"]);
    assert.deepEqual(cidrMerge(["2001:db8::1/128", "2001:db8::/127"]), ["2001:db8::/127"]);
    assert.equal(cidrMerge(["nope"]), undefined);
  });
});
