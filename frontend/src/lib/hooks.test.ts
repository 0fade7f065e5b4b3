import { describe, expect, it } from "vitest";
import { SearchWriter } from "./hooks";

const defaults = { job_id: "", status: "", since: "24h", offset: "0", limit: "50" };

describe("SearchWriter", () => {
  it("chains filters written before the page re-renders (the router's params are stale then)", () => {
    const w = new SearchWriter("");
    expect(w.write({ job_id: "probe" }, defaults, true)).toBe("job_id=probe");
    // No render yet: the router still shows "".
    w.observe("");
    expect(w.write({ status: "success" }, defaults, true)).toBe("job_id=probe&status=success");
    // The first navigation renders, then the second.
    w.observe("job_id=probe");
    expect(w.live).toBe("job_id=probe&status=success");
    w.observe("job_id=probe&status=success");
    expect(w.write({ since: "7d" }, defaults, true)).toBe("job_id=probe&status=success&since=7d");
  });

  it("follows a navigation it did not write (back button, a link)", () => {
    const w = new SearchWriter("job_id=a");
    w.write({ status: "failure" }, defaults, true);
    w.observe("pc_id=X"); // not ours
    expect(w.live).toBe("pc_id=X");
    expect(w.write({ status: "success" }, defaults, true)).toBe("pc_id=X&status=success");
  });

  it("drops defaults and empty values, resets the offset unless asked not to, and writes nothing for no change", () => {
    const w = new SearchWriter("offset=100&job_id=a");
    expect(w.write({ since: "24h", job_id: "" }, defaults, true)).toBe("");
    expect(w.write({ job_id: "b" }, defaults, false)).toBe("job_id=b");
    expect(w.write({ job_id: "b" }, defaults, true)).toBeNull();
    expect(w.write({ offset: "50", limit: "50" }, defaults, false)).toBe("job_id=b&offset=50");
  });
});
