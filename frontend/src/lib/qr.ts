// QR codes drawn in the page (the TOTP enrolment): the otpauth URL holds the
// secret, so it never leaves the browser for an image service.
import QRCode from "qrcode";

/** An SVG QR code of `text` (error correction M, quiet zone of 4 modules). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4, color: { dark: "#000000", light: "#ffffff" } });
}

/** The SVG as a data: URL for an <img> (the CSP allows data: images). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
