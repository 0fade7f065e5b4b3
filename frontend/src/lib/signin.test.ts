import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { isMfaRequired, linkFrom, flag } from "../api/auth";
import { cleanCode, groupSecret, passwordProblem, signInErrorText } from "./signin";
import { qrSvg, svgDataUrl } from "./qr";

describe("sign-in helpers", () => {
  it("tells the two login answers apart", () => {
    expect(isMfaRequired({ mfa_required: true })).toBe(true);
    expect(isMfaRequired({ token: "t", role: "admin", must_change_pw: false, exp: 1 })).toBe(false);
    expect(isMfaRequired({ mfa_required: false })).toBe(false);
    expect(isMfaRequired(null)).toBe(false);
  });

  it("password rules: 8 characters (not UTF-16 units), repeated, not the old one", () => {
    expect(passwordProblem("short", "short")).toMatch(/8 characters/);
    expect(passwordProblem("🔑🔑🔑🔑🔑🔑🔑", "🔑🔑🔑🔑🔑🔑🔑")).toMatch(/8 characters/); // 14 units, 7 characters
    expect(passwordProblem("long enough", "long enougH")).toMatch(/differ/);
    expect(passwordProblem("long enough", "long enough", "long enough")).toMatch(/current one/);
    expect(passwordProblem("long enough", "long enough", "old password")).toBeNull();
  });

  it("explains failures per step", () => {
    expect(signInErrorText(new ApiError("AuthLogin", 401, "invalid credentials"), "password")).toMatch(/Wrong username or password/);
    expect(signInErrorText(new ApiError("AuthLogin", 401, "invalid credentials"), "totp")).toMatch(/Wrong or expired code/);
    expect(signInErrorText(new ApiError("AuthLogin", 429, "too many login attempts; try again later"), "password")).toMatch(/Too many/);
    expect(signInErrorText(new ApiError("AuthLogin", 0, "backend unreachable"), "password")).toMatch(/cannot be reached/);
  });

  it("codes and secrets", () => {
    expect(cleanCode(" 123 456 ")).toBe("123456");
    expect(cleanCode("12345")).toBeNull();
    expect(cleanCode("12345a")).toBeNull();
    expect(groupSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
  });

  it("finds a link handed back instead of mailed", () => {
    expect(linkFrom({ link: "/password-setup/abc" }, "http://h:1/")).toBe("http://h:1/password-setup/abc");
    expect(linkFrom({ url: "https://x/password-setup/abc" }, "http://h")).toBe("https://x/password-setup/abc");
    expect(linkFrom({ setup_link_sent: false, setup_link: { username: "bob", link: "http://h/password-setup/t" } }, "http://x")).toBe("http://h/password-setup/t");
    expect(linkFrom("", "http://h")).toBeNull();
    expect(linkFrom({ delivered: true }, "http://h")).toBeNull();
  });

  it("reads 0/1 and boolean flags", () => {
    expect(flag(1)).toBe(true);
    expect(flag(true)).toBe(true);
    expect(flag(0)).toBe(false);
    expect(flag(null)).toBe(false);
  });
});

describe("QR code", () => {
  it("renders an otpauth URL as SVG locally, deterministically", async () => {
    const url = "otpauth://totp/kanade:alice?secret=JBSWY3DPEHPK3PXP&issuer=kanade";
    const svg = await qrSvg(url);
    expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 (\d+) \1"/);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no external reference
    expect(await qrSvg(url)).toBe(svg);
    expect(svgDataUrl(svg)).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
  });
});
