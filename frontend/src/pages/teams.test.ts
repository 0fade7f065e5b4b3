import { describe, expect, it } from "vitest";
import { ApiError } from "../api";
import { pagesSummary } from "./Accounts";
import { nextPath } from "./Login";
import { linkErrorText } from "./PasswordSetup";

describe("account pages", () => {
  it("pagesSummary: group, all, none, a list", () => {
    expect(pagesSummary({ allowed_features: null, permission_group: null })).toBe("all pages");
    expect(pagesSummary({ allowed_features: ["dashboard"], permission_group: "helpdesk" })).toBe("group helpdesk");
    expect(pagesSummary({ allowed_features: [], permission_group: null })).toBe("no pages");
    expect(pagesSummary({ allowed_features: ["dashboard", "agents"], permission_group: null })).toBe("dashboard, agents");
  });

  it("nextPath keeps the user inside the app", () => {
    expect(nextPath("/jobs?x=1")).toBe("/jobs?x=1");
    expect(nextPath(null)).toBe("/");
    expect(nextPath("https://evil.example/")).toBe("/");
    expect(nextPath("//evil.example/")).toBe("/");
    expect(nextPath("/login?next=/x")).toBe("/");
  });

  it("linkErrorText explains invalid and used or expired links", () => {
    expect(linkErrorText(new ApiError("AuthPasswordSetupInfo", 404, "invalid link"))).toMatch(/not valid/);
    expect(linkErrorText(new ApiError("AuthPasswordSetup", 410, "link expired"))).toMatch(/expired or was already used/);
    expect(linkErrorText(new ApiError("AuthPasswordSetup", 400, "password too short"))).toMatch(/too short/);
  });
});
